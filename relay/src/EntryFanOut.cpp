// SPDX-License-Identifier: GPL-3.0-or-later
#include "EntryFanOut.h"

#include "Connection.h"
#include "Metrics.h"

namespace tenchat::relay {

namespace v1 = tenchat::v1;

std::optional<v1::Entry> EntryFanOut::toWire(
    const EntryRecord& entry, const std::string& userId, std::uint32_t deviceId, const v1::DeviceCiphertexts* parsed)
{
    v1::Entry out;
    out.set_conversation_id(entry.conversationId);
    out.set_seq(entry.seq);
    out.set_message_id(entry.messageId);
    out.mutable_sender()->set_user_id(entry.senderUser);
    out.mutable_sender()->set_device_id(entry.senderDevice);
    out.set_server_time_ms(entry.serverMs);
    out.set_expires_ms(entry.expiresMs);
    out.set_delivery_class(static_cast<v1::DeliveryClass>(entry.deliveryClass));
    switch (entry.bodyKind) {
    case EntryBodyKind::SenderKey: out.set_sender_key_ciphertext(entry.body); return out;
    case EntryBodyKind::Membership:
        if (!out.mutable_membership()->ParseFromString(entry.body))
            return std::nullopt;
        return out;
    case EntryBodyKind::DeviceCiphertexts: {
        v1::DeviceCiphertexts local;
        if (parsed == nullptr) {
            if (!local.ParseFromString(entry.body))
                return std::nullopt;
            parsed = &local;
        }
        for (const auto& c : parsed->ciphertexts()) {
            if (c.device().device_id() == deviceId && c.device().user_id() == userId) {
                *out.mutable_device_ciphertext() = c;
                return out;
            }
        }
        return std::nullopt;
    }
    }
    return std::nullopt;
}

void EntryFanOut::deliver(const EntryRecord& entry, const std::vector<MemberRecord>& members,
    const v1::DeviceCiphertexts* parsed, const std::vector<std::string>& alsoNotify)
{
    auto pushTo = [&](const std::string& userId) {
        for (auto* connection : ctx_.hub.connectionsOf(userId)) {
            if (userId == entry.senderUser && connection->deviceId() == entry.senderDevice
                && entry.bodyKind != EntryBodyKind::Membership)
                continue;
            auto wire = toWire(entry, userId, connection->deviceId(), parsed);
            if (!wire)
                continue;
            v1::Event event;
            *event.mutable_entry() = std::move(*wire);
            const auto priority
                = entry.deliveryClass == v1::DELIVERY_CLASS_RECEIPT ? SendPriority::Receipt : SendPriority::Primary;
            if (connection->push(std::move(event), priority))
                Metrics::instance().add("entries_pushed_total");
        }
    };
    for (const auto& member : members)
        if (entry.seq >= member.joinedSeq)
            pushTo(member.userId);
    for (const auto& userId : alsoNotify)
        pushTo(userId);
}

} // namespace tenchat::relay
