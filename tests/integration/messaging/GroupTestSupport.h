// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers of the group integration tests (in-process clients, real relay).

#include "MessagingTestClient.h"

#include <QByteArray>
#include <QTest>

#include <functional>
#include <optional>

namespace tenchat::testing {

constexpr int kGroupTimeoutMs = 30000;

// Creates a group (or channel) owned by `owner`; its id, empty on failure.
inline QString createGroup(MessagingTestClient& owner, const QString& name, const QStringList& handles,
    bool channel = false, quint32 ttlSeconds = 0)
{
    std::optional<core::messaging::MessagingExpected<QString>> result;
    owner.messenger().groups().create(name, handles, channel, ttlSeconds,
        [&](core::messaging::MessagingExpected<QString> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, kGroupTimeoutMs) || !*result)
        return {};
    return **result;
}

// Starts an operation and waits for its result (Timeout when none comes).
inline core::messaging::MessagingOk waitOk(
    const std::function<void(std::function<void(core::messaging::MessagingOk)>)>& start)
{
    std::optional<core::messaging::MessagingOk> result;
    start([&](core::messaging::MessagingOk r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, kGroupTimeoutMs))
        return core::messaging::messagingError(
            core::messaging::MessagingErrorCode::Timeout, QStringLiteral("no answer"));
    return *result;
}

// The conversation's log as the relay gives it to `client` (newest first).
inline std::optional<tenchat::v1::Response> relayHistory(MessagingTestClient& client, const QString& conversationId)
{
    tenchat::v1::Request req;
    req.mutable_history()->set_conversation_id(QByteArray::fromHex(conversationId.toLatin1()).toStdString());
    auto history = client.relayRequest(req, kGroupTimeoutMs);
    if (!history || !*history || (*history)->status() != tenchat::v1::STATUS_OK)
        return std::nullopt;
    return **history;
}

} // namespace tenchat::testing
