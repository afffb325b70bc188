// SPDX-License-Identifier: GPL-3.0-or-later
// Coalescing of the send path (as Nagle's algorithm): a lone message goes out
// at once; messages queued one per event-loop pass while an append of their
// conversation is in flight wait for its answer (or for a full batch) and go
// out together. The relay process is frozen (SIGSTOP) to hold its answers,
// so the test looks at states, not at times.
#include "MessagingTestClient.h"
#include "RelayProcess.h"

#include <QCoreApplication>
#include <QTest>

#include <csignal>
#include <sys/types.h>

using namespace tenchat;
using namespace tenchat::core;
using messaging::Messenger;
using tenchat::testing::MessagingTestClient;

namespace {

constexpr int kTimeoutMs = 30000;

int outboxSize(MessagingTestClient& client)
{
    return client.messenger().outboxSize().valueOr(-1);
}

} // namespace

class SendCoalescingTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void queuedWhileInFlightGoOutTogether();

private:
    void freezeRelay(bool frozen);

    std::unique_ptr<testing::RelayProcess> relay_;
    std::unique_ptr<MessagingTestClient> alice_;
    std::unique_ptr<MessagingTestClient> bob_;
    bool frozen_ = false;
};

void SendCoalescingTest::init()
{
    relay_ = std::make_unique<testing::RelayProcess>();
    QVERIFY2(relay_->start(), qPrintable(relay_->error()));
    QString error;
    const QString handles[] = { QStringLiteral("alice"), QStringLiteral("bob") };
    auto clients = MessagingTestClient::createLive(relay_->url(), handles, &error);
    QVERIFY2(clients[0], qPrintable(error));
    alice_ = std::move(clients[0]);
    bob_ = std::move(clients[1]);
}

void SendCoalescingTest::cleanup()
{
    freezeRelay(false); // a stopped process would not see SIGTERM
    alice_.reset();
    bob_.reset();
    relay_.reset();
}

void SendCoalescingTest::freezeRelay(bool frozen)
{
    if (frozen_ == frozen || !relay_ || relay_->pid() <= 0)
        return;
    QCOMPARE(::kill(pid_t(relay_->pid()), frozen ? SIGSTOP : SIGCONT), 0);
    frozen_ = frozen;
}

void SendCoalescingTest::queuedWhileInFlightGoOutTogether()
{
    const QString conversation = alice_->openDirect(QStringLiteral("bob"));
    QVERIFY(!conversation.isEmpty());
    // Sessions set up, receipt answered: the conversation is idle.
    QVERIFY(alice_->messenger().queueText(conversation, QStringLiteral("warm-up")));
    QTRY_COMPARE_WITH_TIMEOUT(bob_->received.size(), 1, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(outboxSize(*bob_), 0, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(outboxSize(*alice_), 0, kTimeoutMs);
    QCOMPARE(alice_->messenger().appendsInFlight(), 0);

    // The relay is frozen: no answer can come back from now on.
    freezeRelay(true);
    QStringList expected { QStringLiteral("warm-up") };
    auto queue = [&](const QString& text) {
        QVERIFY(alice_->messenger().queueText(conversation, text));
        expected << text;
    };
    // A lone message of an idle conversation is sent at once (its append is
    // on the wire although no answer ever came).
    queue(QStringLiteral("lone"));
    QTRY_COMPARE_WITH_TIMEOUT(alice_->messenger().appendsInFlight(), 1, kTimeoutMs);

    // One per event-loop pass while that append is in flight: they wait.
    constexpr int kFill = Messenger::kCoalesceBatch;
    for (int i = 0; i < kFill - 1; ++i) {
        queue(QStringLiteral("held %1").arg(i));
        for (int pass = 0; pass < 3; ++pass)
            QCoreApplication::processEvents();
        QCOMPARE(alice_->messenger().appendsInFlight(), 1);
    }
    QCOMPARE(outboxSize(*alice_), kFill);
    // The one that fills a batch sends them all, still without an answer.
    queue(QStringLiteral("held %1").arg(kFill - 1));
    QTRY_COMPARE_WITH_TIMEOUT(alice_->messenger().appendsInFlight(), 1 + kFill, kTimeoutMs);

    // A few more wait again, behind the batch in flight.
    constexpr int kTail = 5;
    for (int i = 0; i < kTail; ++i) {
        queue(QStringLiteral("tail %1").arg(i));
        for (int pass = 0; pass < 3; ++pass)
            QCoreApplication::processEvents();
        QCOMPARE(alice_->messenger().appendsInFlight(), 1 + kFill);
    }
    QCOMPARE(outboxSize(*alice_), 1 + kFill + kTail);

    // Answers come back: the waiting ones follow; all arrive once, in order.
    freezeRelay(false);
    QTRY_COMPARE_WITH_TIMEOUT(outboxSize(*alice_), 0, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(bob_->received.size(), expected.size(), kTimeoutMs);
    QStringList texts;
    for (const auto& m : bob_->received)
        texts << m.body;
    QCOMPARE(texts, expected);
    for (int i = 1; i < bob_->received.size(); ++i)
        QVERIFY(bob_->received[i].serverSeq && bob_->received[i - 1].serverSeq
            && *bob_->received[i].serverSeq > *bob_->received[i - 1].serverSeq);
    QCOMPARE(bob_->store().messages().count(conversation).valueOr(-1), qint64(expected.size()));
    QCOMPARE(alice_->messenger().appendsInFlight(), 0);
}

QTEST_GUILESS_MAIN(SendCoalescingTest)
#include "SendCoalescingTest.moc"
