// SPDX-License-Identifier: GPL-3.0-or-later
// Crash safety of batched queueing (Messenger::queueTexts): a child process
// (this binary re-executed with --queue-child) opens Alice's profile and
// queues batches, printing each batch's ids once queueTexts() returned them;
// it is SIGKILLed while doing so. After a reopen every reported message is
// stored (Queued, with its outbox item), batches are whole (all or nothing),
// and once Alice is live again Bob receives exactly the stored messages, once
// each, in the order they were queued.
#include "MessagingTestClient.h"
#include "RelayProcess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QTest>
#include <QThread>

#include <cstdio>

using namespace tenchat;
using namespace tenchat::core;
using tenchat::testing::MessagingTestClient;

namespace {

constexpr int kTimeoutMs = 60000;
constexpr int kBatch = 25;
constexpr int kMaxBatches = 400;

QString textOf(int batch, int i)
{
    return QStringLiteral("crash batch %1 message %2").arg(batch).arg(i);
}

// Child: queues batches until killed (or kMaxBatches), one stdout line per
// batch that queueTexts() reported as queued.
int runChild(const QString& profile, const QString& conversation)
{
    auto account
        = messaging::Account::open(profile, MessagingTestClient::kPassphrase, MessagingTestClient::profileOptions());
    if (!account) {
        std::fprintf(stderr, "child open failed: %s\n", qPrintable(account.error().message));
        return 2;
    }
    messaging::Messenger messenger(**account); // never started: nothing is sent
    for (int batch = 0; batch < kMaxBatches; ++batch) {
        QStringList texts;
        for (int i = 0; i < kBatch; ++i)
            texts << textOf(batch, i);
        auto ids = messenger.queueTexts(conversation, texts);
        if (!ids) {
            std::fprintf(stderr, "queueTexts failed: %s\n", qPrintable(ids.error().message));
            return 3;
        }
        std::printf("QUEUED %s\n", qPrintable(ids->join(QLatin1Char(','))));
        std::fflush(stdout);
    }
    for (;;)
        QThread::sleep(1); // SIGKILL arrives here at the latest
}

} // namespace

class QueueCrashTest : public QObject {
    Q_OBJECT

private slots:
    void killedWhileQueueingKeepsWhatWasReported();
};

void QueueCrashTest::killedWhileQueueingKeepsWhatWasReported()
{
    testing::RelayProcess relay;
    QVERIFY2(relay.start(), qPrintable(relay.error()));
    QString error;
    auto [alice, bob]
        = MessagingTestClient::createLive(relay.url(), { QStringLiteral("alice"), QStringLiteral("bob") }, &error);
    QVERIFY2(alice, qPrintable(error));
    const QString conversation = alice->openDirect(QStringLiteral("bob"));
    QVERIFY(!conversation.isEmpty());
    // Also the all-or-nothing argument check: nothing is queued.
    QVERIFY(!alice->messenger().queueTexts(conversation, { QStringLiteral("fine"), QString() }));
    QVERIFY(!alice->messenger().queueTexts(conversation, {}));
    auto first
        = alice->messenger().queueTexts(conversation, { QStringLiteral("before 0"), QStringLiteral("before 1") });
    QVERIFY(first && first->size() == 2);
    QTRY_COMPARE_WITH_TIMEOUT(bob->received.size(), 2, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(alice->messenger().outboxSize().valueOr(-1), 0, kTimeoutMs);
    alice->closeProfile();

    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(),
        { QStringLiteral("--queue-child"), alice->profilePath(), conversation });
    QVERIFY(child.waitForStarted());
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    // Kill once a few batches were reported (the child is usually in the
    // middle of the next one).
    while (out.count("QUEUED ") < 3 && timer.elapsed() < kTimeoutMs && child.state() == QProcess::Running) {
        child.waitForReadyRead(100);
        out += child.readAllStandardOutput();
    }
    child.kill(); // SIGKILL on Unix
    QVERIFY(child.waitForFinished(10000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);
    out += child.readAllStandardOutput();
    QStringList reported;
    QList<QByteArray> lines = out.split('\n');
    lines.removeLast(); // not ended by a newline: not a complete report
    for (const QByteArray& line : lines)
        if (line.startsWith("QUEUED "))
            reported += QString::fromLatin1(line.mid(7)).split(QLatin1Char(','));
    QVERIFY2(reported.size() >= 3 * kBatch, out.constData());

    QVERIFY2(alice->reopenProfile(&error), qPrintable(error));
    auto& messages = alice->store().messages();
    for (const auto& id : reported) {
        auto m = messages.get(id);
        QVERIFY2(m && m->has_value(), qPrintable(id));
        QCOMPARE((*m)->delivery, store::DeliveryState::Queued);
    }
    // Whole batches only, each message with its outbox item.
    const int stored = int(messages.count(conversation).valueOr(-1)) - 2;
    QVERIFY2(stored >= reported.size(), qPrintable(QString::number(stored)));
    QCOMPARE(stored % kBatch, 0);
    qInfo("%lld messages reported queued, %d stored when the child was killed", qlonglong(reported.size()), stored);
    QCOMPARE(alice->messenger().outboxSize().valueOr(-1), stored);

    // Sent once live again: Bob gets exactly those, once each, in order.
    alice->start();
    QTRY_COMPARE_WITH_TIMEOUT(bob->received.size(), 2 + stored, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(alice->messenger().outboxSize().valueOr(-1), 0, kTimeoutMs);
    QSet<QString> ids;
    for (int k = 0; k < stored; ++k) {
        const auto& m = bob->received[2 + k];
        QCOMPARE(m.body, textOf(k / kBatch, k % kBatch));
        QVERIFY(m.serverSeq && *m.serverSeq > *bob->received[1 + k].serverSeq);
        ids.insert(m.id);
        if (k < reported.size())
            QCOMPARE(m.id, reported[k]);
    }
    QCOMPARE(ids.size(), stored);
    QCOMPARE(bob->store().messages().count(conversation).valueOr(-1), qint64(2 + stored));
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 4 && QByteArray(argv[1]) == "--queue-child")
        return runChild(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3]));
    QueueCrashTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "QueueCrashTest.moc"
