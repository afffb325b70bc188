// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageHandler.h"

#include "Logger.h"
#include "Metrics.h"
#include "Responses.h"

#include "tenchat/protocol/Protocol.h"

#include <algorithm>
#include <set>
#include <string_view>

namespace tenchat::relay {

namespace v1 = tenchat::v1;

namespace {
constexpr std::uint32_t kDefaultSyncLimit = 500;
constexpr std::uint32_t kDefaultHistoryLimit = 100;
// Responses stop adding entries past this size (has_more is then set).
constexpr std::size_t kResponseByteBudget = 4u << 20;

void addAddress(
    google::protobuf::RepeatedPtrField<v1::DeviceAddress>* list, const std::string& user, std::uint32_t device)
{
    auto* a = list->Add();
    a->set_user_id(user);
    a->set_device_id(device);
}

// Pages are read with limit + 1 rows to learn whether there are more:
// trims `rows` to `limit` and says whether there were more.
template <class Row> bool trimToLimit(std::vector<Row>& rows, std::uint32_t limit)
{
    if (rows.size() <= limit)
        return false;
    rows.resize(limit);
    return true;
}

// Adds rows to a response until `bytes` reaches kResponseByteBudget, so
// that a page of large ciphertexts stays a reasonable message (always at
// least one row). `add(row)` adds one and returns the bytes it took.
// Returns how many rows were consumed.
template <class Row, class Add> std::size_t addWithinBudget(const std::vector<Row>& rows, std::size_t& bytes, Add&& add)
{
    std::size_t consumed = 0;
    for (const auto& row : rows) {
        if (bytes >= kResponseByteBudget)
            break;
        bytes += add(row);
        ++consumed;
    }
    return consumed;
}

// A to-device message as pushed live and as fetched later.
void fillToDevice(v1::ToDeviceMessage& wire, const ToDeviceRecord& m)
{
    wire.set_id(m.id);
    wire.mutable_sender()->set_user_id(m.senderUser);
    wire.mutable_sender()->set_device_id(m.senderDevice);
    wire.set_message_id(m.messageId);
    wire.set_type(m.type);
    wire.set_ciphertext(m.ciphertext);
    wire.set_server_time_ms(m.serverMs);
    wire.set_delivery_class(static_cast<v1::DeliveryClass>(m.deliveryClass));
}

// A page read with limit + 1 rows: trims it and adds what fits the byte
// budget with `add`; whether the client should ask for more.
template <class Row, class Add> bool addPage(std::vector<Row>& rows, std::uint32_t limit, Add&& add)
{
    const bool more = trimToLimit(rows, limit);
    std::size_t bytes = 0;
    return addWithinBudget(rows, bytes, std::forward<Add>(add)) < rows.size() || more;
}

// Adds `entry` as `connection` may see it to a sync or history page; the
// bytes it took (none for an entry that has nothing for this device).
template <class Page> std::size_t addEntry(Page& page, const EntryRecord& entry, const Connection& connection)
{
    auto wire = EntryFanOut::toWire(entry, connection.userId(), connection.deviceId());
    if (!wire)
        return 0;
    const std::size_t size = wire->ByteSizeLong();
    *page.add_entries() = std::move(*wire);
    return size;
}
} // namespace

std::optional<std::vector<MemberRecord>> MessageHandler::requireMember(
    Connection& connection, std::uint64_t requestId, const std::string& conversationId, std::uint64_t* joinedSeq)
{
    auto members = ctx_.storage.members(conversationId);
    if (!members) {
        connection.respond(requestId, storageFailure(members.error()));
        return std::nullopt;
    }
    const auto it = std::find_if(
        members->begin(), members->end(), [&](const MemberRecord& m) { return m.userId == connection.userId(); });
    if (it == members->end()) {
        connection.respond(requestId, errorResponse(v1::STATUS_FORBIDDEN, "not a member of this conversation"));
        return std::nullopt;
    }
    if (joinedSeq)
        *joinedSeq = it->joinedSeq;
    return std::move(*members);
}

void MessageHandler::append(Connection& connection, std::uint64_t requestId, v1::AppendRequest& request)
{
    auto conversation = ctx_.storage.conversation(request.conversation_id());
    if (!conversation) {
        connection.respond(requestId, storageFailure(conversation.error()));
        return;
    }
    auto members = requireMember(connection, requestId, request.conversation_id());
    if (!members)
        return;
    const auto& c = *conversation.value();
    const int role = std::find_if(members->begin(), members->end(), [&](const MemberRecord& m) {
        return m.userId == connection.userId();
    })->role;
    if (c.kind == v1::CONVERSATION_KIND_CHANNEL && role != v1::ROLE_OWNER && role != v1::ROLE_ADMIN) {
        connection.respond(requestId, errorResponse(v1::STATUS_FORBIDDEN, "only admins post in a channel"));
        return;
    }
    CommitQueue::PendingAppend pending;
    auto& entry = pending.entry;
    entry.conversationId = request.conversation_id();
    entry.messageId = request.message_id();
    entry.senderUser = connection.userId();
    entry.senderDevice = connection.deviceId();
    entry.serverMs = nowMs();
    entry.expiresMs = c.ttlSeconds > 0 ? entry.serverMs + std::uint64_t { c.ttlSeconds } * 1000 : 0;
    entry.deliveryClass = request.delivery_class();
    if (request.body_case() == v1::AppendRequest::kSenderKeyCiphertext) {
        if (c.kind == v1::CONVERSATION_KIND_DIRECT) {
            connection.respond(
                requestId, errorResponse(v1::STATUS_BAD_REQUEST, "direct conversations need per-device ciphertexts"));
            return;
        }
        entry.bodyKind = EntryBodyKind::SenderKey;
        entry.body = std::move(*request.mutable_sender_key_ciphertext());
    } else {
        // Must cover exactly the active devices of every member, except the
        // sending device itself. Sorted vectors of views (into `devices` and
        // the request): no allocation per device, no response unless refused.
        using Address = std::pair<std::string_view, std::uint32_t>;
        std::vector<std::vector<DeviceRecord>> devices;
        devices.reserve(members->size());
        std::vector<Address> expected;
        for (const auto& m : *members) {
            auto listed = ctx_.storage.devices(m.userId);
            if (!listed) {
                connection.respond(requestId, storageFailure(listed.error()));
                return;
            }
            devices.push_back(std::move(*listed));
            for (const auto& d : devices.back())
                if (d.active() && !(d.userId == connection.userId() && d.deviceId == connection.deviceId()))
                    expected.emplace_back(d.userId, d.deviceId);
        }
        std::sort(expected.begin(), expected.end());
        expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
        const auto& cts = request.device_ciphertexts().ciphertexts();
        std::vector<Address> given;
        given.reserve(static_cast<std::size_t>(cts.size()));
        for (const auto& ct : cts)
            given.emplace_back(ct.device().user_id(), ct.device().device_id());
        std::sort(given.begin(), given.end());
        if (std::adjacent_find(given.begin(), given.end()) != given.end()) {
            connection.respond(requestId, errorResponse(v1::STATUS_BAD_REQUEST, "a device appears twice"));
            return;
        }
        if (given != expected) {
            auto response = errorResponse(v1::STATUS_DEVICES_MISMATCH, "device lists changed: fix sessions and retry");
            auto* mismatch = response.mutable_devices_mismatch();
            for (const auto& ct : cts) // stale ones in the order sent
                if (!std::binary_search(
                        expected.begin(), expected.end(), Address { ct.device().user_id(), ct.device().device_id() }))
                    addAddress(mismatch->mutable_stale(), ct.device().user_id(), ct.device().device_id());
            for (const auto& [user, device] : expected)
                if (!std::binary_search(given.begin(), given.end(), Address { user, device }))
                    addAddress(mismatch->mutable_missing(), std::string(user), device);
            Metrics::instance().add("appends_mismatched_total");
            connection.respond(requestId, std::move(response));
            return;
        }
        entry.bodyKind = EntryBodyKind::DeviceCiphertexts;
        auto ciphertexts = std::make_shared<v1::DeviceCiphertexts>();
        ciphertexts->Swap(request.mutable_device_ciphertexts());
        entry.body = ciphertexts->SerializeAsString();
        pending.ciphertexts = std::move(ciphertexts);
    }
    pending.connectionId = connection.id();
    pending.requestId = requestId;
    pending.members = std::move(*members);
    commits_.enqueue(std::move(pending));
}

std::map<std::string, std::uint64_t> MessageHandler::cursorsOf(const std::string& userId, std::uint32_t deviceId)
{
    auto stored = ctx_.storage.cursors(userId, deviceId);
    std::map<std::string, std::uint64_t> out = stored ? std::move(*stored) : std::map<std::string, std::uint64_t> {};
    for (auto it = pendingCursors_.lower_bound({ userId, deviceId, std::string() });
         it != pendingCursors_.end() && std::get<0>(it->first) == userId && std::get<1>(it->first) == deviceId; ++it) {
        auto& slot = out[std::get<2>(it->first)];
        slot = std::max(slot, it->second);
    }
    return out;
}

void MessageHandler::sync(Connection& connection, std::uint64_t requestId, const v1::SyncRequest& request)
{
    const std::uint32_t limit = request.limit() == 0 ? kDefaultSyncLimit : request.limit();
    std::map<std::string, std::uint64_t> after;
    for (const auto& c : request.cursors())
        after[c.conversation_id()] = c.after_seq();
    std::map<std::string, std::uint64_t> targets;
    if (request.only_listed()) {
        targets = after;
    } else {
        auto mine = ctx_.storage.conversationsOf(connection.userId());
        if (!mine) {
            connection.respond(requestId, storageFailure(mine.error()));
            return;
        }
        const auto stored = cursorsOf(connection.userId(), connection.deviceId());
        for (const auto& id : *mine) {
            const auto listed = after.find(id);
            const auto cursor = stored.find(id);
            targets[id] = listed != after.end() ? listed->second : (cursor == stored.end() ? 0 : cursor->second);
        }
        for (const auto& [id, seq] : after)
            if (!targets.count(id))
                targets[id] = seq; // listed but not a member: refused below
    }
    auto response = okResponse();
    auto* result = response.mutable_sync();
    std::uint32_t remaining = limit;
    std::size_t bytes = 0;
    const auto now = nowMs();
    for (const auto& [conversationId, afterSeq] : targets) {
        std::uint64_t joined = 0;
        if (!requireMember(connection, requestId, conversationId, &joined))
            return;
        if (remaining == 0) {
            result->set_has_more(true);
            break;
        }
        auto entries = ctx_.storage.entriesAfter(conversationId, afterSeq, joined, remaining, now);
        if (!entries) {
            connection.respond(requestId, storageFailure(entries.error()));
            return;
        }
        if (entries->empty())
            continue;
        const auto consumed = static_cast<std::uint32_t>(
            addWithinBudget(*entries, bytes, [&](const EntryRecord& e) { return addEntry(*result, e, connection); }));
        if (consumed > 0) {
            auto* next = result->add_next_cursors();
            next->set_conversation_id(conversationId);
            next->set_after_seq((*entries)[consumed - 1].seq);
        }
        remaining -= consumed;
        if (remaining == 0 || consumed < entries->size()) {
            result->set_has_more(true);
            break;
        }
    }
    Metrics::instance().add("sync_entries_total", result->entries_size());
    connection.respond(requestId, std::move(response));
}

void MessageHandler::history(Connection& connection, std::uint64_t requestId, const v1::HistoryRequest& request)
{
    std::uint64_t joined = 0;
    if (!requireMember(connection, requestId, request.conversation_id(), &joined))
        return;
    const std::uint32_t limit = request.limit() == 0 ? kDefaultHistoryLimit : request.limit();
    auto entries
        = ctx_.storage.entriesBefore(request.conversation_id(), request.before_seq(), joined, limit + 1, nowMs());
    if (!entries) {
        connection.respond(requestId, storageFailure(entries.error()));
        return;
    }
    auto response = okResponse();
    auto* result = response.mutable_history();
    result->set_has_more(
        addPage(*entries, limit, [&](const EntryRecord& e) { return addEntry(*result, e, connection); }));
    connection.respond(requestId, std::move(response));
}

void MessageHandler::sendToDevice(
    Connection& connection, std::uint64_t requestId, const v1::SendToDeviceRequest& request)
{
    std::vector<ToDeviceRecord> messages;
    auto response = errorResponse(v1::STATUS_DEVICES_MISMATCH, "unknown or revoked recipient devices");
    auto* mismatch = response.mutable_devices_mismatch();
    std::set<std::pair<std::string, std::uint32_t>> seen;
    const auto now = nowMs();
    for (const auto& e : request.envelopes()) {
        if (!seen.insert({ e.recipient().user_id(), e.recipient().device_id() }).second) {
            connection.respond(requestId, errorResponse(v1::STATUS_BAD_REQUEST, "a recipient appears twice"));
            return;
        }
        auto devices = ctx_.storage.devices(e.recipient().user_id());
        if (!devices) {
            connection.respond(requestId, storageFailure(devices.error()));
            return;
        }
        const bool active = std::any_of(devices->begin(), devices->end(),
            [&](const DeviceRecord& d) { return d.deviceId == e.recipient().device_id() && d.active(); });
        if (!active) {
            addAddress(mismatch->mutable_stale(), e.recipient().user_id(), e.recipient().device_id());
            continue;
        }
        ToDeviceRecord m;
        m.recipientUser = e.recipient().user_id();
        m.recipientDevice = e.recipient().device_id();
        m.senderUser = connection.userId();
        m.senderDevice = connection.deviceId();
        m.messageId = request.message_id();
        m.type = e.type();
        m.ciphertext = e.ciphertext();
        m.serverMs = now;
        m.deliveryClass = request.delivery_class();
        messages.push_back(std::move(m));
    }
    if (mismatch->stale_size() > 0) {
        connection.respond(requestId, std::move(response));
        return;
    }
    bool duplicate = false;
    if (auto stored = ctx_.storage.enqueueToDevice(messages, duplicate); !stored) {
        connection.respond(requestId, storageFailure(stored.error()));
        return;
    }
    auto ok = okResponse();
    ok.mutable_send_to_device()->set_duplicate(duplicate);
    connection.respond(requestId, std::move(ok));
    Metrics::instance().add("to_device_sent_total", static_cast<double>(messages.size()));
    for (const auto& m : messages) {
        if (m.id == 0)
            continue;
        for (auto* target : ctx_.hub.connectionsOf(m.recipientUser, m.recipientDevice)) {
            v1::Event event;
            fillToDevice(*event.mutable_to_device(), m);
            target->push(std::move(event),
                m.deliveryClass == v1::DELIVERY_CLASS_RECEIPT ? SendPriority::Receipt : SendPriority::Primary);
        }
    }
}

void MessageHandler::fetchToDevice(
    Connection& connection, std::uint64_t requestId, const v1::FetchToDeviceRequest& request)
{
    const std::uint32_t limit = request.limit() == 0 ? kDefaultSyncLimit : request.limit();
    auto pending = ctx_.storage.pendingToDevice(connection.userId(), connection.deviceId(), limit + 1);
    if (!pending) {
        connection.respond(requestId, storageFailure(pending.error()));
        return;
    }
    auto response = okResponse();
    auto* result = response.mutable_fetch_to_device();
    result->set_has_more(addPage(*pending, limit, [result](const ToDeviceRecord& m) {
        fillToDevice(*result->add_messages(), m);
        return m.ciphertext.size();
    }));
    connection.respond(requestId, std::move(response));
}

void MessageHandler::ack(Connection& connection, std::uint64_t requestId, const v1::AckRequest& request)
{
    for (const auto& c : request.entries()) {
        auto members = ctx_.storage.members(c.conversation_id());
        if (!members) {
            connection.respond(requestId, storageFailure(members.error()));
            return;
        }
        const bool member = std::any_of(
            members->begin(), members->end(), [&](const MemberRecord& m) { return m.userId == connection.userId(); });
        if (!member) {
            connection.respond(requestId, errorResponse(v1::STATUS_FORBIDDEN, "not a member of this conversation"));
            return;
        }
    }
    if (request.to_device_ids_size() > 0) {
        const std::vector<std::uint64_t> ids(request.to_device_ids().begin(), request.to_device_ids().end());
        if (auto deleted = ctx_.storage.deleteToDevice(connection.userId(), connection.deviceId(), ids); !deleted) {
            connection.respond(requestId, storageFailure(deleted.error()));
            return;
        }
    }
    for (const auto& c : request.entries()) {
        auto& slot = pendingCursors_[{ connection.userId(), connection.deviceId(), c.conversation_id() }];
        slot = std::max(slot, c.after_seq());
    }
    Metrics::instance().add("acks_total", request.entries_size() + request.to_device_ids_size());
    auto response = okResponse();
    response.mutable_ack();
    connection.respond(requestId, std::move(response));
}

void MessageHandler::flushCursors()
{
    if (pendingCursors_.empty())
        return;
    std::vector<CursorRecord> records;
    records.reserve(pendingCursors_.size());
    for (const auto& [key, seq] : pendingCursors_)
        records.push_back({ std::get<0>(key), std::get<1>(key), std::get<2>(key), seq });
    if (auto saved = ctx_.storage.saveCursors(records); !saved) {
        Logger::instance().error(
            "cursor_flush_failed", { { QStringLiteral("error"), QString::fromStdString(saved.error().message) } });
        return; // kept; retried on the next flush
    }
    pendingCursors_.clear();
}

void MessageHandler::typing(Connection& connection, std::uint64_t requestId, const v1::TypingRequest& request)
{
    auto members = requireMember(connection, requestId, request.conversation_id());
    if (!members)
        return;
    connection.respond(requestId, okResponse());
    for (const auto& m : *members) {
        for (auto* target : ctx_.hub.connectionsOf(m.userId)) {
            if (target == &connection || !target->hasFeature(tenchat::protocol::kFeatureTyping))
                continue;
            v1::Event event;
            auto* t = event.mutable_typing();
            t->set_conversation_id(request.conversation_id());
            t->mutable_sender()->set_user_id(connection.userId());
            t->mutable_sender()->set_device_id(connection.deviceId());
            t->set_typing(request.typing());
            target->push(std::move(event), SendPriority::Ephemeral);
        }
    }
}

void MessageHandler::presence(Connection& connection, std::uint64_t requestId, const v1::PresenceRequest& request)
{
    auto conversations = ctx_.storage.conversationsOf(connection.userId());
    if (!conversations) {
        connection.respond(requestId, storageFailure(conversations.error()));
        return;
    }
    connection.respond(requestId, okResponse());
    std::set<std::string> users;
    for (const auto& id : *conversations) {
        auto members = ctx_.storage.members(id);
        if (members)
            for (const auto& m : *members)
                users.insert(m.userId);
    }
    for (const auto& userId : users) {
        for (auto* target : ctx_.hub.connectionsOf(userId)) {
            if (target == &connection || !target->hasFeature(tenchat::protocol::kFeaturePresence))
                continue;
            v1::Event event;
            event.mutable_presence()->mutable_sender()->set_user_id(connection.userId());
            event.mutable_presence()->mutable_sender()->set_device_id(connection.deviceId());
            event.mutable_presence()->set_state(request.state());
            target->push(std::move(event), SendPriority::Ephemeral);
        }
    }
}

} // namespace tenchat::relay
