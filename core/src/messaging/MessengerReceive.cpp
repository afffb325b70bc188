// SPDX-License-Identifier: GPL-3.0-or-later
// Messenger: the receiving path (inbox, decryption, commit, acknowledgement).
#include "tenchat/core/messaging/Messenger.h"

#include "MessagingUtil.h"
#include "tenchat/core/store/Transaction.h"
#include "tenchat/crypto/MessagePadding.h"
#include "tenchat/crypto/SessionCipher.h"

#include <QHash>

#include <map>

namespace tenchat::core::messaging {

using namespace util;

namespace {

// An envelope that still fails after this many attempts is dropped (and
// audited) so that it cannot block the inbox for ever.
constexpr int kMaxEnvelopeAttempts = 5;
constexpr int kInboxPage = 1000;

} // namespace

std::vector<tenchat::v1::SyncCursor> Messenger::onEntries(const std::vector<tenchat::v1::Entry>& entries)
{
    auto& s = account_.store();
    std::map<std::string, std::uint64_t> highest;
    // One transaction for the whole batch: the envelopes reach the inbox and
    // are decrypted and stored with a single commit. First pass without a
    // savepoint per envelope (SQLCipher encrypts every page a savepoint
    // journals, which cost more than the decryption); if any envelope is
    // not done, the batch is rolled back and processed again with a
    // savepoint each, so one failure does not undo the others. Signals wait
    // for the commit.
    bool committed = false;
    for (int pass = 0; pass < 2 && !committed; ++pass) {
        store::Transaction tx(s.database());
        if (!tx.begun())
            return {};
        highest.clear();
        ++deferDepth_;
        bool ok = true;
        for (const auto& entry : entries) {
            store::InboxEnvelope envelope;
            envelope.source = store::InboxSource::ConversationLog;
            envelope.conversationId = hex(entry.conversation_id());
            envelope.serverSeq = qint64(entry.seq());
            envelope.envelope = QByteArray::fromStdString(entry.SerializeAsString());
            envelope.receivedAt = nowMs();
            if (auto added = s.inbox().add(envelope); !added) {
                ok = false; // nothing acknowledged; the relay sends them again
                break;
            }
            auto& h = highest[entry.conversation_id()];
            h = std::max<std::uint64_t>(h, entry.seq());
        }
        fastPath_ = pass == 0;
        const bool clean = ok && processInbox();
        fastPath_ = false;
        --deferDepth_;
        auto announcements = std::move(deferred_);
        deferred_.clear();
        if (!ok) {
            pendingDelivered_.clear(); // rolled back: nothing was stored
            return {};
        }
        if (!clean && pass == 0) {
            pendingDelivered_.clear();
            continue; // rolled back; again with savepoints
        }
        // The delivery receipts ride in the same commit (one fewer per
        // batch, and a crash cannot lose them once the messages are stored).
        if (!stageDeliveryReceipts() || !tx.commit()) {
            pendingDelivered_.clear();
            return {};
        }
        committed = true;
        scheduleFlush();
        for (const auto& announce : announcements)
            announce();
    }
    sendDeliveryReceipts();
    std::vector<tenchat::v1::SyncCursor> acks;
    for (const auto& [conversation, seq] : highest) {
        tenchat::v1::SyncCursor cursor;
        cursor.set_conversation_id(conversation);
        cursor.set_after_seq(seq);
        acks.push_back(std::move(cursor));
    }
    return acks;
}

std::vector<std::uint64_t> Messenger::onToDevice(const std::vector<tenchat::v1::ToDeviceMessage>& messages)
{
    // Sender keys of groups and channels (GroupEngine); what it does not
    // know is acknowledged and dropped.
    auto ids = groups_->onToDevice(messages);
    processInbox(); // group entries that waited for a sender key
    return ids;
}

void Messenger::announce(std::function<void()> signal)
{
    if (deferDepth_ > 0)
        deferred_.push_back(std::move(signal));
    else
        signal();
}

bool Messenger::processInbox()
{
    auto& s = account_.store();
    // Page by id: envelopes that stay (waiting for a sender key) never hide
    // the ones after them.
    qint64 after = 0;
    for (;;) {
        auto page = s.inbox().pending(kInboxPage, after);
        if (!page)
            return false;
        if (page->isEmpty())
            return true;
        for (const auto& envelope : *page) {
            after = envelope.id;
            if (processEnvelope(envelope))
                continue;
            if (fastPath_)
                return false; // may have written half of it: the caller rolls back
            // (Group entries waiting for a sender key are done for now:
            // GroupEngine keeps them, see its sender-key recovery.)
            if (envelope.attempts + 1 >= kMaxEnvelopeAttempts) {
                (void)s.audit(QStringLiteral("envelope-dropped"), envelope.conversationId);
                (void)s.inbox().remove(envelope.id);
            } else {
                (void)s.inbox().recordFailure(envelope.id, QStringLiteral("not processed"));
            }
        }
        if (page->size() < kInboxPage)
            return true;
    }
}

bool Messenger::processEnvelope(const store::InboxEnvelope& envelope)
{
    auto& s = account_.store();
    tenchat::v1::Entry entry;
    if (envelope.source != store::InboxSource::ConversationLog
        || !entry.ParseFromArray(envelope.envelope.constData(), int(envelope.envelope.size()))) {
        (void)s.inbox().remove(envelope.id);
        return true;
    }
    const QString conversationId = hex(entry.conversation_id());

    if (entry.has_membership())
        return groups_->applyMembership(envelope, entry); // members, roles, sender-key rotation
    if (entry.has_sender_key_ciphertext())
        return groups_->processEntry(envelope, entry); // groups and channels

    if (!entry.has_device_ciphertext()) {
        (void)s.audit(QStringLiteral("entry-unsupported"), conversationId);
        (void)s.inbox().remove(envelope.id);
        return true;
    }

    const QString senderHex = hex(entry.sender().user_id());
    const crypto::ProtocolAddress sender { senderHex.toStdString(), std::int32_t(entry.sender().device_id()) };
    auto cipher = crypto::SessionCipher::create(s.protocolStore(), sender);
    if (!cipher)
        return false;
    const auto& dc = entry.device_ciphertext();
    crypto::SessionMessage message;
    message.type = dc.type() == 3 ? crypto::SessionMessageType::PreKey : crypto::SessionMessageType::Signal;
    message.body = asBytes(dc.ciphertext());

    std::optional<store::Message> received;
    QString changed;
    // A savepoint per envelope, except on the batch's fast path.
    std::optional<store::Transaction> tx;
    if (!fastPath_) {
        tx.emplace(s.database());
        if (!tx->begun())
            return false;
    }
    auto plaintext = cipher->decrypt(message, [&](crypto::ByteView padded) {
        auto unpadded = crypto::unpadMessage(padded);
        std::optional<MessageBody> body;
        if (unpadded)
            body = MessageBody::decode(
                QByteArray(reinterpret_cast<const char*>(unpadded->data()), qsizetype(unpadded->size())));
        // A body that does not parse, or whose id does not match the entry,
        // is dropped (the ratchet still moves on: it did decrypt).
        if (body && wireMessageId(body->messageId) == entry.message_id()) {
            if (!ensureConversation(conversationId, entry))
                return false;
            if (!applyBody(conversationId, entry, senderHex, *body, received, changed))
                return false;
        }
        return bool(s.inbox().remove(envelope.id));
    });
    if (!plaintext) {
        switch (plaintext.error().code) {
        case crypto::CryptoErrorCode::DuplicateMessage:
        case crypto::CryptoErrorCode::InvalidMessage:
        case crypto::CryptoErrorCode::InvalidKey:
        case crypto::CryptoErrorCode::LegacyVersion:
        case crypto::CryptoErrorCode::NoSession:
            // Already processed (redelivery) or never decryptable: drop it.
            (void)s.audit(QStringLiteral("envelope-undecryptable"), conversationId);
            (void)s.inbox().remove(envelope.id);
            return !tx || bool(tx->commit());
        default: return false; // untrusted identity or store failure: keep and retry
        }
    }
    if (tx && !tx->commit())
        return false;
    if (received) {
        if (!received->outgoing)
            pendingDelivered_[conversationId] << received->id;
        announceReceived(*received, senderHex);
    }
    if (!changed.isEmpty())
        announce([this, changed] { emit messageChanged(changed); });
    return true;
}

MessagingOk Messenger::applyBody(const QString& conversationId, const tenchat::v1::Entry& entry,
    const QString& senderHex, const MessageBody& body, std::optional<store::Message>& received, QString& changed)
{
    auto& s = account_.store();
    const auto failed = [](const store::StoreError& e) { return fromStore(e); };
    // Our clock moves past the sender's (max + 1), whatever the operation.
    if (auto ticked = tickLamport(body.lamport); !ticked)
        return Unexpected(ticked.error());
    if (body.op == MessageBody::Op::Message) {
        store::Message m;
        m.id = body.messageId;
        m.conversationId = conversationId;
        m.senderUserId = senderHex;
        m.senderDeviceId = int(entry.sender().device_id());
        m.outgoing = senderHex == account_.userIdHex();
        m.serverSeq = qint64(entry.seq());
        m.lamport = body.lamport;
        m.sentAt = body.sentAt;
        m.receivedAt = nowMs();
        m.contentType = body.contentType;
        m.body = body.text;
        m.replyTo = body.replyTo;
        m.delivery = m.outgoing ? store::DeliveryState::Sent : store::DeliveryState::Delivered;
        m.read = m.outgoing;
        if (entry.expires_ms() > 0)
            m.expiresAt = qint64(entry.expires_ms());
        auto inserted = s.messages().insertInTransaction(m);
        if (!inserted)
            return failed(inserted.error());
        if (*inserted)
            received = m;
        return {};
    }
    if (body.op == MessageBody::Op::Receipt) {
        applyReceipt(conversationId, senderHex, body);
        return {};
    }
    auto target = s.messages().get(body.target);
    if (!target)
        return failed(target.error());
    const bool own = target->has_value() && (*target)->senderUserId == senderHex;
    store::StoreOk ok;
    if (body.op == MessageBody::Op::Edit && own) {
        ok = s.messages().edit(body.target, body.text, body.sentAt);
        changed = body.target;
    } else if (body.op == MessageBody::Op::Delete && own) {
        ok = s.messages().tombstone(body.target);
        changed = body.target;
    } else if (body.op == MessageBody::Op::Reaction && target->has_value()) {
        ok = body.removeReaction ? s.messages().removeReaction(body.target, senderHex, body.emoji)
                                 : s.messages().addReaction(body.target, senderHex, body.emoji, body.sentAt);
        changed = body.target;
    }
    if (!ok)
        return failed(ok.error());
    return {};
}

void Messenger::announceReceived(const store::Message& message, const QString& senderHex)
{
    // After the commit (a rolled-back batch announces nothing): a message
    // waits for its sender's handle (looked up once) so that every
    // messageReceived carries one.
    announce([this, message, senderHex] {
        const QString handle = handleOf(senderHex);
        if (handle.isEmpty() && sync_.client().isOpen()) {
            awaitingHandle_[senderHex].append(message);
            resolveContact(senderHex);
        } else {
            emit messageReceived(message, handle);
        }
    });
}

MessagingOk Messenger::ensureConversation(const QString& conversationId, const tenchat::v1::Entry& entry)
{
    auto& conversations = account_.store().conversations();
    auto existing = conversations.exists(conversationId);
    if (!existing)
        return fromStore(existing.error());
    if (*existing)
        return {};
    store::Conversation conv;
    conv.id = conversationId;
    conv.type = entry.has_membership() ? store::ConversationType::Group : store::ConversationType::Direct;
    conv.createdAt = qint64(entry.server_time_ms());
    if (auto ok = conversations.save(conv); !ok)
        return fromStore(ok.error());
    if (auto ok
        = conversations.setMember(conversationId, account_.userIdHex(), store::MemberRole::Member, conv.createdAt);
        !ok)
        return fromStore(ok.error());
    if (!entry.sender().user_id().empty()) {
        if (auto ok = conversations.setMember(
                conversationId, hex(entry.sender().user_id()), store::MemberRole::Member, conv.createdAt);
            !ok)
            return fromStore(ok.error());
    }
    // After the commit (a rolled-back batch must not leave it marked as refreshing).
    announce([this, conversationId] { refreshConversation(conversationId); });
    return {};
}

void Messenger::refreshConversation(const QString& conversationId)
{
    if (refreshing_.contains(conversationId) || !sync_.client().isOpen())
        return;
    refreshing_.insert(conversationId);
    tenchat::v1::Request req;
    req.mutable_get_conversation()->set_conversation_id(unhex(conversationId));
    sync_.client().request(req, [this, conversationId](MessagingExpected<tenchat::v1::Response> r) {
        refreshing_.remove(conversationId);
        if (!r || r->status() != tenchat::v1::STATUS_OK)
            return;
        const auto& info = r->get_conversation().conversation();
        auto& s = account_.store();
        store::Transaction tx(s.database());
        auto existing = s.conversations().get(conversationId);
        if (!existing || !existing->has_value())
            return;
        store::Conversation conv = **existing;
        conv.type = info.kind() == tenchat::v1::CONVERSATION_KIND_CHANNEL ? store::ConversationType::Channel
            : info.kind() == tenchat::v1::CONVERSATION_KIND_GROUP         ? store::ConversationType::Group
                                                                          : store::ConversationType::Direct;
        conv.ttlMs = qint64(info.ttl_seconds()) * 1000;
        (void)s.conversations().save(conv);
        QString peer;
        for (const auto& m : info.members()) {
            const QString user = hex(m.user_id());
            (void)s.conversations().setMember(conversationId, user, memberRole(m.role()), nowMs());
            if (user != account_.userIdHex())
                peer = user;
        }
        if (conv.type == store::ConversationType::Direct && !peer.isEmpty())
            (void)s.keyValues().setSetting(QStringLiteral("direct.") + peer, conversationId.toLatin1());
        (void)tx.commit();
        for (const auto& m : info.members())
            resolveContact(hex(m.user_id()));
    });
}

void Messenger::resolveContact(const QString& userIdHex)
{
    if (resolving_.contains(userIdHex))
        return;
    if (userIdHex == account_.userIdHex() || !handleOf(userIdHex).isEmpty() || !sync_.client().isOpen()) {
        const auto waiting = awaitingHandle_.take(userIdHex);
        for (const auto& message : waiting)
            emit messageReceived(message, handleOf(userIdHex));
        return;
    }
    resolving_.insert(userIdHex);
    tenchat::v1::Request req;
    req.mutable_list_devices()->set_user_id(unhex(userIdHex));
    sync_.client().request(req, [this, userIdHex](MessagingExpected<tenchat::v1::Response> r) {
        resolving_.remove(userIdHex);
        if (r && r->status() == tenchat::v1::STATUS_OK)
            (void)saveContact(userIdHex, QString::fromStdString(r->list_devices().handle()));
        const QString handle = handleOf(userIdHex);
        const auto waiting = awaitingHandle_.take(userIdHex);
        for (const auto& message : waiting)
            emit messageReceived(message, handle);
    });
}

void Messenger::replenishPreKeys()
{
    auto upload = account_.preKeyUpload(false, Account::kPreKeyBatch);
    if (!upload)
        return;
    tenchat::v1::Request req;
    *req.mutable_upload_pre_keys() = *upload;
    sync_.client().request(req, [](MessagingExpected<tenchat::v1::Response>) {});
}

} // namespace tenchat::core::messaging
