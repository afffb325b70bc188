// SPDX-License-Identifier: GPL-3.0-or-later
// ChunkWorkers: results in submission order, bounded parallelism, the first
// failure stops the rest, cancel and destruction deliver nothing more.
#include "tenchat/core/media/ChunkWorkers.h"

#include <QCoreApplication>
#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

using namespace tenchat::core::media;

namespace {

struct Delivery {
    int index = 0;
    bool ok = false;
    QByteArray value;
};

// Work for chunk `index`: waits for `gate` (when given), then returns the
// index as text, or fails when asked.
ChunkWorkers::Work work(int index, std::atomic<int>& ran, QSemaphore* gate = nullptr, bool failing = false)
{
    return [index, &ran, gate, failing]() -> MediaExpected<QByteArray> {
        ++ran;
        if (gate)
            gate->acquire();
        if (failing)
            return mediaError(MediaErrorCode::Tampered, QStringLiteral("chunk %1 is bad").arg(index));
        return QByteArray::number(index);
    };
}

} // namespace

class ChunkWorkersTest : public QObject {
    Q_OBJECT

private slots:
    void deliversInSubmissionOrder();
    void runsAtMostItsThreadsAtOnce();
    void firstFailureStopsTheRest();
    void cancelDeliversNothing();
    void destructionWaitsForRunningWork();
};

void ChunkWorkersTest::deliversInSubmissionOrder()
{
    std::vector<Delivery> got;
    ChunkWorkers workers(2, [&](int index, MediaExpected<QByteArray> r) {
        got.push_back({ index, bool(r), r ? *r : QByteArray() });
    });
    // Later chunks finish first: chunk i waits for gates[i], released in
    // reverse order.
    constexpr int kCount = 6;
    std::vector<std::unique_ptr<QSemaphore>> gates;
    std::atomic<int> ran { 0 };
    for (int i = 0; i < kCount; ++i) {
        gates.push_back(std::make_unique<QSemaphore>());
        workers.submit(100 + i, work(100 + i, ran, gates.back().get()));
    }
    QCOMPARE(workers.held(), kCount);
    for (int i = kCount - 1; i >= 0; --i)
        gates[std::size_t(i)]->release();
    QTRY_COMPARE_WITH_TIMEOUT(int(got.size()), kCount, 30000);
    for (int i = 0; i < kCount; ++i) {
        QCOMPARE(got[std::size_t(i)].index, 100 + i);
        QVERIFY(got[std::size_t(i)].ok);
        QCOMPARE(got[std::size_t(i)].value, QByteArray::number(100 + i));
    }
    QCOMPARE(workers.held(), 0);
    QVERIFY(!workers.stopped());
}

void ChunkWorkersTest::runsAtMostItsThreadsAtOnce()
{
    std::atomic<int> running { 0 };
    std::atomic<int> peak { 0 };
    int delivered = 0;
    ChunkWorkers workers(2, [&](int, MediaExpected<QByteArray> r) {
        QVERIFY(r);
        ++delivered;
    });
    QCOMPARE(workers.threads(), 2);
    for (int i = 0; i < 40; ++i) {
        workers.submit(i, [&]() -> MediaExpected<QByteArray> {
            const int now = ++running;
            int seen = peak.load();
            while (now > seen && !peak.compare_exchange_weak(seen, now)) { }
            QThread::usleep(200);
            --running;
            return QByteArray("x");
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(delivered, 40, 30000);
    QVERIFY(peak.load() >= 1);
    QVERIFY2(peak.load() <= 2, qPrintable(QString::number(peak.load())));
}

void ChunkWorkersTest::firstFailureStopsTheRest()
{
    std::vector<Delivery> got;
    auto workers = std::make_unique<ChunkWorkers>(1, [&](int index, MediaExpected<QByteArray> r) {
        got.push_back({ index, bool(r), r ? *r : QByteArray() });
        if (!r)
            QCOMPARE(r.error().code, MediaErrorCode::Tampered);
    });
    std::atomic<int> ran { 0 };
    QSemaphore gate;
    workers->submit(0, work(0, ran));
    workers->submit(1, work(1, ran, nullptr, true));
    // Chunk 2 starts on the only thread and waits; 3..9 stay queued.
    for (int i = 2; i < 10; ++i)
        workers->submit(i, work(i, ran, &gate));
    QTRY_COMPARE_WITH_TIMEOUT(int(got.size()), 2, 30000);
    QCOMPARE(got[0].index, 0);
    QVERIFY(got[0].ok);
    QCOMPARE(got[1].index, 1);
    QVERIFY(!got[1].ok);
    QVERIFY(workers->stopped());
    QCOMPARE(workers->held(), 0);
    workers->submit(10, work(10, ran)); // ignored once stopped
    gate.release(8);
    workers.reset(); // waits for chunk 2
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(int(got.size()), 2); // nothing after the failure
    QVERIFY2(ran.load() <= 3, qPrintable(QString::number(ran.load()))); // 3..10 never ran
}

void ChunkWorkersTest::cancelDeliversNothing()
{
    int delivered = 0;
    auto workers = std::make_unique<ChunkWorkers>(2, [&](int, MediaExpected<QByteArray>) { ++delivered; });
    std::atomic<int> ran { 0 };
    QSemaphore gate;
    for (int i = 0; i < 8; ++i)
        workers->submit(i, work(i, ran, &gate));
    QTRY_COMPARE_WITH_TIMEOUT(ran.load(), 2, 30000); // both threads busy
    workers->cancel();
    gate.release(8);
    QTRY_VERIFY_WITH_TIMEOUT(gate.available() >= 6, 30000); // the two running ones are through
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(delivered, 0);
    workers.reset();
    QCOMPARE(ran.load(), 2); // the queued ones never started
}

void ChunkWorkersTest::destructionWaitsForRunningWork()
{
    int delivered = 0;
    std::atomic<int> ran { 0 };
    std::atomic<int> finished { 0 };
    QSemaphore started;
    {
        ChunkWorkers workers(2, [&](int, MediaExpected<QByteArray>) { ++delivered; });
        for (int i = 0; i < 4; ++i) {
            workers.submit(i, [&]() -> MediaExpected<QByteArray> {
                ++ran;
                started.release();
                QThread::msleep(20);
                ++finished;
                return QByteArray("x");
            });
        }
        started.acquire(); // at least one is running
    }
    // The destructor returned only after the running work finished, and
    // nothing reaches a destroyed object.
    QCOMPARE(finished.load(), ran.load());
    QVERIFY(ran.load() >= 1 && ran.load() <= 2);
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(delivered, 0);
}

QTEST_GUILESS_MAIN(ChunkWorkersTest)
#include "ChunkWorkersTest.moc"
