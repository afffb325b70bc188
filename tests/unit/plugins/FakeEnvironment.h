// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// An in-memory PluginEnvironment: records what plugins send, keeps plugin
// state, settings and the audit log in maps.

#include "tenchat/core/plugins/PluginEnvironment.h"

#include <QHash>
#include <QList>
#include <QMap>

namespace tenchat::testing {

class FakeEnvironment : public core::plugins::PluginEnvironment {
public:
    struct Sent {
        QString id;
        QString conversationId;
        QString contentType;
        QString text;
    };
    struct AuditRow {
        QString event;
        QString detail;
    };

    QList<Sent> sent;
    QHash<QString, QString> edits; // message id -> latest text
    QList<QPair<QString, QString>> reactions; // message id, emoji
    QHash<QString, QString> messageConversation; // known messages
    QMap<QString, QMap<QString, QByteArray>> state;
    QHash<QString, QByteArray> settings;
    QList<AuditRow> auditLog;
    int nextId = 1;

    int sentTo(const QString& conversationId) const
    {
        int n = 0;
        for (const Sent& s : sent)
            n += s.conversationId == conversationId;
        return n;
    }
    int audited(const QString& event) const
    {
        int n = 0;
        for (const AuditRow& r : auditLog)
            n += r.event == event;
        return n;
    }

    core::plugins::PluginExpected<QString> sendMessage(const QString& conversationId, const QString& contentType,
        const QString& text, const QString& /*replyTo*/) override
    {
        const QString id = QStringLiteral("M%1").arg(nextId++, 6, 10, QLatin1Char('0'));
        sent.append({ id, conversationId, contentType, text });
        messageConversation.insert(id, conversationId);
        return id;
    }
    core::plugins::PluginOk editMessage(const QString& messageId, const QString& text) override
    {
        edits.insert(messageId, text);
        return {};
    }
    core::plugins::PluginOk react(const QString& messageId, const QString& emoji, bool) override
    {
        reactions.append({ messageId, emoji });
        return {};
    }
    std::optional<QString> conversationOf(const QString& messageId) override
    {
        if (!messageConversation.contains(messageId))
            return std::nullopt;
        return messageConversation.value(messageId);
    }
    core::plugins::PluginExpected<QHash<QString, QByteArray>> loadState(const QString& pluginId) override
    {
        QHash<QString, QByteArray> out;
        const auto rows = state.value(pluginId);
        for (auto it = rows.begin(); it != rows.end(); ++it)
            out.insert(it.key(), it.value());
        return out;
    }
    core::plugins::PluginOk saveState(
        const QString& pluginId, const QString& key, const std::optional<QByteArray>& value) override
    {
        if (value)
            state[pluginId].insert(key, *value);
        else
            state[pluginId].remove(key);
        return {};
    }
    core::plugins::PluginOk clearState(const QString& pluginId) override
    {
        state.remove(pluginId);
        return {};
    }
    core::plugins::PluginExpected<QStringList> pluginsWithKey(const QString& key) override
    {
        QStringList out;
        for (auto it = state.begin(); it != state.end(); ++it)
            if (it.value().contains(key))
                out << it.key();
        return out;
    }
    std::optional<QByteArray> setting(const QString& key) override
    {
        if (!settings.contains(key))
            return std::nullopt;
        return settings.value(key);
    }
    core::plugins::PluginOk setSetting(const QString& key, const QByteArray& value) override
    {
        settings.insert(key, value);
        return {};
    }
    void audit(const QString& event, const QString& detail) override { auditLog.append({ event, detail }); }
};

} // namespace tenchat::testing
