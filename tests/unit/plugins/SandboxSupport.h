// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for the sandbox tests: manifests from a few parameters, starting a
// plugin and waiting for its log.

#include "tenchat/core/plugins/Manifest.h"
#include "tenchat/core/plugins/PluginHost.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

namespace tenchat::testing {

struct ManifestSpec {
    QString name = QStringLiteral("org.test.plugin");
    QStringList capabilities;
    QStringList scopes { QStringLiteral("all") };
    QJsonObject limits;
    QStringList contentTypes;
    QStringList commands;
};

inline core::plugins::Manifest makeManifest(const ManifestSpec& spec)
{
    QJsonObject o { { QStringLiteral("manifestVersion"), 1 }, { QStringLiteral("name"), spec.name },
        { QStringLiteral("version"), QStringLiteral("1.0.0") },
        { QStringLiteral("description"), QStringLiteral("test") },
        { QStringLiteral("capabilities"), QJsonArray::fromStringList(spec.capabilities) },
        { QStringLiteral("resourceScopes"), QJsonArray::fromStringList(spec.scopes) },
        { QStringLiteral("limits"), spec.limits },
        { QStringLiteral("contentTypes"), QJsonArray::fromStringList(spec.contentTypes) } };
    if (!spec.commands.isEmpty()) {
        QJsonArray commands;
        for (const QString& c : spec.commands)
            commands.append(QJsonObject { { QStringLiteral("name"), c } });
        o.insert(QStringLiteral("commands"), commands);
    }
    auto m = core::plugins::Manifest::parse(QJsonDocument(o).toJson());
    if (!m)
        qFatal("test manifest invalid: %s", qPrintable(m.error().describe()));
    return *m;
}

inline core::plugins::PluginGrant fullGrant(const core::plugins::Manifest& m)
{
    return { m.capabilities, m.scopes };
}

// Starts the plugin and waits until main.js ran; returns its outcome.
inline bool startPlugin(core::plugins::PluginHost& host, const core::plugins::Manifest& m, const QByteArray& script,
    const core::plugins::PluginGrant& grant);
inline bool startPlugin(core::plugins::PluginHost& host, const core::plugins::Manifest& m, const QByteArray& script)
{
    return startPlugin(host, m, script, fullGrant(m));
}

inline bool startPlugin(core::plugins::PluginHost& host, const core::plugins::Manifest& m, const QByteArray& script,
    const core::plugins::PluginGrant& grant)
{
    QSignalSpy started(&host, &core::plugins::PluginHost::started);
    if (!host.start(m, script, grant))
        return false;
    if (!started.wait(20000))
        return false;
    return started.first().at(1).toBool();
}

inline bool logContains(const core::plugins::PluginHost& host, const QString& plugin, const QString& text)
{
    for (const auto& e : host.log(plugin))
        if (e.text.contains(text))
            return true;
    return false;
}

inline bool waitLog(
    const core::plugins::PluginHost& host, const QString& plugin, const QString& text, int timeoutMs = 20000)
{
    return QTest::qWaitFor([&] { return logContains(host, plugin, text); }, timeoutMs);
}

inline core::store::Message message(
    const QString& conversationId, const QString& body, const QString& id = QStringLiteral("msg1"))
{
    core::store::Message m;
    m.id = id;
    m.conversationId = conversationId;
    m.body = body;
    m.sentAt = 1;
    return m;
}

} // namespace tenchat::testing
