// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Request builders and a logged-in test participant for the relay tests.

#include "RelayTestClient.h"

#include "tenchat/protocol/Protocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryFile>

#include <memory>
#include <utility>
#include <vector>

namespace tenchat::testing {

inline std::string randomId(std::size_t size = 16)
{
    std::string out(size, '\0');
    for (auto& c : out)
        c = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return out;
}

inline std::string uniqueHandle(const char* prefix)
{
    return std::string(prefix) + "_" + std::to_string(QRandomGenerator::global()->bounded(1000000));
}

struct Participant {
    std::unique_ptr<RelayTestClient> client;
    TestDevice device;
};

inline Participant registerParticipant(
    const QUrl& url, const std::string& handle, const std::vector<std::string>& features = {})
{
    Participant p;
    p.client = std::make_unique<RelayTestClient>();
    if (!p.client->open(url) || !p.client->hello(features))
        return p;
    auto device = p.client->registerAccount(handle);
    if (!device)
        return p;
    p.device = *device;
    if (p.client->authenticate(p.device) != tenchat::v1::STATUS_OK)
        p.device.userId.clear();
    return p;
}

inline tenchat::v1::Request createConversation(
    tenchat::v1::ConversationKind kind, const std::vector<std::string>& members, std::uint32_t ttl = 0)
{
    tenchat::v1::Request request;
    auto* c = request.mutable_create_conversation();
    c->set_kind(kind);
    c->set_ttl_seconds(ttl);
    for (const auto& m : members)
        c->add_member_user_ids(m);
    return request;
}

// One ciphertext per (device, bytes).
inline tenchat::v1::Request appendPerDevice(const std::string& conversationId, const std::string& messageId,
    const std::vector<std::pair<const TestDevice*, std::string>>& ciphertexts)
{
    tenchat::v1::Request request;
    auto* a = request.mutable_append();
    a->set_conversation_id(conversationId);
    a->set_message_id(messageId);
    for (const auto& [device, bytes] : ciphertexts) {
        auto* c = a->mutable_device_ciphertexts()->add_ciphertexts();
        c->mutable_device()->set_user_id(device->userId);
        c->mutable_device()->set_device_id(device->deviceId);
        c->set_type(2);
        c->set_ciphertext(bytes);
    }
    return request;
}

inline tenchat::v1::Request appendSenderKey(
    const std::string& conversationId, const std::string& messageId, const std::string& ciphertext)
{
    tenchat::v1::Request request;
    request.mutable_append()->set_conversation_id(conversationId);
    request.mutable_append()->set_message_id(messageId);
    request.mutable_append()->set_sender_key_ciphertext(ciphertext);
    return request;
}

inline tenchat::v1::Request syncRequest(
    const std::string& conversationId, std::uint64_t afterSeq, std::uint32_t limit = 0)
{
    tenchat::v1::Request request;
    auto* s = request.mutable_sync();
    s->set_limit(limit);
    if (!conversationId.empty()) {
        auto* c = s->add_cursors();
        c->set_conversation_id(conversationId);
        c->set_after_seq(afterSeq);
        s->set_only_listed(true);
    }
    return request;
}

// Writes a relay config file; the caller keeps the file alive.
inline std::unique_ptr<QTemporaryFile> writeConfig(const QJsonObject& config)
{
    auto file = std::make_unique<QTemporaryFile>();
    if (!file->open())
        return nullptr;
    file->write(QJsonDocument(config).toJson());
    file->flush();
    return file;
}

} // namespace tenchat::testing
