// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/PluginError.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace tenchat::core::plugins {

// Everything the plugin container needs from the rest of the client: the
// messenger (send, edit, react), the profile store (plugin state, settings,
// audit log). Called on the host's thread only. MessengerEnvironment is the
// real one; tests use a fake.
class PluginEnvironment {
public:
    virtual ~PluginEnvironment() = default;

    // Queues a message; returns its id.
    virtual PluginExpected<QString> sendMessage(
        const QString& conversationId, const QString& contentType, const QString& text, const QString& replyTo)
        = 0;
    virtual PluginOk editMessage(const QString& messageId, const QString& text) = 0;
    virtual PluginOk react(const QString& messageId, const QString& emoji, bool remove) = 0;
    // The conversation a message belongs to, if it is known.
    virtual std::optional<QString> conversationOf(const QString& messageId) = 0;

    // The plugin_state rows of one plugin.
    virtual PluginExpected<QHash<QString, QByteArray>> loadState(const QString& pluginId) = 0;
    // Writes (value) or deletes (nullopt) one row.
    virtual PluginOk saveState(const QString& pluginId, const QString& key, const std::optional<QByteArray>& value) = 0;
    virtual PluginOk clearState(const QString& pluginId) = 0;
    // Plugin ids that have a row with this key.
    virtual PluginExpected<QStringList> pluginsWithKey(const QString& key) = 0;

    virtual std::optional<QByteArray> setting(const QString& key) = 0;
    virtual PluginOk setSetting(const QString& key, const QByteArray& value) = 0;

    // Appends to the local append-only audit log. `detail` is JSON without
    // message text or secrets.
    virtual void audit(const QString& event, const QString& detail) = 0;
};

} // namespace tenchat::core::plugins
