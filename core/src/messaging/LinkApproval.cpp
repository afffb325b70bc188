// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/messaging/LinkApproval.h"

#include "LinkTransfer.h"
#include "MessagingUtil.h"
#include "tenchat/crypto/DeviceLinkCrypto.h"
#include "tenchat/protocol/Protocol.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>
#include <memory>

namespace tenchat::core::messaging {

using namespace util;

namespace {

crypto::Bytes label(const char* text, const crypto::Bytes& rendezvous)
{
    crypto::Bytes out(text, text + std::strlen(text));
    out.insert(out.end(), rendezvous.begin(), rendezvous.end());
    return out;
}

struct Approval {
    crypto::LinkCode code;
    crypto::SecretBytes codeKey;
    crypto::Bytes offerPublic;
    std::uint32_t registrationId = 0;
    std::string name;
};

void answer(Account& account, RelayClient& client, std::shared_ptr<Approval> a, std::uint32_t deviceId,
    LinkApproval::DoneHandler done)
{
    // On any failure from here the just-registered device is revoked again.
    auto fail = [&account, &client, deviceId, done](MessagingError error) {
        tenchat::v1::Request revoke;
        revoke.mutable_revoke_device()->set_device_id(deviceId);
        client.request(revoke, [done, error](MessagingExpected<tenchat::v1::Response>) { done(Unexpected(error)); });
    };
    auto transfer = link::exportAccount(account, deviceId);
    if (!transfer)
        return fail(transfer.error());
    auto ours = crypto::newLinkKeyPair();
    auto key = crypto::deriveLinkAnswerKey(
        a->codeKey, ours.secretKey, a->offerPublic, a->offerPublic, ours.publicKey, a->code.rendezvous);
    if (!key) {
        transfer->fill('\0');
        return fail(fromCrypto(key.error()).error());
    }
    auto sealed = crypto::linkSeal(key->view(), label("tenchat-link-answer-v1", a->code.rendezvous),
        crypto::ByteView(reinterpret_cast<const std::uint8_t*>(transfer->constData()), std::size_t(transfer->size())));
    transfer->fill('\0');
    if (!sealed)
        return fail(fromCrypto(sealed.error()).error());
    tenchat::v1::Request req;
    req.mutable_link_answer()->set_rendezvous_id(asString(a->code.rendezvous));
    req.mutable_link_answer()->set_answer(asString(ours.publicKey) + asString(*sealed));
    client.request(req, [deviceId, done, fail](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return fail(r.error());
        if (r->status() != tenchat::v1::STATUS_OK)
            return fail(MessagingError { MessagingErrorCode::Relay, relayReason(*r), int(r->status()) });
        done(deviceId);
    });
}

} // namespace

void LinkApproval::approve(Account& account, RelayClient& client, const QString& code, DoneHandler done)
{
    if (!account.isRegistered())
        return done(messagingError(MessagingErrorCode::NotRegistered, QStringLiteral("the profile has no account")));
    auto parsed = crypto::parseLinkCode(code.toStdString());
    if (!parsed)
        return done(messagingError(MessagingErrorCode::InvalidArgument,
            QStringLiteral("not a link code: %1").arg(QString::fromStdString(parsed.error().message))));
    auto a = std::make_shared<Approval>();
    a->code = std::move(parsed).value();
    auto key = crypto::deriveLinkCodeKey(a->code);
    if (!key)
        return done(fromCrypto(key.error()));
    a->codeKey = std::move(key).value();

    tenchat::v1::Request fetch;
    fetch.mutable_link_fetch()->set_rendezvous_id(asString(a->code.rendezvous));
    client.request(fetch, [&account, &client, a, done](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return done(Unexpected(r.error()));
        if (r->status() == tenchat::v1::STATUS_NOT_FOUND)
            return done(messagingError(MessagingErrorCode::NotFound,
                QStringLiteral("no device is waiting for this code (wrong code, or it expired)")));
        if (r->status() != tenchat::v1::STATUS_OK)
            return done(messagingError(MessagingErrorCode::Relay, relayReason(*r), r->status()));
        const std::string& sealed = r->link_fetch().offer();
        auto plain = crypto::linkOpen(
            a->codeKey.view(), label("tenchat-link-offer-v1", a->code.rendezvous), crypto::asBytes(sealed));
        if (!plain)
            return done(messagingError(MessagingErrorCode::InvalidArgument,
                QStringLiteral("wrong code: the waiting device's request does not open with it")));
        const auto offer = QJsonDocument::fromJson(
            QByteArray(reinterpret_cast<const char*>(plain->data()), qsizetype(plain->size())))
                               .object();
        const QByteArray pub = QByteArray::fromBase64(offer.value(QStringLiteral("pub")).toString().toLatin1());
        const auto registrationId = offer.value(QStringLiteral("registrationId")).toInteger();
        a->name = offer.value(QStringLiteral("name")).toString().left(32).toStdString();
        if (pub.size() != qsizetype(crypto::kLinkPublicKeyBytes) || registrationId < 1 || registrationId > 16380)
            return done(messagingError(MessagingErrorCode::InvalidArgument, QStringLiteral("malformed link offer")));
        a->offerPublic = crypto::Bytes(pub.begin(), pub.end());
        a->registrationId = std::uint32_t(registrationId);

        const std::string identityKey = account.identityPublicKey().toStdString();
        auto signature = account.sign(protocol::registerDevicePayload(account.userId().toStdString(), identityKey));
        if (!signature)
            return done(Unexpected(signature.error()));
        tenchat::v1::Request reg;
        auto* rd = reg.mutable_register_device();
        rd->set_identity_key(identityKey);
        rd->set_registration_id(a->registrationId);
        rd->set_device_name(a->name);
        rd->set_signature(signature->toStdString());
        client.request(reg, [&account, &client, a, done](MessagingExpected<tenchat::v1::Response> r) {
            if (!r)
                return done(Unexpected(r.error()));
            if (r->status() != tenchat::v1::STATUS_OK)
                return done(messagingError(MessagingErrorCode::Relay, relayReason(*r), r->status()));
            answer(account, client, a, r->register_device().device_id(), done);
        });
    });
}

} // namespace tenchat::core::messaging
