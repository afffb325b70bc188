// SPDX-License-Identifier: GPL-3.0-or-later
// Messenger: contacts, conversations and the sending path (outbox).
#include "tenchat/core/messaging/Messenger.h"

#include "MessagingUtil.h"
#include "tenchat/core/store/Transaction.h"
#include "tenchat/crypto/IdentityTrust.h"
#include "tenchat/crypto/MessagePadding.h"
#include "tenchat/crypto/SafetyNumber.h"
#include "tenchat/crypto/SessionCipher.h"

#include <memory>

namespace tenchat::core::messaging {

using namespace util;
using store::DeliveryState;

namespace {

constexpr int kMaxMismatchRetries = 3;
// Held items wait for trust(); this keeps them out of due() meanwhile.
constexpr qint64 kHeldUntil = qint64(1) << 60;

QString directKey(const QString& peerHex)
{
    return QStringLiteral("direct.") + peerHex;
}

QString handleKey(const QString& handle)
{
    return QStringLiteral("contact.handle.") + handle;
}

QString establishedKey(const QString& userHex)
{
    return QStringLiteral("identity.established.") + userHex;
}

QString pendingKey(const QString& userHex)
{
    return QStringLiteral("identity.pending.") + userHex;
}

QString relayReason(const tenchat::v1::Response& r)
{
    return QStringLiteral("%1 (status %2)").arg(QString::fromStdString(r.reason())).arg(int(r.status()));
}

} // namespace

Messenger::Messenger(Account& account, QObject* parent)
    : QObject(parent), account_(account), sync_(account), groups_(std::make_unique<GroupEngine>(*this)),
      expiry_(account.store())
{
    connect(&expiry_, &EphemeralExpiry::expired, this, &Messenger::messageExpired);
    sync_.setEntryHandler([this](const auto& entries) { return onEntries(entries); });
    sync_.setToDeviceHandler([this](const auto& messages) { return onToDevice(messages); });
    connect(&sync_, &SyncCoordinator::live, this, &Messenger::scheduleFlush);
    connect(&sync_, &SyncCoordinator::live, this, [this] { groups_->reconcile([](MessagingOk) {}); });
    connect(&sync_, &SyncCoordinator::preKeysLow, this, &Messenger::replenishPreKeys);
    flushTimer_.setSingleShot(true);
    connect(&flushTimer_, &QTimer::timeout, this, &Messenger::flushOutbox);
}

Messenger::~Messenger() = default;

void Messenger::start()
{
    processInbox(); // envelopes left by an earlier run (crash before decrypt)
    expiry_.start(); // ephemeral messages: deleted when due, on every device
    sync_.start();
}

void Messenger::stop()
{
    sync_.stop();
    flushTimer_.stop();
    expiry_.stop();
}

// --- contacts ---------------------------------------------------------------

MessagingOk Messenger::saveContact(const QString& userIdHex, const QString& handle)
{
    auto& kv = account_.store().keyValues();
    auto existing = kv.contact(userIdHex);
    if (!existing)
        return fromStore(existing.error());
    store::Contact contact = existing->value_or(store::Contact { userIdHex, handle });
    contact.displayName = handle;
    store::Transaction tx(account_.store().database());
    if (auto ok = kv.saveContact(contact, nowMs()); !ok)
        return fromStore(ok.error());
    if (auto ok = kv.setSetting(handleKey(handle), userIdHex.toLatin1()); !ok)
        return fromStore(ok.error());
    if (auto ok = tx.commit(); !ok)
        return fromStore(ok.error());
    return {};
}

QString Messenger::handleOf(const QString& userIdHex)
{
    if (userIdHex == account_.userIdHex())
        return account_.handle();
    auto contact = account_.store().keyValues().contact(userIdHex);
    if (contact && contact->has_value())
        return (*contact)->displayName;
    return {};
}

MessagingExpected<QString> Messenger::userIdOfHandle(const QString& handle)
{
    if (handle == account_.handle())
        return account_.userIdHex();
    auto value = account_.store().keyValues().setting(handleKey(handle));
    if (!value)
        return fromStore(value.error());
    if (!value->has_value())
        return messagingError(MessagingErrorCode::NotFound, QStringLiteral("unknown contact @%1").arg(handle));
    return QString::fromLatin1(**value);
}

MessagingExpected<QStringList> Messenger::members(const QString& conversationId)
{
    auto list = account_.store().conversations().members(conversationId);
    if (!list)
        return fromStore(list.error());
    QStringList ids;
    for (const auto& m : *list)
        ids << m.first;
    return ids;
}

MessagingExpected<QString> Messenger::knownDirect(const QString& handle)
{
    auto userId = userIdOfHandle(handle);
    if (!userId)
        return userId;
    auto conv = account_.store().keyValues().setting(directKey(*userId));
    if (!conv)
        return fromStore(conv.error());
    if (!conv->has_value())
        return messagingError(MessagingErrorCode::NotFound, QStringLiteral("no conversation with @%1").arg(handle));
    return QString::fromLatin1(**conv);
}

void Messenger::openDirect(const QString& handle, std::function<void(MessagingExpected<QString>)> done)
{
    if (auto known = knownDirect(handle))
        return done(known);
    if (!sync_.isLive())
        return done(messagingError(
            MessagingErrorCode::Network, QStringLiteral("offline: @%1 is not a known contact").arg(handle)));
    tenchat::v1::Request lookup;
    lookup.mutable_lookup_handle()->set_handle(handle.toStdString());
    sync_.client().request(lookup, [this, handle, done](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return done(Unexpected(r.error()));
        if (r->status() == tenchat::v1::STATUS_NOT_FOUND)
            return done(
                messagingError(MessagingErrorCode::NotFound, QStringLiteral("no user @%1 on this relay").arg(handle)));
        if (r->status() != tenchat::v1::STATUS_OK)
            return done(messagingError(MessagingErrorCode::Relay, relayReason(*r), r->status()));
        const std::string peer = r->lookup_handle().user_id();
        if (auto ok = saveContact(hex(peer), handle); !ok)
            return done(Unexpected(ok.error()));
        tenchat::v1::Request create;
        create.mutable_create_conversation()->set_kind(tenchat::v1::CONVERSATION_KIND_DIRECT);
        if (peer != account_.userId().toStdString())
            create.mutable_create_conversation()->add_member_user_ids(peer);
        sync_.client().request(create, [this, peer, done](MessagingExpected<tenchat::v1::Response> r) {
            if (!r)
                return done(Unexpected(r.error()));
            if (r->status() != tenchat::v1::STATUS_OK)
                return done(messagingError(MessagingErrorCode::Relay, relayReason(*r), r->status()));
            const auto& info = r->create_conversation().conversation();
            const QString convId = hex(info.conversation_id());
            auto& conversations = account_.store().conversations();
            store::Transaction tx(account_.store().database());
            auto existing = conversations.get(convId);
            if (!existing)
                return done(fromStore(existing.error()));
            store::Conversation conv = existing->value_or(store::Conversation {});
            conv.id = convId;
            conv.type = store::ConversationType::Direct;
            conv.title = handleOf(hex(peer));
            conv.ttlMs = qint64(info.ttl_seconds()) * 1000;
            if (conv.createdAt == 0)
                conv.createdAt = qint64(info.created_ms());
            if (auto ok = conversations.save(conv); !ok)
                return done(fromStore(ok.error()));
            for (const auto& m : info.members())
                if (auto ok = conversations.setMember(convId, hex(m.user_id()), store::MemberRole::Member, nowMs());
                    !ok)
                    return done(fromStore(ok.error()));
            if (auto ok = account_.store().keyValues().setSetting(directKey(hex(peer)), convId.toLatin1()); !ok)
                return done(fromStore(ok.error()));
            if (auto ok = tx.commit(); !ok)
                return done(fromStore(ok.error()));
            done(convId);
        });
    });
}

// --- queueing ---------------------------------------------------------------

MessagingExpected<QString> Messenger::queueText(
    const QString& conversationId, const QString& text, const QString& replyTo)
{
    if (text.isEmpty())
        return messagingError(MessagingErrorCode::InvalidArgument, QStringLiteral("empty message"));
    MessageBody body;
    body.text = text;
    body.replyTo = replyTo;
    return queueOp(conversationId, std::move(body), true);
}

MessagingExpected<QString> Messenger::queueContent(
    const QString& conversationId, const QString& contentType, const QString& content)
{
    if (content.isEmpty() || contentType.isEmpty())
        return messagingError(MessagingErrorCode::InvalidArgument, QStringLiteral("empty message"));
    MessageBody body;
    body.contentType = contentType;
    body.text = content;
    return queueOp(conversationId, std::move(body), true);
}

MessagingExpected<QString> Messenger::queueEdit(const QString& messageId, const QString& newText)
{
    auto message = account_.store().messages().get(messageId);
    if (!message)
        return fromStore(message.error());
    if (!message->has_value() || !(*message)->outgoing)
        return messagingError(
            MessagingErrorCode::NotFound, QStringLiteral("no message of ours with id %1").arg(messageId));
    MessageBody body;
    body.op = MessageBody::Op::Edit;
    body.target = messageId;
    body.text = newText;
    return queueOp((*message)->conversationId, std::move(body), true);
}

MessagingExpected<QString> Messenger::queueDelete(const QString& messageId)
{
    auto message = account_.store().messages().get(messageId);
    if (!message)
        return fromStore(message.error());
    if (!message->has_value() || !(*message)->outgoing)
        return messagingError(
            MessagingErrorCode::NotFound, QStringLiteral("no message of ours with id %1").arg(messageId));
    MessageBody body;
    body.op = MessageBody::Op::Delete;
    body.target = messageId;
    return queueOp((*message)->conversationId, std::move(body), true);
}

MessagingExpected<QString> Messenger::queueReaction(const QString& messageId, const QString& emoji, bool remove)
{
    auto message = account_.store().messages().get(messageId);
    if (!message)
        return fromStore(message.error());
    if (!message->has_value())
        return messagingError(MessagingErrorCode::NotFound, QStringLiteral("no message with id %1").arg(messageId));
    MessageBody body;
    body.op = MessageBody::Op::Reaction;
    body.target = messageId;
    body.emoji = emoji;
    body.removeReaction = remove;
    return queueOp((*message)->conversationId, std::move(body), true);
}

MessagingExpected<QString> Messenger::queueOp(const QString& conversationId, MessageBody body, bool storeLocally)
{
    if (!account_.isRegistered())
        return messagingError(MessagingErrorCode::NotRegistered, QStringLiteral("the profile has no account"));
    if (auto allowed = groups_->canPost(conversationId); !allowed)
        return Unexpected(allowed.error()); // a channel reader, or no longer a member
    auto& s = account_.store();
    const qint64 now = nowMs();
    body.messageId = ulids_.next(std::uint64_t(now));
    body.sentAt = now;
    store::Transaction tx(s.database());
    if (!tx.begun())
        return fromStore(tx.begun().error());
    if (storeLocally) {
        store::StoreOk ok;
        switch (body.op) {
        case MessageBody::Op::Message: {
            store::Message m;
            m.id = body.messageId;
            m.conversationId = conversationId;
            m.senderUserId = account_.userIdHex();
            m.senderDeviceId = int(account_.deviceId());
            m.outgoing = true;
            m.sentAt = now;
            m.receivedAt = now;
            m.contentType = body.contentType;
            m.body = body.text;
            m.replyTo = body.replyTo;
            m.delivery = DeliveryState::Queued;
            m.read = true;
            auto inserted = s.messages().insert(m);
            if (!inserted)
                return fromStore(inserted.error());
            break;
        }
        case MessageBody::Op::Edit: ok = s.messages().edit(body.target, body.text, now); break;
        case MessageBody::Op::Delete: ok = s.messages().tombstone(body.target); break;
        case MessageBody::Op::Reaction:
            ok = body.removeReaction ? s.messages().removeReaction(body.target, account_.userIdHex(), body.emoji)
                                     : s.messages().addReaction(body.target, account_.userIdHex(), body.emoji, now);
            break;
        }
        if (!ok)
            return fromStore(ok.error());
    }
    store::OutboxItem item;
    item.kind = store::OutboxKind::ConversationAppend;
    item.messageId = body.messageId;
    item.conversationId = conversationId;
    item.payload = body.encode();
    item.createdAt = now;
    item.nextAttemptAt = now;
    if (auto id = s.outbox().enqueue(item); !id)
        return fromStore(id.error());
    if (auto ok = tx.commit(); !ok)
        return fromStore(ok.error());
    scheduleFlush();
    return body.messageId;
}

MessagingExpected<int> Messenger::outboxSize()
{
    auto size = account_.store().outbox().size();
    if (!size)
        return fromStore(size.error());
    return *size;
}

// --- sending ----------------------------------------------------------------

void Messenger::scheduleFlush()
{
    if (!flushTimer_.isActive())
        flushTimer_.start(0);
}

void Messenger::flushOutbox()
{
    if (sending_ || !sync_.isLive())
        return;
    // Strictly in outbox order: an item waiting for its retry time also
    // holds back everything queued after it, so the relay assigns sequence
    // numbers in the order the user wrote. Items held for a trust decision
    // (kHeldUntil) are skipped; their conversation stays blocked by the
    // contact's trust state.
    auto next = account_.store().outbox().due(kHeldUntil - 1, 1);
    if (!next)
        return;
    if (next->isEmpty()) {
        emit outboxDrained();
        return;
    }
    const auto& item = next->constFirst();
    const qint64 wait = item.nextAttemptAt - nowMs();
    if (wait > 0) {
        flushTimer_.start(int(std::min<qint64>(wait, 60000)));
        return;
    }
    sendItem(item, 0);
}

void Messenger::holdConversation(const QString& conversationId, const QString& reason)
{
    auto all = account_.store().outbox().due(kHeldUntil, 10000);
    if (!all)
        return;
    for (const auto& item : *all)
        if (item.conversationId == conversationId)
            (void)account_.store().outbox().reschedule(item.id, kHeldUntil, reason);
}

void Messenger::sendItem(const store::OutboxItem& item, int attempt)
{
    if (groups_->isGroup(item.conversationId))
        return groups_->sendItem(item, attempt); // one sender-key ciphertext
    sending_ = true;
    auto memberIds = members(item.conversationId);
    if (!memberIds) {
        sending_ = false;
        return;
    }
    QStringList others;
    for (const auto& m : *memberIds) {
        if (m == account_.userIdHex())
            continue;
        auto contact = account_.store().keyValues().contact(m);
        if (contact && contact->has_value() && (*contact)->trust == store::ContactTrust::Changed) {
            holdConversation(item.conversationId, QStringLiteral("waiting for trust"));
            sending_ = false;
            scheduleFlush();
            return;
        }
        others << m;
    }
    ensureSessions(others, [this, item, attempt, memberIds = *memberIds](MessagingOk ok) {
        if (!ok) {
            if (ok.error().code == MessagingErrorCode::Untrusted)
                holdConversation(item.conversationId, ok.error().message);
            else
                (void)account_.store().outbox().reschedule(item.id, nowMs() + 2000, ok.error().message);
            sending_ = false;
            scheduleFlush();
            return;
        }
        auto& protocol = account_.store().protocolStore();
        tenchat::v1::Request req;
        auto* append = req.mutable_append();
        append->set_conversation_id(unhex(item.conversationId));
        append->set_message_id(wireMessageId(item.messageId));
        auto* cts = append->mutable_device_ciphertexts();
        const crypto::Bytes padded = crypto::padMessage(crypto::asBytes(item.payload.toStdString()));
        QStringList targets = memberIds;
        if (!targets.contains(account_.userIdHex()))
            targets << account_.userIdHex();
        for (const auto& userHex : targets) {
            auto devices = protocol.subDeviceSessions(userHex.toStdString());
            if (!devices)
                continue;
            for (auto deviceId : *devices) {
                if (userHex == account_.userIdHex() && std::uint32_t(deviceId) == account_.deviceId())
                    continue;
                auto cipher = crypto::SessionCipher::create(protocol, { userHex.toStdString(), deviceId });
                if (!cipher)
                    continue;
                auto message = cipher->encrypt(padded);
                if (!message) {
                    if (message.error().code == crypto::CryptoErrorCode::UntrustedIdentity) {
                        holdConversation(item.conversationId, QStringLiteral("identity changed"));
                        sending_ = false;
                        scheduleFlush();
                        return;
                    }
                    continue;
                }
                auto* ct = cts->add_ciphertexts();
                ct->mutable_device()->set_user_id(unhex(userHex));
                ct->mutable_device()->set_device_id(std::uint32_t(deviceId));
                ct->set_type(std::uint32_t(message->type));
                ct->set_ciphertext(asString(message->body));
            }
        }
        sync_.client().request(req, [this, item, attempt](MessagingExpected<tenchat::v1::Response> r) {
            onAppendResponse(item, attempt, std::move(r));
        });
    });
}

void Messenger::ensureSessions(const QStringList& userIds, std::function<void(MessagingOk)> done)
{
    auto& protocol = account_.store().protocolStore();
    for (const auto& u : userIds) {
        auto devices = protocol.subDeviceSessions(u.toStdString());
        if (devices && devices->empty()) {
            // Fetch this user's bundles, then look at the rest again.
            fetchBundles(u, 0, [this, userIds, u, done](MessagingOk ok) {
                if (!ok)
                    return done(ok);
                QStringList rest = userIds;
                rest.removeAll(u);
                ensureSessions(rest, done);
            });
            return;
        }
    }
    done({});
}

void Messenger::fetchBundles(const QString& userIdHex, std::uint32_t deviceId, std::function<void(MessagingOk)> done)
{
    tenchat::v1::Request req;
    req.mutable_fetch_bundles()->set_user_id(unhex(userIdHex));
    req.mutable_fetch_bundles()->set_device_id(deviceId);
    sync_.client().request(req, [this, userIdHex, done](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return done(Unexpected(r.error()));
        if (r->status() != tenchat::v1::STATUS_OK)
            return done(messagingError(MessagingErrorCode::Relay, relayReason(*r), r->status()));
        auto established = account_.store().keyValues().setting(establishedKey(userIdHex));
        const bool known = established && established->has_value() && userIdHex != account_.userIdHex();
        MessagingOk result;
        for (const auto& bundle : r->fetch_bundles().bundles()) {
            auto ok = installBundle(userIdHex, bundle, known);
            if (!ok && result)
                result = ok;
        }
        if (result)
            (void)account_.store().keyValues().setSetting(establishedKey(userIdHex), "1");
        done(result);
    });
}

MessagingOk Messenger::installBundle(
    const QString& userIdHex, const tenchat::v1::DeviceBundle& bundle, bool knownContact)
{
    auto& protocol = account_.store().protocolStore();
    const crypto::ProtocolAddress address { userIdHex.toStdString(), std::int32_t(bundle.device().device_id()) };
    const crypto::Bytes identityKey = asBytes(bundle.identity_key());
    auto trust = crypto::identityTrust(protocol, address, identityKey);
    if (!trust)
        return fromCrypto(trust.error());
    // A changed key, or a new device of a contact we already talk to (the
    // relay could add one to read along): the user decides first.
    if ((trust->has_value() && **trust == crypto::TrustState::Changed) || (!trust->has_value() && knownContact)) {
        if (auto ok = crypto::flagIdentityChanged(protocol, address, identityKey); !ok)
            return fromCrypto(ok.error());
        auto& kv = account_.store().keyValues();
        auto pending = kv.setting(pendingKey(userIdHex));
        QByteArray list = pending && pending->has_value() ? **pending : QByteArray();
        const QByteArray dev = QByteArray::number(bundle.device().device_id());
        if (!list.split(',').contains(dev))
            list = list.isEmpty() ? dev : list + ',' + dev;
        (void)kv.setSetting(pendingKey(userIdHex), list);
        (void)kv.setContactTrust(userIdHex, store::ContactTrust::Changed, nowMs());
        (void)account_.store().audit(QStringLiteral("identity-changed"), userIdHex);
        emit identityChangeDetected(handleOf(userIdHex));
        return messagingError(
            MessagingErrorCode::Untrusted, QStringLiteral("the identity of @%1 changed").arg(handleOf(userIdHex)));
    }
    crypto::PreKeyBundle b;
    b.registrationId = bundle.registration_id();
    b.deviceId = std::int32_t(bundle.device().device_id());
    b.identityKey = identityKey;
    b.signedPreKey.id = bundle.signed_pre_key().key_id();
    b.signedPreKey.publicKey = asBytes(bundle.signed_pre_key().public_key());
    b.signedPreKey.signature = asBytes(bundle.signed_pre_key().signature());
    b.signedPreKey.timestampMs = bundle.signed_pre_key().timestamp_ms();
    if (bundle.has_one_time_pre_key())
        b.preKey = crypto::PublicPreKey { bundle.one_time_pre_key().key_id(),
            asBytes(bundle.one_time_pre_key().public_key()) };
    auto cipher = crypto::SessionCipher::create(protocol, address);
    if (!cipher)
        return fromCrypto(cipher.error());
    if (auto ok = cipher->initiateFromBundle(b); !ok)
        return fromCrypto(ok.error());
    return {};
}

void Messenger::onAppendResponse(const store::OutboxItem& item, int attempt, MessagingExpected<tenchat::v1::Response> r)
{
    auto& s = account_.store();
    if (!r) {
        // Connection trouble: the coordinator reconnects and flushes again on live.
        (void)s.outbox().reschedule(item.id, nowMs() + 500, r.error().message);
        sending_ = false;
        scheduleFlush();
        return;
    }
    const auto status = r->status();
    if (status == tenchat::v1::STATUS_OK) {
        store::Transaction tx(s.database());
        auto local = s.messages().get(item.messageId);
        if (local && local->has_value()) {
            (void)s.messages().assignServerSeq(item.messageId, qint64(r->append().seq()));
            (void)s.messages().setDeliveryState(item.messageId, DeliveryState::Sent);
        }
        (void)s.outbox().remove(item.id);
        (void)tx.commit();
        if (local && local->has_value())
            emit deliveryChanged(item.messageId, DeliveryState::Sent);
        sending_ = false;
        flushOutbox();
        return;
    }
    if (status == tenchat::v1::STATUS_DEVICES_MISMATCH && attempt < kMaxMismatchRetries) {
        const auto& mismatch = r->devices_mismatch();
        for (const auto& stale : mismatch.stale())
            (void)s.protocolStore().deleteSession(
                crypto::ProtocolAddress { hex(stale.user_id()).toStdString(), std::int32_t(stale.device_id()) });
        auto missing = std::make_shared<std::vector<tenchat::v1::DeviceAddress>>(
            mismatch.missing().begin(), mismatch.missing().end());
        auto step = std::make_shared<std::function<void(MessagingOk)>>();
        *step = [this, item, attempt, missing, step](MessagingOk ok) {
            if (!ok) {
                if (ok.error().code == MessagingErrorCode::Untrusted)
                    holdConversation(item.conversationId, ok.error().message);
                else
                    (void)account_.store().outbox().reschedule(item.id, nowMs() + 2000, ok.error().message);
                sending_ = false;
                scheduleFlush();
                *step = nullptr; // break the cycle
                return;
            }
            if (missing->empty()) {
                auto self = *step;
                *step = nullptr;
                sendItem(item, attempt + 1);
                return;
            }
            auto next = missing->back();
            missing->pop_back();
            fetchBundles(hex(next.user_id()), next.device_id(), *step);
        };
        (*step)({});
        return;
    }
    if (status == tenchat::v1::STATUS_RATE_LIMITED || status == tenchat::v1::STATUS_INTERNAL
        || status == tenchat::v1::STATUS_UNAVAILABLE || status == tenchat::v1::STATUS_DEVICES_MISMATCH) {
        const qint64 wait = std::max<qint64>(r->retry_after_ms(), 1000);
        (void)s.outbox().reschedule(item.id, nowMs() + wait, relayReason(*r));
        sending_ = false;
        scheduleFlush();
        return;
    }
    // Refused for good (not a member, a reader in a channel, too large).
    store::Transaction tx(s.database());
    auto local = s.messages().get(item.messageId);
    if (local && local->has_value())
        (void)s.messages().setDeliveryState(item.messageId, DeliveryState::Failed);
    (void)s.outbox().remove(item.id);
    (void)tx.commit();
    if (local && local->has_value())
        emit deliveryChanged(item.messageId, DeliveryState::Failed);
    sending_ = false;
    flushOutbox();
}

// --- identity ---------------------------------------------------------------

MessagingExpected<bool> Messenger::identityChanged(const QString& handle)
{
    auto userId = userIdOfHandle(handle);
    if (!userId)
        return Unexpected(userId.error());
    auto contact = account_.store().keyValues().contact(*userId);
    if (!contact)
        return fromStore(contact.error());
    return contact->has_value() && (*contact)->trust == store::ContactTrust::Changed;
}

MessagingExpected<QString> Messenger::safetyNumber(const QString& handle)
{
    auto userId = userIdOfHandle(handle);
    if (!userId)
        return userId;
    auto& protocol = account_.store().protocolStore();
    // The lowest device id with a recorded identity key (normally device 1).
    for (std::int32_t device = 1; device <= 64; ++device) {
        auto record = protocol.loadIdentity({ userId->toStdString(), device });
        if (!record)
            return messagingError(MessagingErrorCode::Store, QString::fromStdString(record.error().message));
        if (!record->has_value())
            continue;
        auto number = crypto::computeSafetyNumber(account_.userIdHex().toStdString(),
            asBytes(account_.identityPublicKey().toStdString()), userId->toStdString(), (*record)->publicKey);
        if (!number)
            return fromCrypto(number.error());
        return QString::fromStdString(number->grouped());
    }
    return messagingError(
        MessagingErrorCode::NotFound, QStringLiteral("no identity key known for @%1 yet").arg(handle));
}

MessagingOk Messenger::trust(const QString& handle)
{
    auto userId = userIdOfHandle(handle);
    if (!userId)
        return Unexpected(userId.error());
    auto& s = account_.store();
    auto& protocol = s.protocolStore();
    auto pending = s.keyValues().setting(pendingKey(*userId));
    if (!pending)
        return fromStore(pending.error());
    store::Transaction tx(s.database());
    const QList<QByteArray> devices = pending->value_or(QByteArray()).split(',');
    for (const auto& d : devices) {
        if (d.isEmpty())
            continue;
        const crypto::ProtocolAddress address { userId->toStdString(), d.toInt() };
        auto record = protocol.loadIdentity(address);
        if (!record)
            return messagingError(MessagingErrorCode::Store, QString::fromStdString(record.error().message));
        if (!record->has_value())
            continue;
        if (auto ok = crypto::acceptIdentity(protocol, address, (*record)->publicKey, crypto::TrustState::Verified);
            !ok)
            return fromCrypto(ok.error());
        // A session with an old key cannot continue: start afresh.
        (void)protocol.deleteSession(address);
    }
    if (auto ok = s.keyValues().setSetting(pendingKey(*userId), QByteArray()); !ok)
        return fromStore(ok.error());
    if (auto ok = s.keyValues().setContactTrust(*userId, store::ContactTrust::Verified, nowMs()); !ok)
        return fromStore(ok.error());
    // Release held messages, in their original order (outbox ids).
    auto held = s.outbox().due(kHeldUntil, 10000);
    if (!held)
        return fromStore(held.error());
    for (const auto& item : *held)
        if (item.nextAttemptAt >= kHeldUntil)
            (void)s.outbox().reschedule(item.id, nowMs(), QString());
    if (auto ok = tx.commit(); !ok)
        return fromStore(ok.error());
    (void)s.audit(QStringLiteral("identity-trusted"), *userId);
    scheduleFlush();
    return {};
}

} // namespace tenchat::core::messaging
