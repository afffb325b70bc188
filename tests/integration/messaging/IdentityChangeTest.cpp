// SPDX-License-Identifier: GPL-3.0-or-later
// A contact presents a new identity key (a device nobody approved appears on
// the account, e.g. injected by the relay): detected, and sending to that
// contact waits until the user accepts it.
#include "MessagingTestClient.h"
#include "RelayProcess.h"

#include "tenchat/core/messaging/RelayClient.h"
#include "tenchat/crypto/Identity.h"
#include "tenchat/crypto/InMemoryProtocolStore.h"
#include "tenchat/crypto/PreKeys.h"
#include "tenchat/protocol/Protocol.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace tenchat;
using namespace tenchat::core;
using tenchat::core::messaging::MessagingExpected;
using tenchat::core::messaging::RelayClient;
using tenchat::testing::MessagingTestClient;

namespace {

constexpr int kTimeoutMs = 30000;

std::optional<v1::Response> call(RelayClient& client, const v1::Request& request)
{
    std::optional<MessagingExpected<v1::Response>> result;
    client.request(request, [&](MessagingExpected<v1::Response> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, kTimeoutMs) || !*result)
        return std::nullopt;
    return **result;
}

} // namespace

class IdentityChangeTest : public QObject {
    Q_OBJECT

private slots:
    void changedIdentityWaitsForTrust();
};

void IdentityChangeTest::changedIdentityWaitsForTrust()
{
    testing::RelayProcess relay;
    QVERIFY2(relay.start(), qPrintable(relay.error()));
    QString error;
    auto [alice, bob]
        = MessagingTestClient::createLive(relay.url(), { QStringLiteral("alice"), QStringLiteral("bob") }, &error);
    QVERIFY2(alice, qPrintable(error));
    const QString conversation = alice->openDirect(QStringLiteral("bob"));
    QVERIFY(!conversation.isEmpty());
    QVERIFY(alice->messenger().queueText(conversation, QStringLiteral("one")));
    QTRY_COMPARE_WITH_TIMEOUT(bob->received.size(), 1, kTimeoutMs);
    QVERIFY(!*alice->messenger().identityChanged(QStringLiteral("bob")));
    auto before = alice->messenger().safetyNumber(QStringLiteral("bob"));
    QVERIFY(before);

    // A second device with an unknown identity key appears on Bob's account.
    auto identity = crypto::generateLocalIdentity();
    QVERIFY(identity);
    const std::string userId = bob->account().userId().toStdString();
    const std::string newKey = crypto::toString(identity->publicKey);
    auto signature = crypto::signWithIdentity(
        identity->privateKey, crypto::asBytes(protocol::registerDevicePayload(userId, newKey)));
    QVERIFY(signature);
    v1::Request reg;
    reg.mutable_register_device()->set_identity_key(newKey);
    reg.mutable_register_device()->set_registration_id(identity->registrationId);
    reg.mutable_register_device()->set_device_name("unknown");
    reg.mutable_register_device()->set_signature(crypto::toString(*signature));
    auto registered = call(bob->messenger().sync().client(), reg);
    QVERIFY(registered);
    QCOMPARE(registered->status(), v1::STATUS_OK);
    const std::uint32_t newDevice = registered->register_device().device_id();

    // That device publishes a bundle.
    RelayClient intruder;
    intruder.open(relay.url());
    QTRY_VERIFY_WITH_TIMEOUT(intruder.isOpen(), kTimeoutMs);
    v1::Request hello;
    hello.mutable_hello()->add_versions(protocol::kProtocolVersion);
    auto helloResponse = call(intruder, hello);
    QVERIFY(helloResponse && helloResponse->status() == v1::STATUS_OK);
    auto authSignature = crypto::signWithIdentity(identity->privateKey,
        crypto::asBytes(protocol::authenticatePayload(helloResponse->hello().challenge(), userId, newDevice)));
    QVERIFY(authSignature);
    v1::Request auth;
    auth.mutable_authenticate()->set_user_id(userId);
    auth.mutable_authenticate()->set_device_id(newDevice);
    auth.mutable_authenticate()->set_signature(crypto::toString(*authSignature));
    auto authResponse = call(intruder, auth);
    QVERIFY(authResponse && authResponse->status() == v1::STATUS_OK);
    crypto::InMemoryProtocolStore keys(
        crypto::LocalIdentity { identity->publicKey, identity->privateKey.clone(), identity->registrationId });
    auto spk = crypto::generateSignedPreKey(keys, 1, std::uint64_t(QDateTime::currentMSecsSinceEpoch()));
    QVERIFY(spk);
    v1::Request upload;
    upload.mutable_upload_pre_keys()->mutable_signed_pre_key()->set_key_id(spk->id);
    upload.mutable_upload_pre_keys()->mutable_signed_pre_key()->set_public_key(crypto::toString(spk->publicKey));
    upload.mutable_upload_pre_keys()->mutable_signed_pre_key()->set_signature(crypto::toString(spk->signature));
    upload.mutable_upload_pre_keys()->mutable_signed_pre_key()->set_timestamp_ms(spk->timestampMs);
    auto uploaded = call(intruder, upload);
    QVERIFY(uploaded && uploaded->status() == v1::STATUS_OK);

    // Alice's next message is detected as going to a changed identity and waits.
    QSignalSpy changed(&alice->messenger(), &messaging::Messenger::identityChangeDetected);
    auto held = alice->messenger().queueText(conversation, QStringLiteral("two"));
    QVERIFY(held);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, kTimeoutMs);
    QCOMPARE(changed.at(0).at(0).toString(), QStringLiteral("bob"));
    QVERIFY(*alice->messenger().identityChanged(QStringLiteral("bob")));
    QCOMPARE(alice->messenger().outboxSize().valueOr(-1), 1);
    // More messages queue behind it, in order; nothing goes out meanwhile.
    auto heldToo = alice->messenger().queueText(conversation, QStringLiteral("three"));
    QVERIFY(heldToo);
    QTRY_COMPARE_WITH_TIMEOUT(alice->messenger().outboxSize().valueOr(-1), 2, kTimeoutMs);
    QVERIFY(!alice->messenger().isSending());
    QCOMPARE(bob->received.size(), 1);
    auto message = alice->store().messages().get(*held);
    QVERIFY(message && message->has_value());
    QCOMPARE((*message)->delivery, store::DeliveryState::Queued);

    // The user accepts: both go out, in order, to Bob's devices.
    QVERIFY(alice->messenger().trust(QStringLiteral("bob")));
    QVERIFY(!*alice->messenger().identityChanged(QStringLiteral("bob")));
    QTRY_COMPARE_WITH_TIMEOUT(bob->received.size(), 3, kTimeoutMs);
    QCOMPARE(bob->received[1].body, QStringLiteral("two"));
    QCOMPARE(bob->received[2].body, QStringLiteral("three"));
    QTRY_COMPARE_WITH_TIMEOUT(alice->messenger().outboxSize().valueOr(-1), 0, kTimeoutMs);
    message = alice->store().messages().get(*held);
    QVERIFY(message && message->has_value());
    // Sent, or already Delivered when Bob's receipt came back.
    QVERIFY(
        (*message)->delivery == store::DeliveryState::Sent || (*message)->delivery == store::DeliveryState::Delivered);
}

QTEST_GUILESS_MAIN(IdentityChangeTest)
#include "IdentityChangeTest.moc"
