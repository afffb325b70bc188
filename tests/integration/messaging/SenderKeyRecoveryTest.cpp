// SPDX-License-Identifier: GPL-3.0-or-later
// Sender-key recovery end to end (in-process clients, the real relay): a
// lost sender-key distribution is asked for and answered, a removed member
// is refused, and a flood of undecryptable messages makes one request.
#include "GroupTestSupport.h"
#include "MessagingTestClient.h"
#include "RelayProcess.h"

#include "tenchat/crypto/GroupCipher.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace tenchat;
using namespace tenchat::core;
using messaging::GroupEngine;
using messaging::UndecryptedEntry;
using tenchat::testing::createGroup;
using tenchat::testing::kGroupTimeoutMs;
using tenchat::testing::MessagingTestClient;

namespace {

QString hexOf(const std::string& bytes)
{
    return QString::fromLatin1(QByteArray::fromStdString(bytes).toHex());
}

// Makes `receiver` lose every to-device message (so every sender key)
// `sender` hands it until it asks for a key: the answers to its requests
// arrive. Counts the ones lost.
std::shared_ptr<int> dropSenderKeys(MessagingTestClient& receiver, MessagingTestClient& sender)
{
    auto dropped = std::make_shared<int>(0);
    auto asked = std::make_shared<bool>(false);
    QObject::connect(&receiver.messenger().groups(), &GroupEngine::senderKeyRequested, [asked] { *asked = true; });
    receiver.dropToDevice(
        [dropped, asked, senderHex = sender.account().userIdHex()](const tenchat::v1::ToDeviceMessage& message) {
            if (*asked || hexOf(message.sender().user_id()) != senderHex)
                return false;
            ++*dropped;
            return true;
        });
    return dropped;
}

// The texts `client` received in the conversation from `fromHandle`, in the
// order they were shown.
QStringList textsFrom(const MessagingTestClient& client, const QString& conversationId, const QString& fromHandle)
{
    QStringList out;
    for (int i = 0; i < client.received.size(); ++i)
        if (client.received[i].conversationId == conversationId && client.receivedFrom.value(i) == fromHandle)
            out << client.received[i].body;
    return out;
}

bool allSent(MessagingTestClient& client)
{
    return QTest::qWaitFor(
        [&] { return client.messenger().outboxSize().valueOr(-1) == 0 && !client.messenger().isSending(); },
        kGroupTimeoutMs);
}

QList<UndecryptedEntry> undecrypted(MessagingTestClient& client, const QString& conversationId)
{
    return client.messenger().groups().undecrypted(conversationId).valueOr(QList<UndecryptedEntry>());
}

QStringList numbered(const QString& prefix, int count)
{
    QStringList out;
    for (int i = 1; i <= count; ++i)
        out << prefix + QString::number(i);
    return out;
}

} // namespace

class SenderKeyRecoveryTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void lostDistributionIsRequestedAndAnswered();
    void removedMemberIsRefused();
    void floodOfUndecryptableMessagesMakesOneRequest();
    void laterKeyLeavesEarlierMessagesUndecryptable();
    void restartKeepsPendingRequest();

private:
    // A group of the three, created by alice; bob loses every sender key
    // alice hands him (except answers to his requests). Empty on failure.
    QString groupWhereBobLosesAlicesKey(const QString& name);
    // Bob goes offline, alice writes `texts` (carol reads them) and goes
    // offline too; bob comes back, holds them all as waiting and asks alice
    // once, the request waiting on the relay. False on any step's failure.
    bool aliceWritesWhileBobIsAway(const QString& group, const QStringList& texts, QSignalSpy& requested);

    std::unique_ptr<testing::RelayProcess> relay_;
    std::unique_ptr<MessagingTestClient> alice_;
    std::unique_ptr<MessagingTestClient> bob_;
    std::unique_ptr<MessagingTestClient> carol_;
};

void SenderKeyRecoveryTest::init()
{
    relay_ = std::make_unique<testing::RelayProcess>();
    QVERIFY2(relay_->start(), qPrintable(relay_->error()));
    QString error;
    const QString handles[] = { QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol") };
    auto clients = MessagingTestClient::createLive(relay_->url(), handles, &error);
    QVERIFY2(clients[0], qPrintable(error));
    alice_ = std::move(clients[0]);
    bob_ = std::move(clients[1]);
    carol_ = std::move(clients[2]);
}

void SenderKeyRecoveryTest::cleanup()
{
    alice_.reset();
    bob_.reset();
    carol_.reset();
    relay_.reset();
}

QString SenderKeyRecoveryTest::groupWhereBobLosesAlicesKey(const QString& name)
{
    auto dropped = dropSenderKeys(*bob_, *alice_);
    const QString group = createGroup(*alice_, name, { QStringLiteral("bob"), QStringLiteral("carol") });
    if (group.isEmpty() || !QTest::qWaitFor([&] { return *dropped >= 1; }, kGroupTimeoutMs))
        return {};
    return group;
}

void SenderKeyRecoveryTest::lostDistributionIsRequestedAndAnswered()
{
    QSignalSpy requested(&bob_->messenger().groups(), &GroupEngine::senderKeyRequested);
    QSignalSpy answered(&alice_->messenger().groups(), &GroupEngine::senderKeyRequestAnswered);
    const QString group = groupWhereBobLosesAlicesKey(QStringLiteral("recover"));
    QVERIFY(!group.isEmpty());

    const QStringList texts = numbered(QStringLiteral("alice says "), 5);
    QVERIFY(alice_->messenger().queueTexts(group, texts));
    QVERIFY(carol_->waitReceived(texts.last())); // carol had the key all along
    // Bob asks alice, alice answers over their pairwise session, and bob
    // shows every message, in order, once.
    QVERIFY(bob_->waitReceived(texts.last()));
    QCOMPARE(textsFrom(*bob_, group, QStringLiteral("alice")), texts);
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(1).toString(), alice_->account().userIdHex());
    QCOMPARE(answered.count(), 1);
    QCOMPARE(answered.at(0).at(1).toString(), bob_->account().userIdHex());
    QCOMPARE(bob_->store().messages().count(group).valueOr(-1), qint64(texts.size()));
    QVERIFY(undecrypted(*bob_, group).isEmpty());
    QCOMPARE(bob_->store().inbox().size().valueOr(-1), 0);
    // In the timeline too (relay order).
    auto page = bob_->store().messages().page(group, std::nullopt, 50);
    QVERIFY(page);
    QStringList timeline;
    for (const auto& m : *page)
        timeline.prepend(m.body); // newest first
    QCOMPARE(timeline, texts);

    // An entry delivered again after it was processed (as after a crash
    // before the acknowledgement) is behind bob's chain, but its message is
    // stored: a replay, dropped without a request or a "could not be
    // decrypted" entry.
    auto history = tenchat::testing::relayHistory(*bob_, group);
    QVERIFY(history);
    std::optional<tenchat::v1::Entry> first;
    for (const auto& e : history->history().entries())
        if (e.has_sender_key_ciphertext())
            first = e; // newest first: the last one is the oldest
    QVERIFY(first);
    store::InboxEnvelope again;
    again.conversationId = group;
    again.serverSeq = qint64(first->seq());
    again.envelope = QByteArray::fromStdString(first->SerializeAsString());
    again.receivedAt = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(bob_->store().inbox().add(again).valueOr(0) > 0);

    // Later messages need nothing more.
    QVERIFY(alice_->messenger().queueText(group, QStringLiteral("and one more")));
    QVERIFY(bob_->waitReceived(QStringLiteral("and one more")));
    QCOMPARE(requested.count(), 1);
    QCOMPARE(bob_->store().inbox().size().valueOr(-1), 0);
    QVERIFY(undecrypted(*bob_, group).isEmpty());
    QCOMPARE(textsFrom(*bob_, group, QStringLiteral("alice")), texts + QStringList { QStringLiteral("and one more") });
}

void SenderKeyRecoveryTest::removedMemberIsRefused()
{
    const QString group
        = createGroup(*alice_, QStringLiteral("club"), { QStringLiteral("bob"), QStringLiteral("carol") });
    QVERIFY(!group.isEmpty());
    QVERIFY(alice_->messenger().queueText(group, QStringLiteral("before")));
    QVERIFY(carol_->waitReceived(QStringLiteral("before")));
    QVERIFY(bob_->waitReceived(QStringLiteral("before")));

    QSignalSpy removed(&carol_->messenger().groups(), &GroupEngine::removedFromGroup);
    auto ok = tenchat::testing::waitOk(
        [&](auto done) { alice_->messenger().groups().removeMember(group, QStringLiteral("carol"), done); });
    QVERIFY2(ok, ok ? "" : qPrintable(ok.error().message));
    QVERIFY(QTest::qWaitFor([&] { return removed.count() > 0; }, kGroupTimeoutMs));
    QVERIFY(alice_->messenger().queueText(group, QStringLiteral("after")));
    QVERIFY(bob_->waitReceived(QStringLiteral("after")));

    // Carol asks alice for the key of the message sent after her removal
    // (its ciphertext as bob fetched it), and for her old key.
    auto history = tenchat::testing::relayHistory(*bob_, group);
    QVERIFY(history);
    std::optional<tenchat::v1::Entry> after;
    for (const auto& e : history->history().entries())
        if (e.has_sender_key_ciphertext() && hexOf(e.sender().user_id()) == alice_->account().userIdHex()) {
            after = e; // newest first: the first is "after"
            break;
        }
    QVERIFY(after);
    const auto& ct = after->sender_key_ciphertext();
    const crypto::Bytes ciphertext(ct.begin(), ct.end());
    auto position = crypto::GroupCipher::messagePosition(ciphertext);
    QVERIFY(position);
    QSignalSpy refused(&alice_->messenger().groups(), &GroupEngine::senderKeyRequestRefused);
    QSignalSpy answered(&alice_->messenger().groups(), &GroupEngine::senderKeyRequestAnswered);
    const QString aliceHex = alice_->account().userIdHex();
    const quint32 aliceDevice = alice_->account().deviceId();
    carol_->messenger().groups().requestSenderKey(group, aliceHex, aliceDevice, position->keyId, 0);
    QVERIFY(QTest::qWaitFor([&] { return refused.count() == 1; }, kGroupTimeoutMs));
    QCOMPARE(refused.at(0).at(1).toString(), carol_->account().userIdHex());
    carol_->messenger().groups().requestSenderKey(group, aliceHex, aliceDevice, position->keyId - 1, 0);
    QVERIFY(QTest::qWaitFor([&] { return refused.count() == 2; }, kGroupTimeoutMs));
    QCOMPARE(answered.count(), 0);

    // A barrier: a direct message alice writes after refusing; then carol
    // still reads nothing sent after her removal.
    const QString direct = alice_->openDirect(QStringLiteral("carol"));
    QVERIFY(!direct.isEmpty());
    QVERIFY(alice_->messenger().queueText(direct, QStringLiteral("barrier")));
    QVERIFY(carol_->waitReceived(QStringLiteral("barrier")));
    QVERIFY(!carol_->hasReceived(QStringLiteral("after")));
    auto cipher = crypto::GroupCipher::create(carol_->store().protocolStore(),
        { group.toStdString(), { aliceHex.toStdString(), std::int32_t(aliceDevice) } });
    QVERIFY(cipher);
    auto plain = cipher->decrypt(ciphertext);
    QVERIFY2(!plain, "a removed member decrypted a message sent after the removal");
    QCOMPARE(plain.error().code, crypto::CryptoErrorCode::SenderKeyMissing);
}

bool SenderKeyRecoveryTest::aliceWritesWhileBobIsAway(
    const QString& group, const QStringList& texts, QSignalSpy& requested)
{
    bob_->stop();
    if (!alice_->messenger().queueTexts(group, texts) || !carol_->waitReceived(texts.last()) || !allSent(*alice_))
        return false;
    alice_->stop();
    bob_->start();
    if (!bob_->waitLive())
        return false;
    if (!QTest::qWaitFor([&] { return undecrypted(*bob_, group).size() == texts.size(); }, kGroupTimeoutMs))
        return false;
    for (const auto& e : undecrypted(*bob_, group))
        if (e.state != UndecryptedEntry::State::Waiting)
            return false;
    return QTest::qWaitFor([&] { return requested.count() >= 1; }, kGroupTimeoutMs);
}

void SenderKeyRecoveryTest::floodOfUndecryptableMessagesMakesOneRequest()
{
    const QString group = groupWhereBobLosesAlicesKey(QStringLiteral("flood"));
    QVERIFY(!group.isEmpty());

    // Bob offline while alice writes 40 messages, then alice goes offline:
    // bob's request waits on the relay until she is back.
    const QStringList texts = numbered(QStringLiteral("flood "), 40);
    QSignalSpy requested(&bob_->messenger().groups(), &GroupEngine::senderKeyRequested);
    QVERIFY(aliceWritesWhileBobIsAway(group, texts, requested));
    // More group traffic makes bob look at the waiting entries again: still
    // one request.
    QVERIFY(carol_->messenger().queueText(group, QStringLiteral("carol is here")));
    QVERIFY(bob_->waitReceived(QStringLiteral("carol is here")));
    QCOMPARE(requested.count(), 1);
    QVERIFY(textsFrom(*bob_, group, QStringLiteral("alice")).isEmpty());

    // Alice comes back, answers, and bob shows all of them in order, once.
    alice_->start();
    QVERIFY(alice_->waitLive());
    QVERIFY(bob_->waitReceived(texts.last()));
    QCOMPARE(textsFrom(*bob_, group, QStringLiteral("alice")), texts);
    QCOMPARE(requested.count(), 1);
    QVERIFY(undecrypted(*bob_, group).isEmpty());
}

void SenderKeyRecoveryTest::laterKeyLeavesEarlierMessagesUndecryptable()
{
    const QString group = groupWhereBobLosesAlicesKey(QStringLiteral("gone"));
    QVERIFY(!group.isEmpty());
    // Alice no longer has her key from the start (as after losing her
    // checkpoints): she can only hand out the key from now on.
    QVERIFY(alice_->store().keyValues().setSetting(QStringLiteral("group.sk.checkpoints.") + group, QByteArray()));
    bob_->stop();
    const QStringList texts = numbered(QStringLiteral("early "), 3);
    QVERIFY(alice_->messenger().queueTexts(group, texts));
    QVERIFY(carol_->waitReceived(texts.last()));
    QVERIFY(allSent(*alice_));

    QSignalSpy answered(&alice_->messenger().groups(), &GroupEngine::senderKeyRequestAnswered);
    bob_->start();
    QVERIFY(bob_->waitLive());
    QVERIFY(QTest::qWaitFor([&] { return answered.count() == 1; }, kGroupTimeoutMs));
    // The key from a later iteration does not open the earlier messages:
    // they stay, marked undecryptable, instead of vanishing.
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto entries = undecrypted(*bob_, group);
            return entries.size() == texts.size()
                && std::all_of(entries.begin(), entries.end(),
                    [](const UndecryptedEntry& e) { return e.state == UndecryptedEntry::State::Undecryptable; });
        },
        kGroupTimeoutMs));
    QVERIFY(textsFrom(*bob_, group, QStringLiteral("alice")).isEmpty());
    // What alice writes from now on opens.
    QVERIFY(alice_->messenger().queueText(group, QStringLiteral("from now on")));
    QVERIFY(bob_->waitReceived(QStringLiteral("from now on")));
    QCOMPARE(textsFrom(*bob_, group, QStringLiteral("alice")), QStringList { QStringLiteral("from now on") });
    QCOMPARE(undecrypted(*bob_, group).size(), texts.size());
}

void SenderKeyRecoveryTest::restartKeepsPendingRequest()
{
    const QString group = groupWhereBobLosesAlicesKey(QStringLiteral("restart"));
    QVERIFY(!group.isEmpty());
    // Alice writes while bob is offline and goes offline; bob asks her
    // once, and the request waits on the relay.
    const QStringList texts = numbered(QStringLiteral("before restart "), 3);
    QSignalSpy requested(&bob_->messenger().groups(), &GroupEngine::senderKeyRequested);
    QVERIFY(aliceWritesWhileBobIsAway(group, texts, requested));
    QCOMPARE(requested.count(), 1);

    // Bob restarts (a new engine over the same profile).
    bob_->closeProfile();
    QString error;
    QVERIFY2(bob_->reopenProfile(&error), qPrintable(error));
    QSignalSpy again(&bob_->messenger().groups(), &GroupEngine::senderKeyRequested);
    bob_->start();
    QVERIFY(bob_->waitLive());
    // The entries still wait; carol's message is processed after them.
    QVERIFY(carol_->messenger().queueText(group, QStringLiteral("after the restart")));
    QVERIFY(bob_->waitReceived(QStringLiteral("after the restart")));
    QCOMPARE(undecrypted(*bob_, group).size(), texts.size());
    // The limit from before the restart holds: a user's "request again" is
    // refused (when it may ask again: about a minute after the first ask),
    // and nothing was asked again by itself.
    const qint64 next = bob_->messenger().groups().requestAgain(group);
    QVERIFY2(next > QDateTime::currentMSecsSinceEpoch(), qPrintable(QString::number(next)));
    QVERIFY(next <= QDateTime::currentMSecsSinceEpoch() + 60'000);
    QCOMPARE(again.count(), 0);

    // Alice comes back and answers the request sent before the restart:
    // bob shows the messages.
    alice_->start();
    QVERIFY(alice_->waitLive());
    for (const QString& text : texts)
        QVERIFY(bob_->waitReceived(text));
    QCOMPARE(again.count(), 0);
    QVERIFY(undecrypted(*bob_, group).isEmpty());
    // Answered: nothing is kept for the next restart.
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto kept = bob_->store().keyValues().setting(QStringLiteral("group.sk.requests"));
            return kept && (!kept->has_value() || QJsonDocument::fromJson(**kept).object().isEmpty());
        },
        kGroupTimeoutMs));
}

QTEST_GUILESS_MAIN(SenderKeyRecoveryTest)
#include "SenderKeyRecoveryTest.moc"
