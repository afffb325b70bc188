// SPDX-License-Identifier: GPL-3.0-or-later
// Direct conversations end to end: two in-process clients, the real relay.
#include "MessagingTestClient.h"
#include "RelayProcess.h"
#include "tenchat/core/store/Transaction.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace tenchat;
using namespace tenchat::core;
using tenchat::testing::MessagingTestClient;

namespace {

constexpr int kTimeoutMs = 30000;

// The sequence numbers of `messages` strictly increase (in order, no duplicates).
bool strictlyOrdered(const QList<store::Message>& messages)
{
    for (int i = 1; i < messages.size(); ++i)
        if (!messages[i].serverSeq || !messages[i - 1].serverSeq
            || *messages[i].serverSeq <= *messages[i - 1].serverSeq)
            return false;
    return true;
}

QStringList texts(const QList<store::Message>& messages)
{
    QStringList out;
    for (const auto& m : messages)
        out << m.body;
    return out;
}

int outboxSize(MessagingTestClient& client)
{
    return client.messenger().outboxSize().valueOr(-1);
}

} // namespace

class DirectMessagingTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void chatBothWays();
    void offlineRecipientReceivesAllInOrderOnce();
    void relayKilledMidConversation();
    void queuedOfflineSentOnReconnect();
    void connectionDroppedWithFullWindow();
    void lamportCeilingSurvivesRollbackAndRestart();

private:
    std::unique_ptr<testing::RelayProcess> relay_;
    std::unique_ptr<MessagingTestClient> alice_;
    std::unique_ptr<MessagingTestClient> bob_;
};

void DirectMessagingTest::init()
{
    relay_ = std::make_unique<testing::RelayProcess>();
    QVERIFY2(relay_->start(), qPrintable(relay_->error()));
    QString error;
    alice_ = MessagingTestClient::create(relay_->url(), QStringLiteral("alice"), &error);
    QVERIFY2(alice_, qPrintable(error));
    bob_ = MessagingTestClient::create(relay_->url(), QStringLiteral("bob"), &error);
    QVERIFY2(bob_, qPrintable(error));
}

void DirectMessagingTest::cleanup()
{
    alice_.reset();
    bob_.reset();
    relay_.reset();
}

void DirectMessagingTest::chatBothWays()
{
    QVERIFY(MessagingTestClient::startAll({ alice_.get(), bob_.get() }));

    const QString conversation = alice_->openDirect(QStringLiteral("bob"));
    QVERIFY(!conversation.isEmpty());
    QSignalSpy aliceDelivery(&alice_->messenger(), &messaging::Messenger::deliveryChanged);
    QStringList sent;
    for (int i = 0; i < 3; ++i) {
        auto id = alice_->messenger().queueText(conversation, QStringLiteral("secret greeting %1").arg(i));
        QVERIFY(id);
        sent << *id;
    }
    QTRY_COMPARE_WITH_TIMEOUT(bob_->received.size(), 3, kTimeoutMs);
    QCOMPARE(texts(bob_->received),
        (QStringList { QStringLiteral("secret greeting 0"), QStringLiteral("secret greeting 1"),
            QStringLiteral("secret greeting 2") }));
    QVERIFY(strictlyOrdered(bob_->received));
    QCOMPARE(bob_->receivedFrom, QStringList(3, QStringLiteral("alice")));
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(bob_->received[i].id, sent[i]);
        QCOMPARE(bob_->received[i].conversationId, conversation);
        QVERIFY(!bob_->received[i].outgoing);
    }
    // Alice's copies became Sent with the relay's sequence numbers, and then
    // Delivered once bob's delivery receipt arrived.
    QTRY_COMPARE_WITH_TIMEOUT(outboxSize(*alice_), 0, kTimeoutMs);
    for (const auto& id : sent) {
        QTRY_COMPARE_WITH_TIMEOUT(
            (*alice_->store().messages().get(id))->delivery, store::DeliveryState::Delivered, kTimeoutMs);
        auto m = alice_->store().messages().get(id);
        QVERIFY(m && m->has_value());
        QVERIFY((*m)->serverSeq.has_value());
    }

    // Bob answers in the same conversation, resolved from what he received.
    auto bobConversation = bob_->messenger().knownDirect(QStringLiteral("alice"));
    QTRY_VERIFY_WITH_TIMEOUT((bobConversation = bob_->messenger().knownDirect(QStringLiteral("alice"))), kTimeoutMs);
    QCOMPARE(*bobConversation, conversation);
    auto reply = bob_->messenger().queueText(conversation, QStringLiteral("secret reply"), sent[0]);
    QVERIFY(reply);
    QTRY_COMPARE_WITH_TIMEOUT(alice_->received.size(), 1, kTimeoutMs);
    QCOMPARE(alice_->received[0].body, QStringLiteral("secret reply"));
    QCOMPARE(alice_->received[0].replyTo, sent[0]);
    QCOMPARE(alice_->receivedFrom[0], QStringLiteral("bob"));
    QVERIFY(*alice_->received[0].serverSeq > *bob_->received[2].serverSeq);

    // Edit, reaction and delete reach the other side.
    auto edit = alice_->messenger().queueEdit(sent[1], QStringLiteral("secret greeting one, edited"));
    QVERIFY(edit);
    auto react = bob_->messenger().queueReaction(sent[0], QStringLiteral("+1"));
    QVERIFY(react);
    auto del = alice_->messenger().queueDelete(sent[2]);
    QVERIFY(del);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto m = bob_->store().messages().get(sent[1]);
            return m && m->has_value() && (*m)->body == QStringLiteral("secret greeting one, edited");
        }(),
        kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto m = bob_->store().messages().get(sent[2]);
            return m && m->has_value() && (*m)->tombstone;
        }(),
        kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto m = alice_->store().messages().get(sent[0]);
            return m && m->has_value() && (*m)->reactions.size() == 1
                && (*m)->reactions[0].emoji == QStringLiteral("+1");
        }(),
        kTimeoutMs);
    auto history = bob_->store().messages().editHistory(sent[1]);
    QVERIFY(history && history->size() == 1);

    // Plaintext never reaches the relay's files.
    relay_->stop();
    QDirIterator files(relay_->dataDir(), QDir::Files, QDirIterator::Subdirectories);
    int checked = 0;
    while (files.hasNext()) {
        QFile f(files.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        QVERIFY2(!data.contains("secret greeting"), qPrintable(f.fileName()));
        QVERIFY2(!data.contains("secret reply"), qPrintable(f.fileName()));
        ++checked;
    }
    QVERIFY(checked > 0);
}

void DirectMessagingTest::offlineRecipientReceivesAllInOrderOnce()
{
    // Bob is known to Alice from one earlier exchange, then goes offline.
    QVERIFY(MessagingTestClient::startAll({ alice_.get(), bob_.get() }));
    const QString conversation = alice_->openDirect(QStringLiteral("bob"));
    QVERIFY(!conversation.isEmpty());
    QVERIFY(alice_->messenger().queueText(conversation, QStringLiteral("before")));
    QTRY_COMPARE_WITH_TIMEOUT(bob_->received.size(), 1, kTimeoutMs);
    bob_->stop();
    bob_->received.clear();

    constexpr int kCount = 40;
    for (int i = 0; i < kCount; ++i)
        QVERIFY(alice_->messenger().queueText(conversation, QStringLiteral("offline %1").arg(i)));
    QTRY_COMPARE_WITH_TIMEOUT(outboxSize(*alice_), 0, kTimeoutMs);
    QCOMPARE(bob_->received.size(), 0);

    bob_->start();
    QTRY_COMPARE_WITH_TIMEOUT(bob_->received.size(), kCount, kTimeoutMs);
    QVERIFY(bob_->waitLive());
    QVERIFY(strictlyOrdered(bob_->received));
    for (int i = 0; i < kCount; ++i)
        QCOMPARE(bob_->received[i].body, QStringLiteral("offline %1").arg(i));
    QCOMPARE(bob_->store().messages().count(conversation).valueOr(-1), qint64(kCount + 1));
    QCOMPARE(bob_->store().inbox().size().valueOr(-1), 0);

    // Reconnecting again delivers nothing twice (cursors were acknowledged).
    bob_->stop();
    bob_->start();
    QVERIFY(bob_->waitLive());
    QVERIFY(alice_->messenger().queueText(conversation, QStringLiteral("after")));
    QTRY_COMPARE_WITH_TIMEOUT(bob_->received.size(), kCount + 1, kTimeoutMs);
    QCOMPARE(bob_->received.last().body, QStringLiteral("after"));
    QCOMPARE(bob_->store().messages().count(conversation).valueOr(-1), qint64(kCount + 2));
}

void DirectMessagingTest::relayKilledMidConversation()
{
    QVERIFY(MessagingTestClient::startAll({ alice_.get(), bob_.get() }));
    const QString conversation = alice_->openDirect(QStringLiteral("bob"));
    QVERIFY(!conversation.isEmpty());
    const int port = relay_->url().port();

    QStringList expected;
    auto send = [&](const QString& text) {
        auto id = alice_->messenger().queueText(conversation, text);
        QVERIFY(id);
        expected << text;
    };
    for (int i = 0; i < 5; ++i)
        send(QStringLiteral("first %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(bob_->received.size(), 5, kTimeoutMs);

    // Kill the relay while a burst is in flight: some appends are durable
    // without their answer reaching Alice, the rest never arrived.
    QSignalSpy delivered(&alice_->messenger(), &messaging::Messenger::deliveryChanged);
    for (int i = 0; i < 20; ++i)
        send(QStringLiteral("burst %1").arg(i));
    QTRY_VERIFY_WITH_TIMEOUT(delivered.size() >= 1, kTimeoutMs);
    relay_->stop(true);
    // Written while the relay is down.
    for (int i = 0; i < 5; ++i)
        send(QStringLiteral("while down %1").arg(i));
    QTRY_VERIFY_WITH_TIMEOUT(!alice_->messenger().sync().isLive(), kTimeoutMs);

    QVERIFY2(relay_->start({ QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port) }),
        qPrintable(relay_->error()));
    QCOMPARE(relay_->url().port(), port);
    QTRY_COMPARE_WITH_TIMEOUT(outboxSize(*alice_), 0, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(bob_->received.size(), expected.size(), kTimeoutMs);
    QCOMPARE(texts(bob_->received), expected);
    QVERIFY(strictlyOrdered(bob_->received));
    QSet<QString> ids;
    for (const auto& m : bob_->received)
        ids.insert(m.id);
    QCOMPARE(ids.size(), expected.size());
    QCOMPARE(bob_->store().messages().count(conversation).valueOr(-1), qint64(expected.size()));
}

void DirectMessagingTest::queuedOfflineSentOnReconnect()
{
    // Messages written while offline are committed as Queued and sent, in
    // order, once the client connects again.
    alice_->start();
    bob_->start();
    QVERIFY(alice_->waitLive());
    const QString conversation = alice_->openDirect(QStringLiteral("bob"));
    QVERIFY(!conversation.isEmpty());
    alice_->stop();
    QStringList ids;
    for (int i = 0; i < 3; ++i) {
        auto id = alice_->messenger().queueText(conversation, QStringLiteral("queued %1").arg(i));
        QVERIFY(id);
        ids << *id;
        auto m = alice_->store().messages().get(*id);
        QVERIFY(m && m->has_value());
        QCOMPARE((*m)->delivery, store::DeliveryState::Queued);
    }
    QCOMPARE(outboxSize(*alice_), 3);
    QVERIFY(bob_->waitLive());
    QCOMPARE(bob_->received.size(), 0);
    alice_->start();
    QTRY_COMPARE_WITH_TIMEOUT(bob_->received.size(), 3, kTimeoutMs);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(bob_->received[i].id, ids[i]);
    QTRY_COMPARE_WITH_TIMEOUT(outboxSize(*alice_), 0, kTimeoutMs);
}

void DirectMessagingTest::connectionDroppedWithFullWindow()
{
    // Alice's connection drops (three times) while a full window of appends
    // is in flight: some reached the relay without their answer, some did
    // not. Everything arrives once, in the order written, and the relay's
    // sequence follows Alice's outbox order.
    constexpr int kWindow = 16;
    constexpr int kCount = 120;
    QVERIFY(MessagingTestClient::startAll({ alice_.get(), bob_.get() }));
    const QString conversation = alice_->openDirect(QStringLiteral("bob"));
    QVERIFY(!conversation.isEmpty());
    QVERIFY(alice_->messenger().queueText(conversation, QStringLiteral("hello")));
    QTRY_COMPARE_WITH_TIMEOUT(bob_->received.size(), 1, kTimeoutMs);
    alice_->messenger().setSendWindow(kWindow);

    QStringList ids;
    QStringList expected;
    for (int i = 0; i < kCount; ++i) {
        auto id = alice_->messenger().queueText(conversation, QStringLiteral("window %1").arg(i));
        QVERIFY(id);
        ids << *id;
        expected << QStringLiteral("window %1").arg(i);
    }
    for (int drop = 0; drop < 3; ++drop) {
        QVERIFY(alice_->waitLive());
        // Event by event until the window is full, then drop at once
        // (before the answers can come back).
        QElapsedTimer waited;
        waited.start();
        while (alice_->messenger().appendsInFlight() < kWindow && waited.elapsed() < kTimeoutMs)
            QCoreApplication::processEvents();
        QCOMPARE(alice_->messenger().appendsInFlight(), kWindow);
        alice_->messenger().sync().client().close();
        QTRY_VERIFY_WITH_TIMEOUT(!alice_->messenger().sync().isLive(), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(alice_->messenger().appendsInFlight(), 0, kTimeoutMs);
    }
    QTRY_COMPARE_WITH_TIMEOUT(outboxSize(*alice_), 0, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(bob_->received.size(), kCount + 1, kTimeoutMs);
    const auto received = bob_->received.mid(1);
    QCOMPARE(texts(received), expected);
    QVERIFY(strictlyOrdered(received));
    // Alice's copies: sent, with the relay's seq increasing in outbox order.
    qint64 lastSeq = 0;
    for (const auto& id : ids) {
        auto m = alice_->store().messages().get(id);
        QVERIFY(m && m->has_value());
        // Sent, or already Delivered by the receipt.
        QVERIFY((*m)->delivery == store::DeliveryState::Sent || (*m)->delivery == store::DeliveryState::Delivered);
        QVERIFY((*m)->serverSeq && *(*m)->serverSeq > lastSeq);
        lastSeq = *(*m)->serverSeq;
    }
    QCOMPARE(bob_->store().messages().count(conversation).valueOr(-1), qint64(kCount + 1));
    // Lamport clocks: Alice's increase with each message; Bob's clock moved past them.
    for (int i = 1; i < received.size(); ++i)
        QVERIFY(received[i].lamport > received[i - 1].lamport);
    QVERIFY(bob_->messenger().lamportClock() > received.last().lamport);
}

// The Lamport clock is stored as a ceiling raised once per kLamportReserve
// ticks, not written per message; a raise undone by a rollback is noticed,
// and a restart continues above every value used.
void DirectMessagingTest::lamportCeilingSurvivesRollbackAndRestart()
{
    alice_->start();
    QVERIFY(alice_->waitLive());
    const QString conversation = alice_->openDirect(QStringLiteral("bob"));
    QVERIFY(!conversation.isEmpty());
    alice_->stop(); // queueing only: nothing needs to be sent
    auto& messenger = alice_->messenger();
    auto stored = [&] {
        auto value = alice_->store().keyValues().setting(QStringLiteral("messaging.lamport"));
        return value && value->has_value() ? (*value)->toLongLong() : qint64(-1);
    };
    auto lamportOf = [&](const QString& id) {
        auto m = alice_->store().messages().get(id);
        return m && m->has_value() ? (*m)->lamport : qint64(-1);
    };
    const qint64 before = stored();
    {
        // The first message raises the ceiling; the enclosing transaction is
        // rolled back, with the raise.
        store::Transaction outer(alice_->store().database());
        QVERIFY(outer.begun());
        QVERIFY(messenger.queueText(conversation, QStringLiteral("rolled back")));
        QVERIFY(stored() >= messenger.lamportClock());
    }
    QCOMPARE(stored(), before);
    auto first = messenger.queueText(conversation, QStringLiteral("first"));
    QVERIFY(first);
    const qint64 ceiling = stored();
    QVERIFY2(ceiling >= lamportOf(*first), qPrintable(QString::number(ceiling)));
    // Not written again while the clock stays below it.
    QString last;
    for (int i = 0; i < 10; ++i) {
        auto id = messenger.queueText(conversation, QStringLiteral("below %1").arg(i));
        QVERIFY(id);
        last = *id;
    }
    QCOMPARE(stored(), ceiling);
    QVERIFY(lamportOf(last) > lamportOf(*first));
    // Past it: raised in the same commit.
    QStringList texts;
    for (int i = 0; i < int(messaging::Messenger::kLamportReserve) + 5; ++i)
        texts << QStringLiteral("past %1").arg(i);
    auto batch = messenger.queueTexts(conversation, texts);
    QVERIFY(batch);
    const qint64 highest = lamportOf(batch->last());
    QVERIFY(highest > ceiling);
    QVERIFY(stored() >= highest);
    // A restart continues above every value used.
    QString error;
    alice_->closeProfile();
    QVERIFY2(alice_->reopenProfile(&error), qPrintable(error));
    QVERIFY(alice_->messenger().lamportClock() >= highest);
    auto after = alice_->messenger().queueText(conversation, QStringLiteral("after restart"));
    QVERIFY(after);
    QVERIFY(lamportOf(*after) > highest);
}

QTEST_GUILESS_MAIN(DirectMessagingTest)
#include "DirectMessagingTest.moc"
