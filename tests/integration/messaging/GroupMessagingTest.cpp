// SPDX-License-Identifier: GPL-3.0-or-later
// Groups, channels and ephemeral conversations end to end: in-process
// clients, the real relay.
#include "GroupTestSupport.h"
#include "MessagingTestClient.h"
#include "RelayProcess.h"

#include "tenchat/core/store/ChangeNotifier.h"
#include "tenchat/core/store/Database.h"
#include "tenchat/core/store/SearchIndex.h"
#include "tenchat/core/store/Statement.h"
#include "tenchat/crypto/GroupCipher.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace tenchat;
using namespace tenchat::core;
using core::messaging::MessagingErrorCode;
using core::messaging::MessagingExpected;
using core::messaging::MessagingOk;
using tenchat::testing::createGroup;
using tenchat::testing::MessagingTestClient;

namespace {

constexpr int kTimeoutMs = 30000;

bool waitForText(MessagingTestClient& client, const QString& text)
{
    return client.waitReceived(text, kTimeoutMs);
}

bool sentOk(MessagingTestClient& client, const QString& messageId)
{
    return QTest::qWaitFor(
        [&] {
            auto m = client.store().messages().get(messageId);
            return m && m->has_value() && (*m)->delivery == store::DeliveryState::Sent;
        },
        kTimeoutMs);
}

bool isMember(MessagingTestClient& client, const QString& conversationId, const QString& userIdHex)
{
    auto members = client.store().conversations().members(conversationId);
    if (!members)
        return false;
    for (const auto& m : *members)
        if (m.first == userIdHex)
            return true;
    return false;
}

qint64 reactionRows(store::ProfileStore& s, const QString& id)
{
    return s.database().count("SELECT count(*) FROM reactions WHERE message_id = ?", id).valueOr(-1);
}

} // namespace

class GroupMessagingTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void groupOfThree();
    void removedMemberCannotReadNewMessages();
    void channelReaderCannotPost();
    void ephemeralMessagesVanishEverywhere();
    void ephemeralMessageExpiredBeforeSendingIsNotSent();

private:
    std::unique_ptr<testing::RelayProcess> relay_;
    std::unique_ptr<MessagingTestClient> alice_;
    std::unique_ptr<MessagingTestClient> bob_;
    std::unique_ptr<MessagingTestClient> carol_;
};

void GroupMessagingTest::init()
{
    relay_ = std::make_unique<testing::RelayProcess>();
    QVERIFY2(relay_->start(), qPrintable(relay_->error()));
    QString error;
    alice_ = MessagingTestClient::create(relay_->url(), QStringLiteral("alice"), &error);
    QVERIFY2(alice_, qPrintable(error));
    bob_ = MessagingTestClient::create(relay_->url(), QStringLiteral("bob"), &error);
    QVERIFY2(bob_, qPrintable(error));
    carol_ = MessagingTestClient::create(relay_->url(), QStringLiteral("carol"), &error);
    QVERIFY2(carol_, qPrintable(error));
    QVERIFY(MessagingTestClient::startAll({ alice_.get(), bob_.get(), carol_.get() }));
}

void GroupMessagingTest::cleanup()
{
    alice_.reset();
    bob_.reset();
    carol_.reset();
    relay_.reset();
}

void GroupMessagingTest::groupOfThree()
{
    const QString group
        = createGroup(*alice_, QStringLiteral("team"), { QStringLiteral("bob"), QStringLiteral("carol") });
    QVERIFY(!group.isEmpty());
    auto info = alice_->messenger().groups().info(group);
    QVERIFY(info);
    QCOMPARE(info->members.size(), 3);
    QCOMPARE(info->ownRole, store::MemberRole::Owner);

    // The members learn the group and its name from the creator (end to end).
    for (auto* c : { bob_.get(), carol_.get() }) {
        QVERIFY(QTest::qWaitFor(
            [&] { return c->messenger().groups().resolve(QStringLiteral("team")).valueOr(QString()) == group; },
            kTimeoutMs));
        auto theirs = c->messenger().groups().info(group);
        QVERIFY(theirs && theirs->member);
        QCOMPARE(theirs->ownRole, store::MemberRole::Member);
    }

    auto a = alice_->messenger().queueText(group, QStringLiteral("hello team"));
    QVERIFY(a);
    QVERIFY(waitForText(*bob_, QStringLiteral("hello team")));
    QVERIFY(waitForText(*carol_, QStringLiteral("hello team")));
    auto b = bob_->messenger().queueText(group, QStringLiteral("hi from bob"));
    QVERIFY(b);
    auto c = carol_->messenger().queueText(group, QStringLiteral("hi from carol"));
    QVERIFY(c);
    QVERIFY(waitForText(*alice_, QStringLiteral("hi from bob")));
    QVERIFY(waitForText(*alice_, QStringLiteral("hi from carol")));
    QVERIFY(waitForText(*carol_, QStringLiteral("hi from bob")));
    QVERIFY(waitForText(*bob_, QStringLiteral("hi from carol")));
    QVERIFY(sentOk(*alice_, *a));

    // Sender and conversation as seen by the receivers.
    for (int i = 0; i < bob_->received.size(); ++i) {
        QCOMPARE(bob_->received[i].conversationId, group);
        if (bob_->received[i].body == QLatin1String("hello team"))
            QCOMPARE(bob_->receivedFrom[i], QStringLiteral("alice"));
    }
    // Each message arrived once.
    QCOMPARE(alice_->received.size(), 2);
    QCOMPARE(bob_->received.size(), 2);
    QCOMPARE(carol_->received.size(), 2);

    // On the relay a group message is one sender-key ciphertext.
    const auto history = tenchat::testing::relayHistory(*bob_, group);
    QVERIFY(history);
    int senderKeyEntries = 0;
    for (const auto& e : history->history().entries()) {
        QVERIFY(!e.has_device_ciphertext());
        if (e.has_sender_key_ciphertext()) {
            ++senderKeyEntries;
            QVERIFY(e.sender_key_ciphertext().find("hello team") == std::string::npos);
        }
    }
    QCOMPARE(senderKeyEntries, 3);
}

void GroupMessagingTest::removedMemberCannotReadNewMessages()
{
    const QString group
        = createGroup(*alice_, QStringLiteral("club"), { QStringLiteral("bob"), QStringLiteral("carol") });
    QVERIFY(!group.isEmpty());
    // Everyone has everyone's key first.
    QVERIFY(alice_->messenger().queueText(group, QStringLiteral("before a")));
    QVERIFY(waitForText(*carol_, QStringLiteral("before a")));
    QVERIFY(bob_->messenger().queueText(group, QStringLiteral("before b")));
    QVERIFY(waitForText(*carol_, QStringLiteral("before b")));
    QVERIFY(carol_->messenger().queueText(group, QStringLiteral("before c")));
    QVERIFY(waitForText(*bob_, QStringLiteral("before c")));
    QVERIFY(waitForText(*alice_, QStringLiteral("before c")));

    QSignalSpy removed(&carol_->messenger().groups(), &messaging::GroupEngine::removedFromGroup);
    auto ok = tenchat::testing::waitOk(
        [&](auto done) { alice_->messenger().groups().removeMember(group, QStringLiteral("carol"), done); });
    QVERIFY2(ok, ok ? "" : qPrintable(ok.error().message));
    QVERIFY(QTest::qWaitFor([&] { return removed.count() > 0; }, kTimeoutMs));
    QVERIFY(!isMember(*carol_, group, carol_->account().userIdHex()));
    QVERIFY(QTest::qWaitFor([&] { return !isMember(*bob_, group, carol_->account().userIdHex()); }, kTimeoutMs));
    // Carol can no longer post (typed error, nothing queued).
    auto refused = carol_->messenger().queueText(group, QStringLiteral("still here?"));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, MessagingErrorCode::NotFound);

    QVERIFY(alice_->messenger().queueText(group, QStringLiteral("after a")));
    QVERIFY(bob_->messenger().queueText(group, QStringLiteral("after b")));
    QVERIFY(waitForText(*bob_, QStringLiteral("after a")));
    QVERIFY(waitForText(*alice_, QStringLiteral("after b")));

    // A barrier: a direct message to carol written after the group messages.
    const QString direct = alice_->openDirect(QStringLiteral("carol"));
    QVERIFY(!direct.isEmpty());
    QVERIFY(alice_->messenger().queueText(direct, QStringLiteral("barrier")));
    QVERIFY(waitForText(*carol_, QStringLiteral("barrier")));
    QVERIFY(!carol_->hasReceived(QStringLiteral("after a")));
    QVERIFY(!carol_->hasReceived(QStringLiteral("after b")));
    QCOMPARE(carol_->store().inbox().pending(100).valueOr(QList<store::InboxEnvelope>()).size(), 0);

    // Even given the ciphertexts (here: as bob fetched them), carol's old
    // sender keys do not open them: both senders rotated.
    const auto history = tenchat::testing::relayHistory(*bob_, group);
    QVERIFY(history);
    int tried = 0;
    bool pastRemoval = false;
    // Newest first: the entries before the removal entry were sent after it.
    for (const auto& e : history->history().entries()) {
        if (e.has_membership()) {
            pastRemoval = true;
            continue;
        }
        if (pastRemoval || !e.has_sender_key_ciphertext())
            continue;
        const std::string sender = QByteArray::fromStdString(e.sender().user_id()).toHex().toStdString();
        auto cipher = crypto::GroupCipher::create(
            carol_->store().protocolStore(), { group.toStdString(), { sender, std::int32_t(e.sender().device_id()) } });
        QVERIFY(cipher);
        const auto& ct = e.sender_key_ciphertext();
        auto plain = cipher->decrypt(crypto::Bytes(ct.begin(), ct.end()));
        QVERIFY2(!plain, "a removed member decrypted a message sent after the removal");
        QCOMPARE(plain.error().code, crypto::CryptoErrorCode::SenderKeyMissing);
        ++tried;
    }
    QCOMPARE(tried, 2);
    // The remaining members still read each other (and bob's view has two members).
    auto bobsView = bob_->messenger().groups().info(group);
    QVERIFY(bobsView);
    QCOMPARE(bobsView->members.size(), 2);
}

void GroupMessagingTest::channelReaderCannotPost()
{
    const QString channel = createGroup(*alice_, QStringLiteral("news"), { QStringLiteral("bob") }, true);
    QVERIFY(!channel.isEmpty());
    QVERIFY(alice_->messenger().queueText(channel, QStringLiteral("first issue")));
    QVERIFY(waitForText(*bob_, QStringLiteral("first issue")));
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto info = bob_->messenger().groups().info(channel);
            return info && info->channel;
        },
        kTimeoutMs));

    // The client refuses with a typed error and stores nothing.
    const qint64 before = bob_->store().messages().count(channel).valueOr(-1);
    auto refused = bob_->messenger().queueText(channel, QStringLiteral("reader post"));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, MessagingErrorCode::Forbidden);
    QCOMPARE(bob_->store().messages().count(channel).valueOr(-1), before);
    QCOMPARE(bob_->messenger().outboxSize().valueOr(-1), 0);

    // And the relay refuses a reader's append that bypasses the client.
    tenchat::v1::Request req;
    req.mutable_append()->set_conversation_id(QByteArray::fromHex(channel.toLatin1()).toStdString());
    req.mutable_append()->set_message_id(std::string(16, '\x42'));
    req.mutable_append()->set_sender_key_ciphertext("not really a ciphertext");
    const auto answer = bob_->relayRequest(req, kTimeoutMs);
    QVERIFY(answer.has_value());
    QVERIFY(*answer);
    QCOMPARE((*answer)->status(), tenchat::v1::STATUS_FORBIDDEN);
    QVERIFY(!alice_->hasReceived(QStringLiteral("reader post")));

    // Promoted to admin by the owner, bob may post.
    auto promoted = tenchat::testing::waitOk([&](auto done) {
        alice_->messenger().groups().setRole(channel, QStringLiteral("bob"), store::MemberRole::Admin, done);
    });
    QVERIFY2(promoted, promoted ? "" : qPrintable(promoted.error().message));
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto info = bob_->messenger().groups().info(channel);
            return info && info->ownRole == store::MemberRole::Admin;
        },
        kTimeoutMs));
    QVERIFY(bob_->messenger().queueText(channel, QStringLiteral("admin post")));
    QVERIFY(waitForText(*alice_, QStringLiteral("admin post")));
}

void GroupMessagingTest::ephemeralMessagesVanishEverywhere()
{
    constexpr quint32 kTtl = 3; // short, with room for a loaded machine
    const QString group = createGroup(*alice_, QStringLiteral("vanishing"), { QStringLiteral("bob") }, false, kTtl);
    QVERIFY(!group.isEmpty());
    QSignalSpy aliceRemoved(&alice_->store().notifier(), &store::ChangeNotifier::messageRemoved);
    QSignalSpy bobRemoved(&bob_->store().notifier(), &store::ChangeNotifier::messageRemoved);
    QSignalSpy bobExpired(&bob_->messenger(), &messaging::Messenger::messageExpired);

    store::SearchIndex::Query destructing;
    destructing.text = QStringLiteral("destructing");
    auto id = alice_->messenger().queueText(group, QStringLiteral("self destructing words"));
    QVERIFY(id);
    const qint64 sentAt = QDateTime::currentMSecsSinceEpoch();
    {
        auto mine = alice_->store().messages().get(*id);
        QVERIFY(mine && mine->has_value() && (*mine)->expiresAt.has_value());
        QVERIFY(*(*mine)->expiresAt <= sentAt + kTtl * 1000);
    }
    QVERIFY(waitForText(*bob_, QStringLiteral("self destructing words")));
    // The message carries its expiry (the relay's time + TTL).
    const auto& theirs = bob_->received.constLast();
    QVERIFY(theirs.expiresAt.has_value() && theirs.serverSeq.has_value());
    const qint64 messageSeq = *theirs.serverSeq;
    QVERIFY(
        *theirs.expiresAt > sentAt - 5000 && *theirs.expiresAt <= QDateTime::currentMSecsSinceEpoch() + kTtl * 1000);
    // Bob reacts while it exists (a reactions row to go with it).
    QVERIFY(bob_->messenger().queueReaction(*id, QStringLiteral("+1")));
    QCOMPARE(reactionRows(bob_->store(), *id), qint64(1));
    QVERIFY(!bob_->store().search().search(destructing).valueOr(QList<store::SearchHit>()).isEmpty());

    // Gone from both stores after the TTL, with change notifications.
    for (auto* c : { alice_.get(), bob_.get() })
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto m = c->store().messages().get(*id);
                return m && !m->has_value();
            },
            kTimeoutMs));
    auto removedIds = [](const QSignalSpy& spy) {
        QStringList ids;
        for (const auto& args : spy)
            ids << args.at(1).toString();
        return ids;
    };
    QVERIFY(removedIds(aliceRemoved).contains(*id));
    QVERIFY(removedIds(bobRemoved).contains(*id));
    QVERIFY(removedIds(bobExpired).contains(*id));
    // No full-text entry and no reactions left behind.
    QVERIFY(bob_->store().search().search(destructing).valueOr(QList<store::SearchHit>()).isEmpty());
    QVERIFY(alice_->store().search().search(destructing).valueOr(QList<store::SearchHit>()).isEmpty());
    QCOMPARE(reactionRows(bob_->store(), *id), qint64(0));

    // The relay does not serve expired entries either (and purges them).
    const qint64 asked = QDateTime::currentMSecsSinceEpoch();
    const auto history = tenchat::testing::relayHistory(*bob_, group);
    QVERIFY(history);
    for (const auto& e : history->history().entries()) {
        QVERIFY(e.seq() != std::uint64_t(messageSeq)); // the message's entry is gone
        QVERIFY(e.expires_ms() > std::uint64_t(asked)); // what is served has not expired (bob's reaction, later)
    }
}

void GroupMessagingTest::ephemeralMessageExpiredBeforeSendingIsNotSent()
{
    constexpr quint32 kTtl = 1;
    const QString group = createGroup(*alice_, QStringLiteral("brief"), { QStringLiteral("bob") }, false, kTtl);
    QVERIFY(!group.isEmpty());
    alice_->stop();
    auto stale = alice_->messenger().queueText(group, QStringLiteral("too late"));
    QVERIFY(stale);
    const qint64 due = QDateTime::currentMSecsSinceEpoch() + kTtl * 1000;
    QVERIFY(QTest::qWaitFor([&] { return QDateTime::currentMSecsSinceEpoch() > due; }, kTimeoutMs));
    alice_->start();
    QVERIFY(alice_->waitLive());
    // Expired locally at start, and never sent.
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto m = alice_->store().messages().get(*stale);
            return m && !m->has_value();
        },
        kTimeoutMs));
    QVERIFY(alice_->messenger().queueText(group, QStringLiteral("in time")));
    QVERIFY(waitForText(*bob_, QStringLiteral("in time")));
    QVERIFY(!bob_->hasReceived(QStringLiteral("too late")));
    QTRY_COMPARE_WITH_TIMEOUT(alice_->messenger().outboxSize().valueOr(-1), 0, kTimeoutMs);
}

QTEST_GUILESS_MAIN(GroupMessagingTest)
#include "GroupMessagingTest.moc"
