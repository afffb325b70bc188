// SPDX-License-Identifier: GPL-3.0-or-later
// Messenger: own devices and linking, receipts, typing and presence, key
// rotation (the multi-device and key-maintenance side of the engine).
#include "tenchat/core/messaging/Messenger.h"

#include "MessagingUtil.h"
#include "tenchat/core/messaging/LinkApproval.h"
#include "tenchat/core/messaging/PreferenceKeys.h"
#include "tenchat/core/messaging/SignedPreKeyRotation.h"
#include "tenchat/core/store/Transaction.h"

namespace tenchat::core::messaging {

using namespace util;
using store::DeliveryState;

namespace {

constexpr int kMaxReceiptTargets = 500;

QString preferenceKey(Messenger::Preference preference)
{
    switch (preference) {
    case Messenger::Preference::ReadReceipts: return QString::fromLatin1(PreferenceKeys::kReadReceipts);
    case Messenger::Preference::Typing: return QString::fromLatin1(PreferenceKeys::kTyping);
    case Messenger::Preference::Presence: return QString::fromLatin1(PreferenceKeys::kPresence);
    }
    return {};
}

} // namespace

// --- preferences --------------------------------------------------------------

bool Messenger::preference(Preference preference)
{
    auto value = account_.store().keyValues().setting(preferenceKey(preference));
    return !value || !value->has_value() || **value != "0";
}

MessagingOk Messenger::setPreference(Preference preference, bool enabled)
{
    if (auto ok = account_.store().keyValues().setSetting(preferenceKey(preference), enabled ? "1" : "0"); !ok)
        return fromStore(ok.error());
    if (preference == Preference::Presence && sync_.isLive()) {
        // Turning presence off says "offline" once, then nothing more.
        tenchat::v1::Request req;
        req.mutable_presence()->set_state(
            enabled ? tenchat::v1::PRESENCE_STATE_ONLINE : tenchat::v1::PRESENCE_STATE_OFFLINE);
        sync_.client().request(req, [](MessagingExpected<tenchat::v1::Response>) {});
    }
    return {};
}

// --- own devices --------------------------------------------------------------

void Messenger::listDevices(std::function<void(MessagingExpected<QList<OwnDevice>>)> done)
{
    if (!sync_.isLive())
        return done(messagingError(MessagingErrorCode::Network, QStringLiteral("not connected to the relay")));
    tenchat::v1::Request req;
    req.mutable_list_devices()->set_include_revoked(true);
    sync_.client().request(req, [this, done](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return done(Unexpected(r.error()));
        if (r->status() != tenchat::v1::STATUS_OK)
            return done(messagingError(MessagingErrorCode::Relay, relayReason(*r), r->status()));
        QList<OwnDevice> devices;
        for (const auto& d : r->list_devices().devices()) {
            OwnDevice device;
            device.id = d.device_id();
            device.name = QString::fromStdString(d.name());
            device.createdAt = qint64(d.created_ms());
            device.revoked = d.revoked();
            device.revokedAt = qint64(d.revoked_ms());
            device.current = d.device_id() == account_.deviceId();
            // The relay keeps no last-seen time (metadata it should not
            // have); a device is known to be active when it is this one.
            device.lastSeenAt = device.current ? nowMs() : 0;
            devices << device;
        }
        done(devices);
    });
}

void Messenger::revokeDevice(quint32 deviceId, std::function<void(MessagingOk)> done)
{
    if (!sync_.isLive())
        return done(messagingError(MessagingErrorCode::Network, QStringLiteral("not connected to the relay")));
    tenchat::v1::Request req;
    req.mutable_revoke_device()->set_device_id(deviceId);
    sync_.client().request(req, [this, deviceId, done](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return done(Unexpected(r.error()));
        if (r->status() == tenchat::v1::STATUS_NOT_FOUND)
            return done(messagingError(MessagingErrorCode::NotFound, QStringLiteral("no device %1").arg(deviceId)));
        if (r->status() != tenchat::v1::STATUS_OK)
            return done(messagingError(MessagingErrorCode::Relay, relayReason(*r), r->status()));
        (void)account_.store().audit(QStringLiteral("device-revoked"), QString::number(deviceId));
        done({});
    });
}

void Messenger::onDeviceRevoked(quint32 deviceId, bool thisDevice)
{
    if (thisDevice)
        return;
    // Never encrypt for it again.
    (void)account_.store().protocolStore().deleteSession(
        crypto::ProtocolAddress { account_.userIdHex().toStdString(), std::int32_t(deviceId) });
}

void Messenger::approveLink(const QString& code, std::function<void(MessagingExpected<quint32>)> done)
{
    if (!sync_.isLive())
        return done(messagingError(MessagingErrorCode::Network, QStringLiteral("not connected to the relay")));
    LinkApproval::approve(account_, sync_.client(), code, [this, done](MessagingExpected<std::uint32_t> r) {
        if (!r)
            return done(Unexpected(r.error()));
        (void)account_.store().audit(QStringLiteral("device-linked"), QString::number(*r));
        done(quint32(*r));
    });
}

// --- receipts -------------------------------------------------------------------

void Messenger::applyReceipt(const QString& conversationId, const QString& senderHex, const MessageBody& body)
{
    if (senderHex == account_.userIdHex())
        return; // a sibling's receipt for a peer's message: nothing of ours
    const DeliveryState state = body.receipt == QLatin1String("read") ? DeliveryState::Read
        : body.receipt == QLatin1String("delivered")                  ? DeliveryState::Delivered
                                                                      : DeliveryState::Failed;
    if (state == DeliveryState::Failed)
        return;
    auto& messages = account_.store().messages();
    for (const auto& id : body.targets) {
        auto m = messages.get(id);
        if (!m || !m->has_value())
            continue;
        const auto& message = **m;
        // Only our own messages in that conversation, and only forwards.
        if (!message.outgoing || message.conversationId != conversationId || message.delivery == DeliveryState::Failed
            || int(message.delivery) >= int(state))
            continue;
        if (!messages.setDeliveryState(id, state))
            continue;
        announce([this, id, state] { emit deliveryChanged(id, state); });
    }
}

MessagingOk Messenger::stageDeliveryReceipts()
{
    const auto pending = std::exchange(pendingDelivered_, {});
    for (auto it = pending.begin(); it != pending.end(); ++it) {
        if (!mayQueue(it.key()))
            continue;
        for (qsizetype i = 0; i < it.value().size(); i += kMaxReceiptTargets) {
            MessageBody body;
            body.op = MessageBody::Op::Receipt;
            body.receipt = QStringLiteral("delivered");
            body.targets = it.value().mid(i, kMaxReceiptTargets);
            if (auto id = stageOp(it.key(), body, false); !id)
                return Unexpected(id.error());
        }
    }
    return {};
}

void Messenger::sendDeliveryReceipts()
{
    const auto pending = std::exchange(pendingDelivered_, {});
    for (auto it = pending.begin(); it != pending.end(); ++it) {
        for (qsizetype i = 0; i < it.value().size(); i += kMaxReceiptTargets) {
            MessageBody body;
            body.op = MessageBody::Op::Receipt;
            body.receipt = QStringLiteral("delivered");
            body.targets = it.value().mid(i, kMaxReceiptTargets);
            (void)queueOp(it.key(), std::move(body), false);
        }
    }
}

MessagingExpected<int> Messenger::markRead(const QString& conversationId)
{
    auto& s = account_.store();
    QStringList unread;
    {
        auto stmt = s.database().prepare(
            "SELECT id FROM messages WHERE conversation_id = ? AND outgoing = 0 AND is_read = 0 ORDER BY rowid");
        if (!stmt)
            return fromStore(stmt.error());
        stmt->bind(1, conversationId);
        for (;;) {
            auto row = stmt->step();
            if (!row)
                return fromStore(row.error());
            if (!*row)
                break;
            unread << stmt->text(0);
        }
    }
    store::Transaction tx(s.database());
    if (!tx.begun())
        return fromStore(tx.begun().error());
    auto marked = s.conversations().markRead(conversationId);
    if (!marked)
        return fromStore(marked.error());
    // Receipts are per-device ciphertexts: direct conversations only (in a
    // group every member would answer every message).
    auto conversation = s.conversations().get(conversationId);
    if (!conversation)
        return fromStore(conversation.error());
    const bool direct = conversation->has_value() && (*conversation)->type == store::ConversationType::Direct;
    if (direct && !unread.isEmpty() && preference(Preference::ReadReceipts)) {
        for (qsizetype i = 0; i < unread.size(); i += kMaxReceiptTargets) {
            MessageBody body;
            body.op = MessageBody::Op::Receipt;
            body.receipt = QStringLiteral("read");
            body.targets = unread.mid(i, kMaxReceiptTargets);
            if (auto queued = queueOp(conversationId, std::move(body), false); !queued)
                return Unexpected(queued.error());
        }
    }
    if (auto ok = tx.commit(); !ok)
        return fromStore(ok.error());
    return int(unread.size());
}

// --- typing and presence ----------------------------------------------------------

void Messenger::setTyping(const QString& conversationId, bool typing)
{
    if (!preference(Preference::Typing) || !sync_.isLive())
        return;
    tenchat::v1::Request req;
    req.mutable_typing()->set_conversation_id(unhex(conversationId));
    req.mutable_typing()->set_typing(typing);
    sync_.client().request(req, [](MessagingExpected<tenchat::v1::Response>) {});
}

void Messenger::setPresence(Presence presence)
{
    if (!preference(Preference::Presence) || !sync_.isLive())
        return;
    tenchat::v1::Request req;
    req.mutable_presence()->set_state(presence == Presence::Online ? tenchat::v1::PRESENCE_STATE_ONLINE
            : presence == Presence::Away                           ? tenchat::v1::PRESENCE_STATE_AWAY
                                                                   : tenchat::v1::PRESENCE_STATE_OFFLINE);
    sync_.client().request(req, [](MessagingExpected<tenchat::v1::Response>) {});
}

void Messenger::onEphemeral(const tenchat::v1::Event& event)
{
    if (event.has_typing()) {
        const auto& t = event.typing();
        const QString sender = hex(t.sender().user_id());
        // Reciprocal: who does not share typing does not see it either.
        if (sender == account_.userIdHex() || !preference(Preference::Typing))
            return;
        emit typingChanged(hex(t.conversation_id()), handleOf(sender), t.typing());
    } else if (event.has_presence()) {
        const auto& p = event.presence();
        const QString sender = hex(p.sender().user_id());
        if (sender == account_.userIdHex() || !preference(Preference::Presence))
            return;
        const Presence presence = p.state() == tenchat::v1::PRESENCE_STATE_ONLINE ? Presence::Online
            : p.state() == tenchat::v1::PRESENCE_STATE_AWAY                       ? Presence::Away
                                                                                  : Presence::Offline;
        emit presenceChanged(handleOf(sender), presence);
    }
}

// --- connection ---------------------------------------------------------------------

void Messenger::onLive()
{
    setPresence(Presence::Online);
    checkKeyRotation();
    scheduleFlush();
}

void Messenger::checkKeyRotation()
{
    auto upload = rotation_->check();
    if (!upload || !upload->has_value() || !sync_.isLive())
        return;
    tenchat::v1::Request req;
    *req.mutable_upload_pre_keys() = **upload;
    sync_.client().request(req, [this](MessagingExpected<tenchat::v1::Response> r) {
        if (r && r->status() == tenchat::v1::STATUS_OK)
            (void)rotation_->markPublished();
    });
}

} // namespace tenchat::core::messaging
