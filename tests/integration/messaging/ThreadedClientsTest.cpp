// SPDX-License-Identifier: GPL-3.0-or-later
// Two clients of one process on two threads, as the benchmark runs them (and
// as a desktop client with the engine off the UI thread would): Bob's Account,
// store connection and Messenger live on a worker thread with its own event
// loop, Alice's on the main thread. Messages go both ways, per call and
// batched, concurrently; each side receives all, once, in order.
#include "MessagingTestClient.h"
#include "RelayProcess.h"

#include <QCoreApplication>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace tenchat;
using namespace tenchat::core;
using tenchat::testing::MessagingTestClient;

namespace {

constexpr int kTimeoutMs = 60000;
constexpr int kPerCall = 60;
constexpr int kBatches = 4;
constexpr int kBatch = 30;

QStringList numbered(const QString& prefix, int from, int count)
{
    QStringList texts;
    for (int i = from; i < from + count; ++i)
        texts << QStringLiteral("%1 %2").arg(prefix).arg(i);
    return texts;
}

// Queues kPerCall messages one call each, then kBatches batches.
bool queueAll(messaging::Messenger& messenger, const QString& conversation, const QString& prefix)
{
    for (const QString& text : numbered(prefix, 0, kPerCall))
        if (!messenger.queueText(conversation, text))
            return false;
    for (int b = 0; b < kBatches; ++b)
        if (!messenger.queueTexts(conversation, numbered(prefix, kPerCall + b * kBatch, kBatch)))
            return false;
    return true;
}

bool inOrderOnce(const QList<store::Message>& messages, const QString& prefix)
{
    const QStringList expected = numbered(prefix, 0, kPerCall + kBatches * kBatch);
    if (messages.size() != expected.size())
        return false;
    for (int i = 0; i < messages.size(); ++i) {
        if (messages[i].body != expected[i] || !messages[i].serverSeq)
            return false;
        if (i > 0 && *messages[i].serverSeq <= *messages[i - 1].serverSeq)
            return false;
    }
    return true;
}

} // namespace

class ThreadedClientsTest : public QObject {
    Q_OBJECT

private slots:
    void clientsOnTwoThreadsExchangeMessages();
};

void ThreadedClientsTest::clientsOnTwoThreadsExchangeMessages()
{
    testing::RelayProcess relay;
    QVERIFY2(relay.start(), qPrintable(relay.error()));
    QString error;
    auto alice = MessagingTestClient::create(relay.url(), QStringLiteral("alice"), &error);
    QVERIFY2(alice, qPrintable(error));

    // Bob: created, used and destroyed on the worker (its event loop runs
    // between the blocking calls below).
    QThread worker;
    QObject context;
    context.moveToThread(&worker);
    worker.start();
    std::unique_ptr<MessagingTestClient> bob;
    std::atomic<int> bobReceived { 0 };
    auto onWorker = [&](auto&& f) { QMetaObject::invokeMethod(&context, f, Qt::BlockingQueuedConnection); };
    onWorker([&] {
        bob = MessagingTestClient::create(relay.url(), QStringLiteral("bob"), &error);
        if (!bob)
            return;
        QObject::connect(&bob->messenger(), &messaging::Messenger::messageReceived, [&] { bobReceived.fetch_add(1); });
        bob->start();
        if (!bob->waitLive())
            bob.reset();
    });
    QVERIFY2(bob, qPrintable(error));
    QCOMPARE(bob->messenger().thread(), &worker);

    alice->start();
    QVERIFY(alice->waitLive());
    const QString conversation = alice->openDirect(QStringLiteral("bob"));
    QVERIFY(!conversation.isEmpty());
    QString bobsConversation;
    onWorker([&] { bobsConversation = bob->openDirect(QStringLiteral("alice")); });
    QCOMPARE(bobsConversation, conversation);

    // Both send at once: Bob's queueing runs on the worker while Alice's runs here.
    bool bobQueued = false;
    QMetaObject::invokeMethod(
        &context, [&] { bobQueued = queueAll(bob->messenger(), conversation, QStringLiteral("from bob")); },
        Qt::QueuedConnection);
    QVERIFY(queueAll(alice->messenger(), conversation, QStringLiteral("from alice")));
    const int total = kPerCall + kBatches * kBatch;
    QTRY_COMPARE_WITH_TIMEOUT(bobReceived.load(), total, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(int(alice->received.size()), total, kTimeoutMs);
    QVERIFY(inOrderOnce(alice->received, QStringLiteral("from bob")));
    bool bobInOrder = false;
    qint64 bobStored = -1;
    onWorker([&] {
        bobInOrder = bobQueued && inOrderOnce(bob->received, QStringLiteral("from alice"));
        // Bob's store holds both directions: his own messages and Alice's.
        bobStored = bob->store().messages().count(conversation).valueOr(-1);
        bob->stop();
        bob.reset(); // its Messenger and store connection end on their thread
    });
    QVERIFY(bobInOrder);
    QCOMPARE(bobStored, qint64(2 * total));
    QCOMPARE(alice->store().messages().count(conversation).valueOr(-1), qint64(2 * total));
    worker.quit();
    QVERIFY(worker.wait(kTimeoutMs));
}

QTEST_GUILESS_MAIN(ThreadedClientsTest)
#include "ThreadedClientsTest.moc"
