// SPDX-License-Identifier: GPL-3.0-or-later
// Messenger: the sending path (outbox, pipelined appends, sessions on demand).
//
// A window of appends is kept in flight on the one relay connection. The
// relay handles a connection's requests in arrival order and assigns
// sequence numbers in that order, so sending a conversation's items in
// outbox order keeps the relay's order equal to the order the user wrote.
// Rules that keep it so:
//  - items of a conversation go out in outbox-id order; an item that waits
//    (retry time, sessions being set up, a device-list repair) holds back
//    the later items of ITS conversation only;
//  - an item is (re)sent only when no later item of its conversation is in
//    flight;
//  - a dropped connection fails every pending request; those items are sent
//    again, in order and with the same message id, once live again (the relay
//    answers a retry of a stored append with its original seq);
//  - coalescing (as Nagle's algorithm): a conversation with no append in
//    flight sends at once; while it has some, its new items wait for their
//    answers (or until kCoalesceBatch are waiting) and then go out together.
// Encryption of a batch runs in one store transaction (ratchet states), which
// commits before any ciphertext leaves; answers are committed in batches,
// in the same transaction as the batch they make room for.
#include "tenchat/core/messaging/Messenger.h"

#include "tenchat/core/messaging/GroupEngine.h"

#include "MessagingUtil.h"
#include "tenchat/core/store/Transaction.h"
#include "tenchat/crypto/IdentityTrust.h"
#include "tenchat/crypto/MessagePadding.h"
#include "tenchat/crypto/SessionCipher.h"

#include <memory>

namespace tenchat::core::messaging {

using namespace util;
using store::DeliveryState;

namespace {

// The trust of another device of `userHex` whose accepted identity key is
// `key`: all devices of an account share its identity key (linking moves
// it), so a linked device of a known contact is the same identity.
std::optional<crypto::TrustState> siblingTrust(
    crypto::ProtocolStore& protocol, const QString& userHex, const crypto::Bytes& key)
{
    for (std::int32_t device = 1; device <= 64; ++device) {
        auto record = protocol.loadIdentity({ userHex.toStdString(), device });
        if (record && record->has_value() && (*record)->publicKey == key
            && (*record)->trust != crypto::TrustState::Changed)
            return (*record)->trust;
    }
    return std::nullopt;
}

constexpr int kMaxMismatchRetries = 3;
// Outbox items looked at per flush beyond the window (items of stalled
// conversations are skipped, so others can still go out).
constexpr int kLookahead = 256;

QString establishedKey(const QString& userHex)
{
    return QStringLiteral("identity.established.") + userHex;
}

} // namespace

struct Messenger::Targets {
    std::vector<crypto::ProtocolAddress> devices;
};

// What one flush sealed (inside the caller's transaction) and sends once
// that transaction has committed.
struct Messenger::Sealed {
    std::vector<std::pair<store::OutboxItem, tenchat::v1::Request>> requests;
    std::vector<store::OutboxItem> groupItems;
    bool again = false; // skipped conversations may have left room for others
    bool drained = false; // nothing queued, in flight or being prepared
};

void Messenger::scheduleFlush()
{
    if (!flushTimer_.isActive())
        flushTimer_.start(0);
}

void Messenger::flushOutbox()
{
    if (!sync_.isLive() || !sync_.client().isOpen() || int(inFlight_.size()) >= sendWindow_)
        return; // answers free the window and flush again
    Sealed next;
    {
        store::Transaction tx(account_.store().database());
        if (!tx.begun()) {
            flushTimer_.start(1000);
            return;
        }
        if (!sealNext(next) || !tx.commit()) {
            flushTimer_.start(1000); // nothing went out; the ratchet steps are undone with it
            return;
        }
    }
    dispatch(next);
}

bool Messenger::sealNext(Sealed& next)
{
    if (!sync_.isLive() || !sync_.client().isOpen())
        return true;
    const int room = sendWindow_ - int(inFlight_.size());
    if (room <= 0)
        return true; // answers free the window and flush again
    // Items held for a trust decision (kHeldUntil) are not due; their
    // conversation stays blocked by the contact's trust state.
    auto head = account_.store().outbox().due(kHeldUntil - 1, int(inFlight_.size()) + room + kLookahead);
    if (!head)
        return false;
    const qint64 now = nowMs();
    QHash<QString, qint64> lastInFlight; // conversation -> highest outbox id in flight
    for (const auto& [id, item] : inFlight_)
        lastInFlight[item.conversationId] = std::max(lastInFlight.value(item.conversationId), id);
    QSet<QString> stalled = preparing_;
    QHash<QString, bool> groupOf; // looked up once per conversation and flush
    qint64 wake = -1;
    std::vector<store::OutboxItem> batch;
    std::vector<store::OutboxItem> groupItems;
    QHash<QString, int> coalescing; // busy direct conversation -> its items in `batch`
    int held = 0; // items in `batch` of busy conversations that have not filled a batch (yet)
    for (const auto& item : *head) {
        if (inFlight_.count(item.id) != 0 || stalled.contains(item.conversationId))
            continue;
        if (item.nextAttemptAt > now) {
            // Waiting for its retry time: holds the rest of its conversation.
            stalled.insert(item.conversationId);
            wake = wake < 0 ? item.nextAttemptAt : std::min(wake, item.nextAttemptAt);
            continue;
        }
        if (lastInFlight.value(item.conversationId, -1) > item.id) {
            // A later item of the conversation is still in flight (an earlier
            // round); wait for its answer before sending this one again.
            stalled.insert(item.conversationId);
            continue;
        }
        auto group = groupOf.find(item.conversationId);
        if (group == groupOf.end())
            group = groupOf.insert(item.conversationId, groups_->isGroup(item.conversationId));
        if (*group) {
            // Groups and channels: the GroupEngine sends one item of a
            // conversation at a time (sender-key distribution first).
            stalled.insert(item.conversationId);
            if (lastInFlight.contains(item.conversationId))
                continue;
            groupItems.push_back(item);
        } else {
            if (lastInFlight.contains(item.conversationId)) {
                const int waiting = ++coalescing[item.conversationId];
                held += waiting < kCoalesceBatch ? 1 : waiting == kCoalesceBatch ? 1 - kCoalesceBatch : 0;
            }
            batch.push_back(item);
        }
        // Items that wait for their conversation's answers take no room.
        if (int(batch.size() + groupItems.size()) - held >= room)
            break;
    }
    if (wake >= 0)
        flushTimer_.start(int(std::clamp<qint64>(wake - now, 0, 60000)));
    // Coalescing (as Nagle's algorithm): a conversation with appends in
    // flight sends its new items only once they fill a batch; otherwise they
    // wait for the answers (commitResults() flushes again), and go out
    // together, sealed in one transaction. A message of an idle conversation
    // (a person typing) goes out at once.
    for (auto it = coalescing.cbegin(); it != coalescing.cend(); ++it) {
        if (it.value() >= kCoalesceBatch)
            continue;
        const QString& conversation = it.key();
        std::erase_if(batch, [&](const store::OutboxItem& item) { return item.conversationId == conversation; });
    }
    // A batch filled on the last item may pass the room: the outbox tail
    // waits (what stays is a prefix of every conversation's items).
    if (int(batch.size() + groupItems.size()) > room)
        batch.resize(std::size_t(std::max(0, room - int(groupItems.size()))));
    next.groupItems = std::move(groupItems);
    if (!batch.empty())
        return seal(batch, next);
    next.drained = next.groupItems.empty() && head->isEmpty() && inFlight_.empty() && preparing_.isEmpty();
    return true;
}

void Messenger::dispatch(Sealed& next)
{
    for (const auto& item : next.groupItems) {
        inFlight_.emplace(item.id, item);
        groups_->sendItem(item, 0);
    }
    for (const auto& [item, req] : next.requests)
        inFlight_.emplace(item.id, item);
    for (auto& [item, req] : next.requests)
        sync_.client().request(req,
            [this, id = item.id](MessagingExpected<tenchat::v1::Response> r) { onAppendResponse(id, std::move(r)); });
    if (next.again)
        scheduleFlush();
    if (next.drained)
        emit outboxDrained();
}

void Messenger::groupItemDone(const store::OutboxItem& item)
{
    inFlight_.erase(item.id);
    scheduleFlush();
}

void Messenger::holdConversation(const QString& conversationId, const QString& reason)
{
    auto all = account_.store().outbox().due(kHeldUntil, 100000);
    if (!all)
        return;
    store::Transaction tx(account_.store().database());
    for (const auto& item : *all)
        if (item.conversationId == conversationId && item.nextAttemptAt < kHeldUntil)
            (void)account_.store().outbox().reschedule(item.id, kHeldUntil, reason);
    (void)tx.commit();
}

std::optional<Messenger::Targets> Messenger::sendTargets(const store::OutboxItem& item)
{
    auto memberIds = members(item.conversationId);
    if (!memberIds) {
        (void)account_.store().outbox().reschedule(item.id, nowMs() + 2000, memberIds.error().message);
        return std::nullopt;
    }
    auto& protocol = account_.store().protocolStore();
    QStringList others;
    QStringList withoutSessions;
    for (const auto& m : *memberIds) {
        if (m == account_.userIdHex())
            continue;
        auto contact = account_.store().keyValues().contact(m);
        if (contact && contact->has_value() && (*contact)->trust == store::ContactTrust::Changed) {
            holdConversation(item.conversationId, QStringLiteral("waiting for trust"));
            return std::nullopt;
        }
        auto devices = protocol.subDeviceSessions(m.toStdString());
        if (devices && devices->empty())
            withoutSessions << m;
        others << m;
    }
    if (!withoutSessions.isEmpty()) {
        prepareSessions(item, withoutSessions);
        return std::nullopt;
    }
    // One ciphertext per device of every member and per other device of ours.
    Targets targets;
    QStringList users = others;
    users << account_.userIdHex();
    for (const auto& userHex : users) {
        auto devices = protocol.subDeviceSessions(userHex.toStdString());
        if (!devices)
            continue;
        for (auto deviceId : *devices) {
            if (userHex == account_.userIdHex() && std::uint32_t(deviceId) == account_.deviceId())
                continue;
            targets.devices.push_back({ userHex.toStdString(), deviceId });
        }
    }
    return targets;
}

void Messenger::prepareSessions(const store::OutboxItem& item, const QStringList& userIds)
{
    preparing_.insert(item.conversationId);
    ensureSessions(userIds, [this, item](MessagingOk ok) {
        preparing_.remove(item.conversationId);
        if (!ok) {
            if (ok.error().code == MessagingErrorCode::Untrusted)
                holdConversation(item.conversationId, ok.error().message);
            else
                (void)account_.store().outbox().reschedule(item.id, nowMs() + 2000, ok.error().message);
        }
        scheduleFlush();
    });
}

bool Messenger::seal(const std::vector<store::OutboxItem>& items, Sealed& next)
{
    // The ratchet steps of the whole batch are written in the caller's
    // transaction, which commits before anything is sent: a ciphertext on
    // the wire whose ratchet state was not stored would make the next one
    // reuse its key.
    auto& protocol = account_.store().protocolStore();
    next.requests.reserve(items.size());
    {
        QHash<QString, std::optional<Targets>> targetsOf;
        QSet<QString> skipped; // conversations that cannot go on in this batch
        for (const auto& item : items) {
            if (skipped.contains(item.conversationId))
                continue;
            auto t = targetsOf.find(item.conversationId);
            if (t == targetsOf.end())
                t = targetsOf.insert(item.conversationId, sendTargets(item));
            if (!t->has_value()) {
                skipped.insert(item.conversationId);
                continue;
            }
            tenchat::v1::Request req;
            auto* append = req.mutable_append();
            append->set_conversation_id(unhex(item.conversationId));
            append->set_message_id(wireMessageId(item.messageId));
            if (item.kind == store::OutboxKind::Receipt)
                append->set_delivery_class(tenchat::v1::DELIVERY_CLASS_RECEIPT);
            auto* cts = append->mutable_device_ciphertexts();
            const crypto::Bytes padded = crypto::padMessage(crypto::asBytes(item.payload.toStdString()));
            bool untrusted = false;
            for (const auto& address : (*t)->devices) {
                auto cipher = crypto::SessionCipher::create(protocol, address);
                if (!cipher)
                    continue;
                auto message = cipher->encrypt(padded);
                if (!message) {
                    untrusted = message.error().code == crypto::CryptoErrorCode::UntrustedIdentity;
                    if (untrusted)
                        break;
                    continue;
                }
                auto* ct = cts->add_ciphertexts();
                ct->mutable_device()->set_user_id(unhex(QString::fromStdString(address.name)));
                ct->mutable_device()->set_device_id(std::uint32_t(address.deviceId));
                ct->set_type(std::uint32_t(message->type));
                ct->set_ciphertext(asString(message->body));
            }
            if (untrusted) {
                holdConversation(item.conversationId, QStringLiteral("identity changed"));
                skipped.insert(item.conversationId);
                continue;
            }
            next.requests.emplace_back(item, std::move(req));
        }
    }
    next.again = next.requests.size() < items.size();
    return true;
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
    if (!trust->has_value() && knownContact) {
        if (auto sibling = siblingTrust(protocol, userIdHex, identityKey)) {
            if (auto ok = crypto::acceptIdentity(protocol, address, identityKey, *sibling); !ok)
                return fromCrypto(ok.error());
            knownContact = false;
        }
    }
    // A changed key, or a new device of a contact we already talk to (the
    // relay could add one to read along): the user decides first.
    if ((trust->has_value() && **trust == crypto::TrustState::Changed) || (!trust->has_value() && knownContact)) {
        if (auto ok = crypto::flagIdentityChanged(protocol, address, identityKey); !ok)
            return fromCrypto(ok.error());
        auto& kv = account_.store().keyValues();
        auto pending = kv.setting(pendingIdentityKey(userIdHex));
        QByteArray list = pending && pending->has_value() ? **pending : QByteArray();
        const QByteArray dev = QByteArray::number(bundle.device().device_id());
        if (!list.split(',').contains(dev))
            list = list.isEmpty() ? dev : list + ',' + dev;
        (void)kv.setSetting(pendingIdentityKey(userIdHex), list);
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

void Messenger::onAppendResponse(qint64 outboxId, MessagingExpected<tenchat::v1::Response> r)
{
    auto it = inFlight_.find(outboxId);
    if (it == inFlight_.end())
        return;
    const store::OutboxItem item = it->second;
    auto& outbox = account_.store().outbox();
    if (!r) {
        inFlight_.erase(it);
        // A dropped connection: the item goes again, in order, once live
        // again (nothing to store). A timeout on a live connection waits a
        // little, holding the later items of its conversation.
        if (r.error().code != MessagingErrorCode::Network)
            (void)outbox.reschedule(item.id, nowMs() + 500, r.error().message);
        scheduleFlush();
        return;
    }
    const auto status = r->status();
    if (status == tenchat::v1::STATUS_OK) {
        // Stays in the window until the result is committed.
        results_.push_back({ item.id, qint64(r->append().seq()) });
        if (!resultTimer_.isActive())
            resultTimer_.start(0);
        return;
    }
    if (status == tenchat::v1::STATUS_DEVICES_MISMATCH && mismatchRetries_.value(item.id) < kMaxMismatchRetries) {
        ++mismatchRetries_[item.id];
        inFlight_.erase(it);
        repairDevices(item, r->devices_mismatch());
        return;
    }
    if (status == tenchat::v1::STATUS_RATE_LIMITED || status == tenchat::v1::STATUS_INTERNAL
        || status == tenchat::v1::STATUS_UNAVAILABLE || status == tenchat::v1::STATUS_DEVICES_MISMATCH) {
        inFlight_.erase(it);
        mismatchRetries_.remove(item.id);
        const qint64 wait = std::max<qint64>(r->retry_after_ms(), 1000);
        (void)outbox.reschedule(item.id, nowMs() + wait, relayReason(*r));
        scheduleFlush();
        return;
    }
    // Refused for good (not a member, a reader in a channel, too large).
    results_.push_back({ item.id, std::nullopt });
    if (!resultTimer_.isActive())
        resultTimer_.start(0);
}

void Messenger::repairDevices(const store::OutboxItem& item, const tenchat::v1::DevicesMismatch& mismatch)
{
    auto& protocol = account_.store().protocolStore();
    for (const auto& stale : mismatch.stale())
        (void)protocol.deleteSession(
            crypto::ProtocolAddress { hex(stale.user_id()).toStdString(), std::int32_t(stale.device_id()) });
    // The later items of the window got the same answer: one repair serves them.
    if (preparing_.contains(item.conversationId))
        return;
    preparing_.insert(item.conversationId);
    auto missing = std::make_shared<std::vector<tenchat::v1::DeviceAddress>>(
        mismatch.missing().begin(), mismatch.missing().end());
    auto step = std::make_shared<std::function<void(MessagingOk)>>();
    *step = [this, item, missing, step](MessagingOk ok) {
        if (!ok || missing->empty()) {
            preparing_.remove(item.conversationId);
            if (!ok && ok.error().code == MessagingErrorCode::Untrusted)
                holdConversation(item.conversationId, ok.error().message);
            else if (!ok)
                (void)account_.store().outbox().reschedule(item.id, nowMs() + 2000, ok.error().message);
            scheduleFlush();
            *step = nullptr; // break the cycle
            return;
        }
        auto next = missing->back();
        missing->pop_back();
        fetchBundles(hex(next.user_id()), next.device_id(), *step);
    };
    auto first = *step;
    first({});
}

void Messenger::commitResults()
{
    auto& s = account_.store();
    const auto results = std::move(results_);
    results_.clear();
    std::vector<std::pair<QString, DeliveryState>> changed;
    bool committed = false;
    Sealed next;
    {
        // The results and the next batch (sealed once they left the window)
        // are one commit.
        store::Transaction tx(s.database());
        bool ok = bool(tx.begun());
        for (const auto& result : results) {
            if (!ok)
                break;
            const auto& item = inFlight_.at(result.outboxId);
            DeliveryState state = result.seq ? DeliveryState::Sent : DeliveryState::Failed;
            // A receipt may have overtaken the append's answer: never step back.
            if (auto current = s.messages().get(item.messageId); state == DeliveryState::Sent && current
                && current->has_value()
                && ((*current)->delivery == DeliveryState::Delivered || (*current)->delivery == DeliveryState::Read))
                state = (*current)->delivery;
            // Edits, deletes and reactions have no message row of their own.
            auto marked = s.messages().markSent(item.messageId, result.seq, state);
            if (!marked || !s.outbox().remove(item.id)) {
                ok = false;
                break;
            }
            if (*marked)
                changed.emplace_back(item.messageId, state);
        }
        for (const auto& result : results) {
            inFlight_.erase(result.outboxId);
            mismatchRetries_.remove(result.outboxId);
        }
        committed = ok && sealNext(next) && tx.commit();
    }
    if (!committed) {
        // Still in the outbox: sent again (same id; the relay answers with
        // the stored seq) after a pause. Nothing sealed went out.
        flushTimer_.start(1000);
        return;
    }
    for (const auto& [id, state] : changed)
        emit deliveryChanged(id, state);
    dispatch(next);
}

} // namespace tenchat::core::messaging
