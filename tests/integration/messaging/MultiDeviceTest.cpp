// SPDX-License-Identifier: GPL-3.0-or-later
// Multi-device end to end with the real relay: linking a second device,
// both devices receive and see what the other sent, revocation, delivery
// and read receipts, typing and presence, and failed links.
#include "MessagingTestClient.h"
#include "RelayProcess.h"

#include "tenchat/core/messaging/LinkApproval.h"
#include "tenchat/core/messaging/LinkRequest.h"
#include "tenchat/crypto/DeviceLinkCrypto.h"

#include <QSignalSpy>
#include <QTest>

using namespace tenchat;
using namespace tenchat::core;
using namespace tenchat::core::messaging;
using store::DeliveryState;
using tenchat::testing::MessagingTestClient;

namespace {

constexpr int kTimeoutMs = 30000;

} // namespace

class MultiDeviceTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void linkedDevicesReceiveAndSeeEachOther();
    void revokedDeviceReceivesNothingNew();
    void deliveryAndReadReceipts();
    void typingAndPresenceAreEphemeral();
    void linkWithWrongOrExpiredCodeFails();

private:
    // alice and bob (started, live, with a direct conversation), bob2 linked to bob.
    void linkBob2();
    std::unique_ptr<testing::RelayProcess> relay_;
    std::unique_ptr<MessagingTestClient> alice_;
    std::unique_ptr<MessagingTestClient> bob_;
    std::unique_ptr<MessagingTestClient> bob2_;
    QString conv_; // alice's direct conversation with bob
};

void MultiDeviceTest::init()
{
    relay_ = std::make_unique<testing::RelayProcess>();
    QVERIFY2(relay_->start(), qPrintable(relay_->error()));
    QString error;
    alice_ = MessagingTestClient::create(relay_->url(), QStringLiteral("alice"), &error);
    QVERIFY2(alice_, qPrintable(error));
    bob_ = MessagingTestClient::create(relay_->url(), QStringLiteral("bob"), &error);
    QVERIFY2(bob_, qPrintable(error));
    QVERIFY(MessagingTestClient::startAll({ alice_.get(), bob_.get() }));
    conv_ = alice_->openDirect(QStringLiteral("bob"));
    QVERIFY(!conv_.isEmpty());
    // A first exchange: bob knows alice (a contact that moves to bob2).
    QVERIFY(alice_->messenger().queueText(conv_, QStringLiteral("hello bob")));
    QVERIFY(bob_->waitReceived(QStringLiteral("hello bob"), kTimeoutMs));
}

void MultiDeviceTest::cleanup()
{
    bob2_.reset();
    alice_.reset();
    bob_.reset();
    relay_.reset();
}

void MultiDeviceTest::linkBob2()
{
    QString error;
    bob2_ = MessagingTestClient::createLinked(relay_->url(), *bob_, &error);
    QVERIFY2(bob2_, qPrintable(error));
    QCOMPARE(bob2_->account().userIdHex(), bob_->account().userIdHex());
    QCOMPARE(bob2_->account().handle(), QStringLiteral("bob"));
    QCOMPARE(bob2_->account().deviceId(), 2u);
    // The account's identity moved; the contact list and its trust with it.
    QCOMPARE(bob2_->account().identityPublicKey(), bob_->account().identityPublicKey());
    QCOMPARE(bob2_->messenger().handleOf(alice_->account().userIdHex()), QStringLiteral("alice"));
    QCOMPARE(bob2_->messenger().safetyNumber(QStringLiteral("alice")).valueOr(QString()),
        bob_->messenger().safetyNumber(QStringLiteral("alice")).valueOr(QStringLiteral("x")));
    bob2_->start();
    QVERIFY(bob2_->waitLive());
}

void MultiDeviceTest::linkedDevicesReceiveAndSeeEachOther()
{
    linkBob2();
    if (QTest::currentTestFailed())
        return;
    // alice -> bob: both of bob's devices get it.
    auto toBob = alice_->messenger().queueText(conv_, QStringLiteral("to both devices"));
    QVERIFY(toBob);
    QVERIFY(bob_->waitReceived(QStringLiteral("to both devices"), kTimeoutMs));
    QVERIFY(bob2_->waitReceived(QStringLiteral("to both devices"), kTimeoutMs));
    // bob's new device is the same identity for alice: nothing held, no warning.
    QCOMPARE(alice_->messenger().identityChanged(QStringLiteral("bob")).valueOr(true), false);

    // bob2 -> alice: alice gets it; bob's first device stores it as sent by us.
    const QString bob2Conv = bob2_->openDirect(QStringLiteral("alice"));
    QCOMPARE(bob2Conv, conv_);
    auto fromBob2 = bob2_->messenger().queueText(bob2Conv, QStringLiteral("from the second device"));
    QVERIFY(fromBob2);
    QVERIFY(alice_->waitReceived(QStringLiteral("from the second device"), kTimeoutMs));
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto m = bob_->store().messages().get(*fromBob2);
            return m && m->has_value();
        },
        kTimeoutMs));
    auto sibling = bob_->store().messages().get(*fromBob2);
    QVERIFY((*sibling)->outgoing);
    QCOMPARE((*sibling)->body, QStringLiteral("from the second device"));
    QCOMPARE((*sibling)->senderDeviceId, 2);

    // bob (device 1) -> alice: bob2 sees it as its own.
    auto fromBob1 = bob_->messenger().queueText(conv_, QStringLiteral("from the first device"));
    QVERIFY(fromBob1);
    QVERIFY(alice_->waitReceived(QStringLiteral("from the first device"), kTimeoutMs));
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto m = bob2_->store().messages().get(*fromBob1);
            return m && m->has_value() && (*m)->outgoing;
        },
        kTimeoutMs));

    // devices lists both, this one marked.
    std::optional<MessagingExpected<QList<OwnDevice>>> list;
    bob2_->messenger().listDevices([&](auto r) { list = std::move(r); });
    QVERIFY(QTest::qWaitFor([&] { return list.has_value(); }, kTimeoutMs));
    QVERIFY(*list);
    QCOMPARE((*list)->size(), 2);
    QCOMPARE((*list)->at(1).id, 2u);
    QVERIFY((*list)->at(1).current && !(*list)->at(0).current);
    QCOMPARE((*list)->at(1).name, QStringLiteral("second"));
}

void MultiDeviceTest::revokedDeviceReceivesNothingNew()
{
    linkBob2();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(alice_->messenger().queueText(conv_, QStringLiteral("before revocation")));
    QVERIFY(bob2_->waitReceived(QStringLiteral("before revocation"), kTimeoutMs));

    QSignalSpy fatal(&bob2_->messenger().sync(), &SyncCoordinator::fatalError);
    std::optional<MessagingOk> revoked;
    bob_->messenger().revokeDevice(2, [&](MessagingOk ok) { revoked = std::move(ok); });
    QVERIFY(QTest::qWaitFor([&] { return revoked.has_value(); }, kTimeoutMs));
    QVERIFY2(*revoked, qPrintable(revoked->error().message));
    QVERIFY(QTest::qWaitFor([&] { return fatal.count() > 0; }, kTimeoutMs));

    // alice's next message reaches bob's remaining device, and is sent (not stuck on device 2).
    auto after = alice_->messenger().queueText(conv_, QStringLiteral("after revocation"));
    QVERIFY(after);
    QVERIFY(bob_->waitReceived(QStringLiteral("after revocation"), kTimeoutMs));
    // The revoked device cannot come back: it is refused at authentication.
    bob2_->stop();
    QSignalSpy refused(&bob2_->messenger().sync(), &SyncCoordinator::fatalError);
    bob2_->start();
    QVERIFY(QTest::qWaitFor([&] { return refused.count() > 0; }, kTimeoutMs));
    QVERIFY(!bob2_->messenger().sync().isLive());
    QVERIFY(!bob2_->hasReceived(QStringLiteral("after revocation")));
    auto stored = bob2_->store().messages().get(*after);
    QVERIFY(stored && !stored->has_value());

    std::optional<MessagingExpected<QList<OwnDevice>>> list;
    bob_->messenger().listDevices([&](auto r) { list = std::move(r); });
    QVERIFY(QTest::qWaitFor([&] { return list.has_value(); }, kTimeoutMs));
    QVERIFY(*list && (*list)->size() == 2);
    QVERIFY((*list)->at(1).revoked && (*list)->at(1).revokedAt > 0);
}

void MultiDeviceTest::deliveryAndReadReceipts()
{
    auto first = alice_->messenger().queueText(conv_, QStringLiteral("receipt me"));
    QVERIFY(first);
    QVERIFY(QTest::qWaitFor([&] { return alice_->delivery.value(*first) == DeliveryState::Delivered; }, kTimeoutMs));
    auto stored = alice_->store().messages().get(*first);
    QCOMPARE((*stored)->delivery, DeliveryState::Delivered);

    const QString bobConv = bob_->openDirect(QStringLiteral("alice"));
    QCOMPARE(bobConv, conv_);
    auto marked = bob_->messenger().markRead(bobConv);
    QVERIFY(marked);
    QCOMPARE(*marked, 2); // "hello bob" and "receipt me"
    QVERIFY(QTest::qWaitFor([&] { return alice_->delivery.value(*first) == DeliveryState::Read; }, kTimeoutMs));
    QCOMPARE((*alice_->store().messages().get(*first))->delivery, DeliveryState::Read);

    // Read receipts off: delivered, but never read.
    QVERIFY(bob_->messenger().setPreference(Messenger::Preference::ReadReceipts, false));
    auto second = alice_->messenger().queueText(conv_, QStringLiteral("no read receipt"));
    QVERIFY(second);
    QVERIFY(QTest::qWaitFor([&] { return alice_->delivery.value(*second) == DeliveryState::Delivered; }, kTimeoutMs));
    QCOMPARE(*bob_->messenger().markRead(bobConv), 1);
    // bob's outbox is strictly ordered: a read receipt would reach alice
    // before this message does.
    QVERIFY(bob_->messenger().queueText(bobConv, QStringLiteral("marker")));
    QVERIFY(alice_->waitReceived(QStringLiteral("marker"), kTimeoutMs));
    QCOMPARE((*alice_->store().messages().get(*second))->delivery, DeliveryState::Delivered);
    QCOMPARE(alice_->delivery.value(*second), DeliveryState::Delivered);
}

void MultiDeviceTest::typingAndPresenceAreEphemeral()
{
    alice_->messenger().setTyping(conv_, true);
    QVERIFY(QTest::qWaitFor([&] { return !bob_->typing.isEmpty(); }, kTimeoutMs));
    QCOMPARE(bob_->typing.constFirst(), conv_ + QStringLiteral(":alice:1"));
    alice_->messenger().setPresence(Messenger::Presence::Away);
    QVERIFY(QTest::qWaitFor(
        [&] { return bob_->presence.contains(QStringLiteral("alice:%1").arg(int(Messenger::Presence::Away))); },
        kTimeoutMs));

    // Not stored: typing while bob is offline never reaches him later.
    bob_->stop();
    bob_->typing.clear();
    alice_->messenger().setTyping(conv_, false);
    QVERIFY(alice_->messenger().queueText(conv_, QStringLiteral("after typing")));
    QVERIFY(QTest::qWaitFor([&] { return alice_->messenger().outboxSize().valueOr(1) == 0; }, kTimeoutMs));
    bob_->start();
    QVERIFY(bob_->waitReceived(QStringLiteral("after typing"), kTimeoutMs));
    QVERIFY(bob_->typing.isEmpty());

    // Typing off: nothing is sent.
    QVERIFY(bob_->waitLive());
    QVERIFY(alice_->messenger().setPreference(Messenger::Preference::Typing, false));
    alice_->messenger().setTyping(conv_, true);
    QVERIFY(alice_->messenger().setPreference(Messenger::Preference::Typing, true));
    // A typing event sent after it arrives; the one while off never does.
    alice_->messenger().setTyping(conv_, false);
    QVERIFY(QTest::qWaitFor([&] { return !bob_->typing.isEmpty(); }, kTimeoutMs));
    QCOMPARE(bob_->typing, QStringList { conv_ + QStringLiteral(":alice:0") });

    // A clean close says "offline".
    const QString offline = QStringLiteral("alice:%1").arg(int(Messenger::Presence::Offline));
    QVERIFY(!bob_->presence.contains(offline));
    alice_->stop();
    QVERIFY(QTest::qWaitFor([&] { return bob_->presence.contains(offline); }, kTimeoutMs));
}

void MultiDeviceTest::linkWithWrongOrExpiredCodeFails()
{
    auto approve = [&](const QString& code) {
        std::optional<MessagingExpected<quint32>> result;
        bob_->messenger().approveLink(code, [&](MessagingExpected<quint32> r) { result = std::move(r); });
        (void)QTest::qWaitFor([&] { return result.has_value(); }, kTimeoutMs);
        return result;
    };
    // Not a code at all.
    auto garbage = approve(QStringLiteral("hello"));
    QVERIFY(garbage && !*garbage);
    QCOMPARE(garbage->error().code, MessagingErrorCode::InvalidArgument);
    // A well-formed code nobody waits for.
    auto nobody = approve(QString::fromStdString(crypto::formatLinkCode(crypto::newLinkCode())));
    QVERIFY(nobody && !*nobody);
    QCOMPARE(nobody->error().code, MessagingErrorCode::NotFound);
    QVERIFY(nobody->error().message.contains(QStringLiteral("wrong code, or it expired")));

    // A waiting device, but the secret half of the code mistyped.
    QString error;
    auto fresh = MessagingTestClient::createUnregistered(&error);
    QVERIFY2(fresh, qPrintable(error));
    {
        LinkRequest request(fresh->account());
        request.setPollIntervalMs(100);
        QString code;
        std::optional<MessagingOk> done;
        request.start(
            relay_->url(), QStringLiteral("third"), 2, [&](const QString& c, qint64) { code = c; },
            [&](MessagingOk ok) { done = std::move(ok); });
        QVERIFY(QTest::qWaitFor([&] { return !code.isEmpty(); }, kTimeoutMs));
        // Character 16 lies in the secret (the first 6.4 characters are the rendezvous id).
        QString typo = code;
        typo[16] = typo.at(16) == QLatin1Char('2') ? QLatin1Char('3') : QLatin1Char('2');
        auto wrong = approve(typo);
        QVERIFY(wrong && !*wrong);
        QCOMPARE(wrong->error().code, MessagingErrorCode::InvalidArgument);
        QVERIFY(wrong->error().message.contains(QStringLiteral("wrong code")));
        // Nobody approves in time: the new device gives up with a clear error...
        QVERIFY(QTest::qWaitFor([&] { return done.has_value(); }, kTimeoutMs));
        QVERIFY(!*done);
        QVERIFY(done->error().message.contains(QStringLiteral("expired")));
        QVERIFY(!fresh->account().isRegistered());
        // ...and the expired code is refused.
        auto late = approve(code);
        QVERIFY(late && !*late);
        QCOMPARE(late->error().code, MessagingErrorCode::NotFound);
    }
    // No device was added to bob's account by any of this.
    std::optional<MessagingExpected<QList<OwnDevice>>> list;
    bob_->messenger().listDevices([&](auto r) { list = std::move(r); });
    QVERIFY(QTest::qWaitFor([&] { return list.has_value(); }, kTimeoutMs));
    QVERIFY(*list);
    QCOMPARE((*list)->size(), 1);
}

QTEST_GUILESS_MAIN(MultiDeviceTest)
#include "MultiDeviceTest.moc"
