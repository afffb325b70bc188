// SPDX-License-Identifier: GPL-3.0-or-later
// Messenger: contacts, conversations, queueing (outbox) and identity trust.
#include "tenchat/core/messaging/Messenger.h"

#include "MessagingUtil.h"
#include "tenchat/core/messaging/SignedPreKeyRotation.h"
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

QString directKey(const QString& peerHex)
{
    return QStringLiteral("direct.") + peerHex;
}

QString handleKey(const QString& handle)
{
    return QStringLiteral("contact.handle.") + handle;
}

} // namespace

Messenger::Messenger(Account& account, QObject* parent)
    : QObject(parent), account_(account), sync_(account), groups_(std::make_unique<GroupEngine>(*this)),
      expiry_(account.store())
{
    connect(&expiry_, &EphemeralExpiry::expired, this, &Messenger::messageExpired);
    sync_.setEntryHandler([this](const auto& entries) { return onEntries(entries); });
    sync_.setToDeviceHandler([this](const auto& messages) { return onToDevice(messages); });
    connect(&sync_, &SyncCoordinator::live, this, &Messenger::onLive);
    connect(&sync_, &SyncCoordinator::deviceRevoked, this, &Messenger::onDeviceRevoked);
    connect(&sync_, &SyncCoordinator::ephemeralReceived, this, &Messenger::onEphemeral);
    rotation_ = std::make_unique<SignedPreKeyRotation>(account_);
    rotationTimer_.setInterval(int(SignedPreKeyRotation::kDayMs / 24)); // hourly look, daily-granular schedule
    connect(&rotationTimer_, &QTimer::timeout, this, &Messenger::checkKeyRotation);
    connect(&sync_, &SyncCoordinator::live, this, [this] { groups_->reconcile([](MessagingOk) {}); });
    connect(&sync_, &SyncCoordinator::preKeysLow, this, &Messenger::replenishPreKeys);
    flushTimer_.setSingleShot(true);
    connect(&flushTimer_, &QTimer::timeout, this, &Messenger::flushOutbox);
    resultTimer_.setSingleShot(true);
    connect(&resultTimer_, &QTimer::timeout, this, &Messenger::commitResults);
}

Messenger::~Messenger() = default;

void Messenger::start()
{
    processInbox(); // envelopes left by an earlier run (crash before decrypt)
    expiry_.start(); // ephemeral messages: deleted when due, on every device
    sendDeliveryReceipts();
    rotationTimer_.start();
    sync_.start();
}

void Messenger::stop()
{
    // A clean close says so to the contacts (a crash cannot; presence is
    // ephemeral, the relay keeps none of it).
    if (sync_.isLive())
        setPresence(Presence::Offline);
    sync_.stop();
    flushTimer_.stop();
    expiry_.stop();
    rotationTimer_.stop();
    if (!results_.empty())
        commitResults(); // answers already received are kept
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

MessagingExpected<QStringList> Messenger::queueTexts(const QString& conversationId, const QStringList& texts)
{
    if (texts.isEmpty())
        return messagingError(MessagingErrorCode::InvalidArgument, QStringLiteral("no messages"));
    for (const auto& text : texts)
        if (text.isEmpty())
            return messagingError(MessagingErrorCode::InvalidArgument, QStringLiteral("empty message"));
    if (auto allowed = mayQueue(conversationId); !allowed)
        return Unexpected(allowed.error());
    auto& s = account_.store();
    store::Transaction tx(s.database());
    if (!tx.begun())
        return fromStore(tx.begun().error());
    QStringList ids;
    ids.reserve(texts.size());
    QList<store::Message> rows; // inserted together: one conversation update, one index queueing
    rows.reserve(texts.size());
    for (const auto& text : texts) {
        MessageBody body;
        body.text = text;
        auto id = stageOp(conversationId, body, true, &rows);
        if (!id)
            return Unexpected(id.error()); // rolled back: none of them is stored
        ids << *id;
    }
    if (auto inserted = s.messages().insertBatch(rows, false); !inserted)
        return fromStore(inserted.error());
    if (auto ok = persistLamport(); !ok)
        return Unexpected(ok.error());
    if (auto ok = tx.commit(); !ok)
        return fromStore(ok.error());
    scheduleFlush();
    return ids;
}

MessagingOk Messenger::mayQueue(const QString& conversationId)
{
    if (!account_.isRegistered())
        return messagingError(MessagingErrorCode::NotRegistered, QStringLiteral("the profile has no account"));
    return groups_->canPost(conversationId); // a channel reader, or no longer a member
}

MessagingExpected<QString> Messenger::queueOp(const QString& conversationId, MessageBody body, bool storeLocally)
{
    if (auto allowed = mayQueue(conversationId); !allowed)
        return Unexpected(allowed.error());
    auto& s = account_.store();
    store::Transaction tx(s.database());
    if (!tx.begun())
        return fromStore(tx.begun().error());
    auto id = stageOp(conversationId, body, storeLocally);
    if (!id)
        return id;
    if (auto ok = tx.commit(); !ok)
        return fromStore(ok.error());
    scheduleFlush();
    return id;
}

MessagingExpected<QString> Messenger::stageOp(
    const QString& conversationId, MessageBody& body, bool storeLocally, QList<store::Message>* rows)
{
    auto& s = account_.store();
    const qint64 now = nowMs();
    body.messageId = ulids_.next(std::uint64_t(now));
    body.sentAt = now;
    auto lamport = tickLamport(0, rows == nullptr);
    if (!lamport)
        return Unexpected(lamport.error());
    body.lamport = *lamport;
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
            m.lamport = body.lamport;
            m.sentAt = now;
            m.receivedAt = now;
            m.contentType = body.contentType;
            m.body = body.text;
            m.replyTo = body.replyTo;
            m.delivery = DeliveryState::Queued;
            m.read = true;
            if (rows) {
                rows->append(std::move(m));
                break;
            }
            auto inserted = s.messages().insertInTransaction(m);
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
        case MessageBody::Op::Receipt: break;
        }
        if (!ok)
            return fromStore(ok.error());
    }
    store::OutboxItem item;
    item.kind
        = body.op == MessageBody::Op::Receipt ? store::OutboxKind::Receipt : store::OutboxKind::ConversationAppend;
    item.messageId = body.messageId;
    item.conversationId = conversationId;
    item.payload = body.encode();
    item.createdAt = now;
    item.nextAttemptAt = now;
    if (auto id = s.outbox().enqueue(item); !id)
        return fromStore(id.error());
    return body.messageId;
}

// --- Lamport clock ------------------------------------------------------------

namespace {
const QString kLamportKey = QStringLiteral("messaging.lamport");
}

// The stored value is a ceiling, not the clock itself: it is raised by
// kLamportReserve whenever the clock passes it, so most commits leave the
// settings page alone (one page fewer to encrypt per queued message). A
// restart continues from the ceiling, above every value used before.
qint64 Messenger::lamportClock()
{
    if (!lamport_) {
        auto stored = account_.store().keyValues().setting(kLamportKey);
        lamport_ = stored && stored->has_value() ? (*stored)->toLongLong() : 0;
    }
    return *lamport_;
}

MessagingExpected<qint64> Messenger::tickLamport(qint64 seen, bool persist)
{
    // Ours: the clock moves on by one. Received: past both the clock and
    // the sender's value (max + 1), so what we write next sorts after it.
    const qint64 next = std::max(lamportClock(), seen) + 1;
    lamport_ = next;
    if (!persist)
        return next;
    if (auto ok = persistLamport(); !ok)
        return Unexpected(ok.error());
    return next;
}

MessagingOk Messenger::persistLamport()
{
    // Read inside the caller's transaction, never cached: a rolled-back
    // transaction (or savepoint) takes its raise of the ceiling with it, and
    // the next tick sees that and raises it again.
    auto& kv = account_.store().keyValues();
    auto stored = kv.setting(kLamportKey);
    if (!stored)
        return fromStore(stored.error());
    const qint64 clock = lamportClock();
    if (stored->has_value() && (*stored)->toLongLong() >= clock)
        return {};
    if (auto ok = kv.setSetting(kLamportKey, QByteArray::number(clock + kLamportReserve - 1)); !ok)
        return fromStore(ok.error());
    return {};
}

MessagingExpected<int> Messenger::outboxSize()
{
    auto size = account_.store().outbox().size();
    if (!size)
        return fromStore(size.error());
    return *size;
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
    auto pending = s.keyValues().setting(pendingIdentityKey(*userId));
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
    if (auto ok = s.keyValues().setSetting(pendingIdentityKey(*userId), QByteArray()); !ok)
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
