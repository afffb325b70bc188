// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/messaging/LinkRequest.h"

#include "LinkTransfer.h"
#include "MessagingUtil.h"
#include "tenchat/protocol/Protocol.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstring>

namespace tenchat::core::messaging {

using namespace util;

namespace {

constexpr int kMaxOfferAttempts = 3;
constexpr int kMaxReconnects = 100;

crypto::Bytes label(const char* text, const crypto::Bytes& rendezvous)
{
    crypto::Bytes out(text, text + std::strlen(text));
    out.insert(out.end(), rendezvous.begin(), rendezvous.end());
    return out;
}

} // namespace

LinkRequest::LinkRequest(Account& account, QObject* parent) : QObject(parent), account_(account)
{
    pollTimer_.setSingleShot(true);
    expiryTimer_.setSingleShot(true);
    connect(&pollTimer_, &QTimer::timeout, this, &LinkRequest::poll);
    connect(&expiryTimer_, &QTimer::timeout, this, [this] {
        if (!answered_)
            finish(messagingError(
                MessagingErrorCode::NotFound, QStringLiteral("the link code expired before it was approved")));
    });
    connect(&client_, &RelayClient::connected, this, &LinkRequest::onConnected);
    connect(&client_, &RelayClient::disconnected, this, [this](const QString& reason) {
        // The rendezvous lives in the relay's memory, not in the connection
        // (which the relay closes when it stays unauthenticated for long):
        // while waiting for the approval, reconnect and keep polling.
        if (finished_)
            return;
        if (pollToken_.empty() || answered_ || ++reconnects_ > kMaxReconnects)
            return finish(
                messagingError(MessagingErrorCode::Network, QStringLiteral("lost the relay: %1").arg(reason)));
        pollTimer_.stop();
        QTimer::singleShot(500, this, [this] {
            if (!finished_)
                client_.open(relayUrl_);
        });
    });
}

LinkRequest::~LinkRequest() = default;

void LinkRequest::start(
    const QUrl& relayUrl, const QString& deviceName, int ttlSeconds, CodeHandler onCode, DoneHandler done)
{
    relayUrl_ = relayUrl;
    deviceName_ = deviceName;
    ttlSeconds_ = std::clamp(ttlSeconds, 1, 600);
    onCode_ = std::move(onCode);
    done_ = std::move(done);
    if (account_.isRegistered())
        return finish(messagingError(MessagingErrorCode::InvalidArgument,
            QStringLiteral("this profile is already registered as @%1").arg(account_.handle())));
    client_.open(relayUrl);
}

void LinkRequest::finish(MessagingOk result)
{
    if (finished_)
        return;
    finished_ = true;
    pollTimer_.stop();
    expiryTimer_.stop();
    codeKey_ = crypto::SecretBytes();
    keys_.secretKey = crypto::SecretBytes();
    if (done_)
        done_(std::move(result));
}

void LinkRequest::onConnected()
{
    tenchat::v1::Request hello;
    hello.mutable_hello()->add_versions(protocol::kProtocolVersion);
    hello.mutable_hello()->set_client_name("tenchat-core/" TENCHAT_VERSION_STRING);
    client_.request(hello, [this](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return finish(Unexpected(r.error()));
        if (r->status() != tenchat::v1::STATUS_OK)
            return finish(messagingError(MessagingErrorCode::Relay, relayReason(*r), r->status()));
        if (pollToken_.empty())
            publishOffer(0);
        else
            poll(); // reconnected while waiting
    });
}

void LinkRequest::publishOffer(int attempt)
{
    code_ = crypto::newLinkCode();
    auto key = crypto::deriveLinkCodeKey(code_);
    if (!key)
        return finish(fromCrypto(key.error()));
    codeKey_ = std::move(key).value();
    keys_ = crypto::newLinkKeyPair();
    const QJsonObject offer { { QStringLiteral("pub"),
                                  QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(keys_.publicKey.data()),
                                      qsizetype(keys_.publicKey.size()))
                                                          .toBase64()) },
        { QStringLiteral("name"), deviceName_ },
        { QStringLiteral("registrationId"), qint64(account_.registrationId()) } };
    const QByteArray plain = QJsonDocument(offer).toJson(QJsonDocument::Compact);
    auto sealed = crypto::linkSeal(codeKey_.view(), label("tenchat-link-offer-v1", code_.rendezvous),
        crypto::ByteView(reinterpret_cast<const std::uint8_t*>(plain.constData()), std::size_t(plain.size())));
    if (!sealed)
        return finish(fromCrypto(sealed.error()));
    tenchat::v1::Request req;
    auto* o = req.mutable_link_offer();
    o->set_rendezvous_id(asString(code_.rendezvous));
    o->set_offer(asString(*sealed));
    o->set_ttl_seconds(std::uint32_t(ttlSeconds_));
    client_.request(req, [this, attempt](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return finish(Unexpected(r.error()));
        if (r->status() == tenchat::v1::STATUS_CONFLICT && attempt + 1 < kMaxOfferAttempts)
            return publishOffer(attempt + 1);
        if (r->status() != tenchat::v1::STATUS_OK)
            return finish(messagingError(MessagingErrorCode::Relay, relayReason(*r), r->status()));
        pollToken_ = r->link_offer().poll_token();
        const qint64 expires = qint64(r->link_offer().expires_ms());
        expiryTimer_.start(ttlSeconds_ * 1000 + 1000);
        if (onCode_)
            onCode_(QString::fromStdString(crypto::formatLinkCode(code_)), expires);
        pollTimer_.start(pollIntervalMs_);
    });
}

void LinkRequest::poll()
{
    if (finished_)
        return;
    tenchat::v1::Request req;
    req.mutable_link_poll()->set_rendezvous_id(asString(code_.rendezvous));
    req.mutable_link_poll()->set_poll_token(pollToken_);
    client_.request(req, [this](MessagingExpected<tenchat::v1::Response> r) {
        if (finished_)
            return;
        if (!r)
            return finish(Unexpected(r.error()));
        if (r->status() == tenchat::v1::STATUS_NOT_FOUND)
            return finish(messagingError(MessagingErrorCode::NotFound,
                QStringLiteral("the link code expired before it was approved (or the relay restarted)")));
        if (r->status() != tenchat::v1::STATUS_OK)
            return finish(messagingError(MessagingErrorCode::Relay, relayReason(*r), r->status()));
        if (r->link_poll().answer().empty()) {
            pollTimer_.start(pollIntervalMs_);
            return;
        }
        onAnswer(r->link_poll().answer());
    });
}

void LinkRequest::onAnswer(const std::string& answer)
{
    answered_ = true;
    expiryTimer_.stop();
    if (answer.size() <= crypto::kLinkPublicKeyBytes)
        return finish(messagingError(MessagingErrorCode::Crypto, QStringLiteral("malformed link answer")));
    const crypto::Bytes theirs(answer.begin(), answer.begin() + crypto::kLinkPublicKeyBytes);
    auto key
        = crypto::deriveLinkAnswerKey(codeKey_, keys_.secretKey, theirs, keys_.publicKey, theirs, code_.rendezvous);
    if (!key)
        return finish(fromCrypto(key.error()));
    auto plain = crypto::linkOpen(key->view(), label("tenchat-link-answer-v1", code_.rendezvous),
        crypto::ByteView(reinterpret_cast<const std::uint8_t*>(answer.data()) + crypto::kLinkPublicKeyBytes,
            answer.size() - crypto::kLinkPublicKeyBytes));
    if (!plain)
        return finish(messagingError(MessagingErrorCode::Crypto,
            QStringLiteral("the link answer does not open: not from the account's device")));
    QByteArray transfer(reinterpret_cast<const char*>(plain->data()), qsizetype(plain->size()));
    std::fill(plain->begin(), plain->end(), std::uint8_t(0));
    auto imported = link::importAccount(account_, transfer);
    transfer.fill('\0');
    if (!imported)
        return finish(imported);
    account_.authenticateAndPublish(client_, [this](MessagingOk ok) { finish(std::move(ok)); });
}

} // namespace tenchat::core::messaging
