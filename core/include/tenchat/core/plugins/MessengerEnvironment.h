// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/PluginEnvironment.h"

#include <QObject>

namespace tenchat::core::messaging {
class Messenger;
}

namespace tenchat::core::plugins {

class PluginHost;

// The real PluginEnvironment: a Messenger and its profile store (the
// plugin_state and settings tables, the audit log). attach() forwards the
// messenger's incoming messages to a host.
class MessengerEnvironment : public PluginEnvironment {
public:
    explicit MessengerEnvironment(messaging::Messenger& messenger) : messenger_(messenger) { }

    // Delivers every received message to `host` (until either is destroyed).
    void attach(PluginHost& host);

    PluginExpected<QString> sendMessage(const QString& conversationId, const QString& contentType, const QString& text,
        const QString& replyTo) override;
    PluginOk editMessage(const QString& messageId, const QString& text) override;
    PluginOk react(const QString& messageId, const QString& emoji, bool remove) override;
    std::optional<QString> conversationOf(const QString& messageId) override;

    PluginExpected<QHash<QString, QByteArray>> loadState(const QString& pluginId) override;
    PluginOk saveState(const QString& pluginId, const QString& key, const std::optional<QByteArray>& value) override;
    PluginOk clearState(const QString& pluginId) override;
    PluginExpected<QStringList> pluginsWithKey(const QString& key) override;

    std::optional<QByteArray> setting(const QString& key) override;
    PluginOk setSetting(const QString& key, const QByteArray& value) override;
    void audit(const QString& event, const QString& detail) override;

private:
    messaging::Messenger& messenger_;
};

} // namespace tenchat::core::plugins
