// SPDX-License-Identifier: GPL-3.0-or-later
// GroupEngine: sender keys — distribution over to-device messages, rotation,
// sending one sender-key ciphertext per message, receiving group entries.
#include "tenchat/core/messaging/GroupEngine.h"

#include "GroupKeys.h"
#include "MessagingUtil.h"
#include "ToDeviceBody.h"
#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/core/store/Transaction.h"
#include "tenchat/crypto/GroupCipher.h"
#include "tenchat/crypto/MessagePadding.h"
#include "tenchat/crypto/SessionCipher.h"

#include <QRandomGenerator>
#include <QTimer>

#include <optional>

namespace tenchat::core::messaging {

using namespace util;
using namespace groupkeys;

namespace {

constexpr int kMaxDistributeRetries = 3;

QByteArray randomId()
{
    QByteArray id(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(id.data()), 4);
    return id;
}

QByteArray toQByteArray(const crypto::Bytes& bytes)
{
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
}

bool droppable(crypto::CryptoErrorCode code)
{
    switch (code) {
    case crypto::CryptoErrorCode::DuplicateMessage:
    case crypto::CryptoErrorCode::InvalidMessage:
    case crypto::CryptoErrorCode::InvalidKey:
    case crypto::CryptoErrorCode::LegacyVersion:
    case crypto::CryptoErrorCode::NoSession: return true;
    default: return false;
    }
}

} // namespace

MessagingOk GroupEngine::markRotation(const QString& conversationId)
{
    if (auto ok = m_.account_.store().keyValues().setSetting(rotateKey(conversationId), "1"); !ok)
        return fromStore(ok.error());
    return {};
}

// --- distribution -----------------------------------------------------------

void GroupEngine::distribute(const QString& conversationId, std::function<void(MessagingOk)> done, int attempt)
{
    if (!m_.sync_.isLive())
        return done(messagingError(MessagingErrorCode::Network, QStringLiteral("offline")));
    // Readers of a channel and former members have nothing to hand out.
    if (auto allowed = canPost(conversationId); !allowed)
        return done(allowed);
    auto& s = m_.account_.store();
    auto members = s.conversations().members(conversationId);
    if (!members)
        return done(fromStore(members.error()));
    QStringList users;
    QStringList others;
    for (const auto& [user, role] : *members) {
        users << user;
        if (user == m_.account_.userIdHex())
            continue;
        auto contact = s.keyValues().contact(user);
        if (contact && contact->has_value() && (*contact)->trust == store::ContactTrust::Changed)
            return done(messagingError(
                MessagingErrorCode::Untrusted, QStringLiteral("the identity of @%1 changed").arg(m_.handleOf(user))));
        others << user;
    }
    m_.ensureSessions(others, [this, conversationId, users, done, attempt](MessagingOk ready) {
        if (!ready)
            return done(ready);
        auto& s = m_.account_.store();
        auto& protocol = s.protocolStore();
        auto& kv = s.keyValues();
        const crypto::SenderKeyName own { conversationId.toStdString(),
            { m_.account_.userIdHex().toStdString(), std::int32_t(m_.account_.deviceId()) } };
        auto cipher = crypto::GroupCipher::create(protocol, own);
        if (!cipher)
            return done(fromCrypto(cipher.error()));
        auto rotate = kv.setting(rotateKey(conversationId));
        auto sentList = kv.setting(sentKey(conversationId));
        if (!rotate || !sentList)
            return done(fromStore(!rotate ? rotate.error() : sentList.error()));
        QSet<QString> sent = parseDevices(sentList->value_or(QByteArray()));
        std::optional<crypto::CryptoResult<crypto::Bytes>> distribution;
        if (rotate->value_or(QByteArray()) == "1") {
            // The new key and the bookkeeping commit together.
            store::Transaction tx(s.database());
            distribution = cipher->rotate();
            if (!*distribution)
                return done(fromCrypto(distribution->error()));
            sent.clear();
            if (!kv.setSetting(rotateKey(conversationId), QByteArray())
                || !kv.setSetting(sentKey(conversationId), QByteArray()))
                return done(messagingError(MessagingErrorCode::Store, QStringLiteral("cannot save the new key")));
            if (auto ok = tx.commit(); !ok)
                return done(fromStore(ok.error()));
        }
        // Every device of every member (and our other devices) without our
        // current key.
        QList<QPair<QString, std::int32_t>> targets;
        for (const auto& user : users) {
            auto devices = protocol.subDeviceSessions(user.toStdString());
            if (!devices)
                continue;
            for (auto device : *devices) {
                if (user == m_.account_.userIdHex() && std::uint32_t(device) == m_.account_.deviceId())
                    continue;
                if (!sent.contains(deviceTag(user, device)))
                    targets.append({ user, device });
            }
        }
        if (targets.isEmpty())
            return done({});
        if (!distribution) // our current key (created on first use)
            distribution = cipher->distributionMessage();
        if (!*distribution)
            return done(fromCrypto(distribution->error()));
        ToDeviceBody body;
        body.conversationId = conversationId;
        body.senderKey = toQByteArray(**distribution);
        if (auto conv = s.conversations().get(conversationId); conv && conv->has_value())
            body.title = (*conv)->title;
        tenchat::v1::Request req;
        auto encrypted = encryptToDevices(body, targets, req);
        if (!encrypted)
            return done(Unexpected(encrypted.error()));
        const QStringList tags = *encrypted;
        // What these devices (and those that had it) can be given again on request.
        saveCheckpoint(conversationId, body.senderKey, sent + QSet<QString>(tags.begin(), tags.end()));
        if (tags.isEmpty())
            return done({});
        m_.sync_.client().request(
            req, [this, conversationId, tags, done, attempt](MessagingExpected<tenchat::v1::Response> r) {
                if (!r)
                    return done(Unexpected(r.error()));
                auto& s = m_.account_.store();
                if (r->status() == tenchat::v1::STATUS_DEVICES_MISMATCH && attempt < kMaxDistributeRetries) {
                    // Revoked devices: forget their sessions and hand out again.
                    for (const auto& stale : r->devices_mismatch().stale())
                        (void)s.protocolStore().deleteSession(crypto::ProtocolAddress {
                            hex(stale.user_id()).toStdString(), std::int32_t(stale.device_id()) });
                    return distribute(conversationId, done, attempt + 1);
                }
                if (r->status() != tenchat::v1::STATUS_OK)
                    return done(messagingError(
                        MessagingErrorCode::Relay, QString::fromStdString(r->reason()), int(r->status())));
                auto sentList = s.keyValues().setting(sentKey(conversationId));
                QSet<QString> sent = parseDevices(sentList ? sentList->value_or(QByteArray()) : QByteArray());
                for (const auto& tag : tags)
                    sent.insert(tag);
                if (auto ok = s.keyValues().setSetting(sentKey(conversationId), joinDevices(sent)); !ok)
                    return done(fromStore(ok.error()));
                done({});
            });
    });
}

MessagingExpected<QStringList> GroupEngine::encryptToDevices(
    const ToDeviceBody& body, const QList<QPair<QString, std::int32_t>>& targets, tenchat::v1::Request& request)
{
    auto& protocol = m_.account_.store().protocolStore();
    const crypto::Bytes padded = crypto::padMessage(crypto::asBytes(body.encode().toStdString()));
    auto* send = request.mutable_send_to_device();
    send->set_message_id(randomId().toStdString());
    QStringList tags;
    for (const auto& [user, device] : targets) {
        auto session = crypto::SessionCipher::create(protocol, { user.toStdString(), device });
        if (!session)
            continue;
        auto message = session->encrypt(padded);
        if (!message) {
            if (message.error().code == crypto::CryptoErrorCode::UntrustedIdentity)
                return fromCrypto(message.error());
            continue;
        }
        auto* envelope = send->add_envelopes();
        envelope->mutable_recipient()->set_user_id(unhex(user));
        envelope->mutable_recipient()->set_device_id(std::uint32_t(device));
        envelope->set_type(std::uint32_t(message->type));
        envelope->set_ciphertext(asString(message->body));
        tags << deviceTag(user, device);
    }
    return tags;
}

// --- sending ----------------------------------------------------------------

void GroupEngine::sendItem(const store::OutboxItem& item, int attempt)
{
    // An ephemeral message that expired before it could be sent (offline
    // for longer than the TTL) is not sent any more: it is gone everywhere.
    if (auto conv = m_.account_.store().conversations().get(item.conversationId);
        conv && conv->has_value() && (*conv)->ttlMs > 0) {
        auto body = MessageBody::decode(item.payload);
        if (body && body->sentAt + (*conv)->ttlMs <= nowMs()) {
            (void)m_.account_.store().outbox().remove(item.id);
            (void)m_.account_.store().audit(QStringLiteral("ephemeral-expired-unsent"), item.conversationId);
            m_.groupItemDone(item);
            return;
        }
    }
    distribute(item.conversationId, [this, item, attempt](MessagingOk ok) {
        if (ok)
            return sendEncrypted(item, attempt);
        switch (ok.error().code) {
        case MessagingErrorCode::Untrusted: m_.holdConversation(item.conversationId, ok.error().message); break;
        case MessagingErrorCode::Forbidden:
        case MessagingErrorCode::NotFound: return failItem(item); // no longer a member, or a reader
        case MessagingErrorCode::Network:
            (void)m_.account_.store().outbox().reschedule(item.id, nowMs() + 500, ok.error().message);
            break;
        default: (void)m_.account_.store().outbox().reschedule(item.id, nowMs() + 2000, ok.error().message); break;
        }
        m_.groupItemDone(item);
    });
}

void GroupEngine::sendEncrypted(const store::OutboxItem& item, int /*attempt*/)
{
    auto& protocol = m_.account_.store().protocolStore();
    const crypto::SenderKeyName own { item.conversationId.toStdString(),
        { m_.account_.userIdHex().toStdString(), std::int32_t(m_.account_.deviceId()) } };
    auto cipher = crypto::GroupCipher::create(protocol, own);
    const crypto::Bytes padded = crypto::padMessage(crypto::asBytes(item.payload.toStdString()));
    auto ciphertext
        = cipher ? cipher->encrypt(padded) : crypto::CryptoResult<crypto::Bytes>(Unexpected(cipher.error()));
    if (!ciphertext && ciphertext.error().code == crypto::CryptoErrorCode::SenderKeyMissing) {
        // Nobody to hand a key to yet (alone in the group): create it now.
        if (auto created = cipher->distributionMessage(); created)
            ciphertext = cipher->encrypt(padded);
    }
    if (!ciphertext) {
        (void)m_.account_.store().outbox().reschedule(
            item.id, nowMs() + 2000, QString::fromStdString(ciphertext.error().message));
        m_.groupItemDone(item);
        return;
    }
    checkpointIfDue(item.conversationId, *ciphertext);
    tenchat::v1::Request req;
    auto* append = req.mutable_append();
    append->set_conversation_id(unhex(item.conversationId));
    append->set_message_id(wireMessageId(item.messageId));
    append->set_sender_key_ciphertext(asString(*ciphertext));
    m_.sync_.client().request(req,
        [this, id = item.id](MessagingExpected<tenchat::v1::Response> r) { m_.onAppendResponse(id, std::move(r)); });
}

void GroupEngine::failItem(const store::OutboxItem& item)
{
    auto& s = m_.account_.store();
    store::Transaction tx(s.database());
    auto local = s.messages().get(item.messageId);
    if (local && local->has_value())
        (void)s.messages().setDeliveryState(item.messageId, store::DeliveryState::Failed);
    (void)s.outbox().remove(item.id);
    (void)tx.commit();
    if (local && local->has_value())
        emit m_.deliveryChanged(item.messageId, store::DeliveryState::Failed);
    m_.groupItemDone(item);
}

// --- receiving --------------------------------------------------------------

bool GroupEngine::processEntry(const store::InboxEnvelope& envelope, const tenchat::v1::Entry& entry)
{
    auto& s = m_.account_.store();
    const QString conversationId = hex(entry.conversation_id());
    const QString senderHex = hex(entry.sender().user_id());
    if (senderHex == m_.account_.userIdHex() && entry.sender().device_id() == m_.account_.deviceId()) {
        (void)s.inbox().remove(envelope.id); // our own message: stored when it was written
        return true;
    }
    const quint32 senderDevice = entry.sender().device_id();
    // Waiting for a key that has not come since the last attempt: skip it.
    if (stillWaiting(envelope, streamTag(conversationId, senderHex, senderDevice)))
        return true;
    const crypto::SenderKeyName name { conversationId.toStdString(),
        { senderHex.toStdString(), std::int32_t(senderDevice) } };
    auto cipher = crypto::GroupCipher::create(s.protocolStore(), name);
    if (!cipher)
        return false;
    std::optional<store::Message> received;
    QString changed;
    store::Transaction tx(s.database());
    if (!tx.begun())
        return false;
    if (!ensureGroup(conversationId, QString()))
        return false;
    const auto& ciphertext = entry.sender_key_ciphertext();
    auto plaintext = cipher->decrypt(asBytes(ciphertext), [&](crypto::ByteView padded) {
        auto unpadded = crypto::unpadMessage(padded);
        std::optional<MessageBody> body;
        if (unpadded)
            body = MessageBody::decode(
                QByteArray(reinterpret_cast<const char*>(unpadded->data()), qsizetype(unpadded->size())));
        if (body && wireMessageId(body->messageId) == entry.message_id()
            && !m_.applyBody(conversationId, entry, senderHex, *body, received, changed))
            return false;
        return bool(s.inbox().remove(envelope.id));
    });
    if (!plaintext) {
        const auto code = plaintext.error().code;
        // The sender's key is missing, or ours is past this message
        // (DuplicateMessage: a distribution from a later iteration, or a
        // replay): the entry stays stored and the sender is asked — unless
        // its message is already stored (an entry redelivered after a crash,
        // or whose acknowledgement was lost, after the key was lost too).
        auto replay
            = code == crypto::CryptoErrorCode::DuplicateMessage || code == crypto::CryptoErrorCode::SenderKeyMissing
            ? s.messages().existsAt(conversationId, qint64(entry.seq()), senderHex)
            : store::StoreExpected<bool>(false);
        if (!replay)
            return false;
        if (!*replay
            && (code == crypto::CryptoErrorCode::SenderKeyMissing
                || code == crypto::CryptoErrorCode::DuplicateMessage)) {
            if (auto position = crypto::GroupCipher::messagePosition(asBytes(ciphertext)); position)
                return keepUndecrypted(envelope, conversationId, senderHex, senderDevice, *position)
                    && bool(tx.commit());
        }
        if (!droppable(code) && code != crypto::CryptoErrorCode::SenderKeyMissing)
            return false; // a store failure: keep and retry
        (void)s.audit(QStringLiteral("envelope-undecryptable"), conversationId);
        (void)s.inbox().remove(envelope.id);
        return bool(tx.commit());
    }
    triedAt_.remove(envelope.id);
    if (!tx.commit())
        return false;
    if (isKeyWaitState(envelope.lastError))
        m_.announce([this, conversationId] { emit undecryptedChanged(conversationId); });
    if (received)
        m_.announceReceived(*received, senderHex);
    if (!changed.isEmpty())
        m_.announce([this, changed] { emit m_.messageChanged(changed); });
    return true;
}

std::vector<std::uint64_t> GroupEngine::onToDevice(const std::vector<tenchat::v1::ToDeviceMessage>& messages)
{
    std::vector<std::uint64_t> ids;
    for (const auto& m : messages)
        if (processToDevice(m))
            ids.push_back(m.id());
    return ids;
}

bool GroupEngine::processToDevice(const tenchat::v1::ToDeviceMessage& message)
{
    auto& s = m_.account_.store();
    const QString senderHex = hex(message.sender().user_id());
    const crypto::ProtocolAddress sender { senderHex.toStdString(), std::int32_t(message.sender().device_id()) };
    auto session = crypto::SessionCipher::create(s.protocolStore(), sender);
    if (!session)
        return false;
    crypto::SessionMessage encrypted;
    encrypted.type = message.type() == 3 ? crypto::SessionMessageType::PreKey : crypto::SessionMessageType::Signal;
    encrypted.body = asBytes(message.ciphertext());
    // Decrypting, taking in the key and the ratchet state: one transaction,
    // acknowledged only after it committed.
    store::Transaction tx(s.database());
    if (!tx.begun())
        return false;
    auto plaintext = session->decrypt(encrypted);
    if (!plaintext) {
        if (!droppable(plaintext.error().code))
            return false; // untrusted identity or a store failure: stays on the relay
        (void)s.audit(QStringLiteral("to-device-undecryptable"), senderHex);
        return bool(tx.commit());
    }
    auto unpadded = crypto::unpadMessage(*plaintext);
    std::optional<ToDeviceBody> body;
    if (unpadded)
        body = ToDeviceBody::decode(
            QByteArray(reinterpret_cast<const char*>(unpadded->data()), qsizetype(unpadded->size())));
    if (!body) {
        (void)s.audit(QStringLiteral("to-device-unsupported"), senderHex);
        return bool(tx.commit());
    }
    const quint32 senderDevice = message.sender().device_id();
    const QString stream = streamTag(body->conversationId, senderHex, senderDevice);
    if (body->op == ToDeviceBody::Op::SenderKeyRequest) {
        if (!tx.commit())
            return false;
        // Answered after this commit (the answer is a new ciphertext of the
        // same session), never inside the transaction.
        QTimer::singleShot(0, this,
            [this, senderHex, senderDevice, request = *body] { answerKeyRequest(senderHex, senderDevice, request); });
        return true;
    }
    if (body->op == ToDeviceBody::Op::SenderKeyUnavailable) {
        if (!tx.commit())
            return false;
        onSenderKeyAnswer(stream, *body);
        return true;
    }
    if (!ensureGroup(body->conversationId, body->title))
        return false;
    auto group = crypto::GroupCipher::create(
        s.protocolStore(), crypto::SenderKeyName { body->conversationId.toStdString(), sender });
    if (!group)
        return false;
    const crypto::Bytes key = asBytes(body->senderKey.toStdString());
    if (auto ok = group->processDistributionMessage(key); !ok) {
        if (ok.error().code == crypto::CryptoErrorCode::StoreFailure)
            return false;
        (void)s.audit(QStringLiteral("sender-key-invalid"), body->conversationId);
    }
    if (!tx.commit())
        return false;
    onSenderKeyAnswer(stream, *body);
    m_.resolveContact(senderHex);
    emit groupChanged(body->conversationId);
    return true;
}

} // namespace tenchat::core::messaging
