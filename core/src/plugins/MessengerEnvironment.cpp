// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/plugins/MessengerEnvironment.h"

#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/core/plugins/PluginHost.h"
#include "tenchat/core/store/ProfileStore.h"

namespace tenchat::core::plugins {

namespace {

Unexpected<PluginError> fromMessaging(const messaging::MessagingError& e)
{
    return pluginError(PluginErrorCode::Environment,
        QStringLiteral("%1: %2").arg(QLatin1String(messaging::toString(e.code)), e.message));
}

Unexpected<PluginError> fromStore(const store::StoreError& e)
{
    return pluginError(PluginErrorCode::Environment, QStringLiteral("store: %1").arg(e.message));
}

} // namespace

void MessengerEnvironment::attach(PluginHost& host)
{
    QObject::connect(&messenger_, &messaging::Messenger::messageReceived, &host,
        [&host](
            const store::Message& message, const QString& fromHandle) { host.deliverMessage(message, fromHandle); });
}

PluginExpected<QString> MessengerEnvironment::sendMessage(
    const QString& conversationId, const QString& contentType, const QString& text, const QString& replyTo)
{
    auto id = contentType == QLatin1String("text/plain") ? messenger_.queueText(conversationId, text, replyTo)
                                                         : messenger_.queueContent(conversationId, contentType, text);
    if (!id)
        return fromMessaging(id.error());
    return *id;
}

PluginOk MessengerEnvironment::editMessage(const QString& messageId, const QString& text)
{
    auto id = messenger_.queueEdit(messageId, text);
    if (!id)
        return fromMessaging(id.error());
    return {};
}

PluginOk MessengerEnvironment::react(const QString& messageId, const QString& emoji, bool remove)
{
    auto id = messenger_.queueReaction(messageId, emoji, remove);
    if (!id)
        return fromMessaging(id.error());
    return {};
}

std::optional<QString> MessengerEnvironment::conversationOf(const QString& messageId)
{
    auto message = messenger_.account().store().messages().get(messageId);
    if (!message || !message->has_value())
        return std::nullopt;
    return (*message)->conversationId;
}

PluginExpected<QHash<QString, QByteArray>> MessengerEnvironment::loadState(const QString& pluginId)
{
    auto stmt
        = messenger_.account().store().database().cached("SELECT key, value FROM plugin_state WHERE plugin_id = ?");
    if (!stmt)
        return fromStore(stmt.error());
    (*stmt)->bind(1, pluginId);
    QHash<QString, QByteArray> out;
    for (;;) {
        auto row = (*stmt)->step();
        if (!row)
            return fromStore(row.error());
        if (!*row)
            break;
        out.insert((*stmt)->text(0), (*stmt)->blob(1));
    }
    return out;
}

PluginOk MessengerEnvironment::saveState(
    const QString& pluginId, const QString& key, const std::optional<QByteArray>& value)
{
    auto& store = messenger_.account().store();
    if (value) {
        auto ok = store.keyValues().setPluginState(pluginId, key, *value);
        if (!ok)
            return fromStore(ok.error());
        return {};
    }
    auto stmt = store.database().cached("DELETE FROM plugin_state WHERE plugin_id = ? AND key = ?");
    if (!stmt)
        return fromStore(stmt.error());
    (*stmt)->bind(1, pluginId).bind(2, key);
    auto done = (*stmt)->exec();
    if (!done)
        return fromStore(done.error());
    return {};
}

PluginOk MessengerEnvironment::clearState(const QString& pluginId)
{
    auto ok = messenger_.account().store().keyValues().clearPluginState(pluginId);
    if (!ok)
        return fromStore(ok.error());
    return {};
}

PluginExpected<QStringList> MessengerEnvironment::pluginsWithKey(const QString& key)
{
    auto stmt = messenger_.account().store().database().cached(
        "SELECT plugin_id FROM plugin_state WHERE key = ? ORDER BY plugin_id");
    if (!stmt)
        return fromStore(stmt.error());
    (*stmt)->bind(1, key);
    QStringList out;
    for (;;) {
        auto row = (*stmt)->step();
        if (!row)
            return fromStore(row.error());
        if (!*row)
            break;
        out << (*stmt)->text(0);
    }
    return out;
}

std::optional<QByteArray> MessengerEnvironment::setting(const QString& key)
{
    auto value = messenger_.account().store().keyValues().setting(key);
    if (!value)
        return std::nullopt;
    return *value;
}

PluginOk MessengerEnvironment::setSetting(const QString& key, const QByteArray& value)
{
    auto ok = messenger_.account().store().keyValues().setSetting(key, value);
    if (!ok)
        return fromStore(ok.error());
    return {};
}

void MessengerEnvironment::audit(const QString& event, const QString& detail)
{
    (void)messenger_.account().store().audit(event, detail);
}

} // namespace tenchat::core::plugins
