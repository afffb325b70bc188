// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/Card.h"
#include "tenchat/core/plugins/Manifest.h"
#include "tenchat/core/plugins/PluginError.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

#include <functional>
#include <memory>

namespace tenchat::core::plugins {

class PluginEnvironment;
class PluginGuard;
class PluginRuntime;
struct PluginAction;

// What the user granted: a subset of the manifest's capabilities and scopes.
struct PluginGrant {
    CapabilitySet capabilities = 0;
    ResourceScopes scopes;
};

struct PluginLogEntry {
    qint64 at = 0; // ms since the epoch
    QString level; // info, warning, error
    QString text;
};

// Runs plugins: one sandbox (PluginRuntime: QJSEngine on its own thread) per
// plugin. Lives on the messenger's thread. Filters events by grant and scope
// before a plugin sees them, carries out the actions plugins request after
// checking the live grant again, writes every action (and every refusal) to
// the audit log, keeps a per-plugin log, and disables a plugin that exceeds
// its CPU slice kMaxStrikes times.
class PluginHost : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxStrikes = 3;
    static constexpr int kMaxLogEntries = 200;

    explicit PluginHost(PluginEnvironment& environment, QObject* parent = nullptr);
    ~PluginHost() override;

    // Starts a plugin (main.js runs on its thread; started() reports the
    // outcome). The grant must lie within the manifest.
    PluginOk start(const Manifest& manifest, const QByteArray& script, const PluginGrant& grant);
    // Stops the plugin at once (an ongoing run is interrupted) and waits for its thread.
    void stop(const QString& name, const QString& reason = {});
    void stopAll();
    bool isRunning(const QString& name) const { return instances_.contains(name); }
    QStringList running() const { return instances_.keys(); }
    // The live grant; revocation applies to the plugin's very next call.
    PluginOk revoke(const QString& name, Capability capability);
    // Gives a capability the manifest requested back to the running plugin
    // (the user confirmed it; PluginRegistry::grant persists it). Seen by the
    // plugin's very next call. Plugin code has no way to reach this.
    PluginOk grant(const QString& name, Capability capability);
    PluginOk setScopes(const QString& name, const ResourceScopes& scopes);
    CapabilitySet granted(const QString& name) const;

    // An incoming (or any stored) message: a command event for the plugin
    // declaring the slash command, a message event for plugins reading messages.
    void deliverMessage(const store::Message& message, const QString& fromHandle);
    // A slash command typed by the local user in `conversationId` (not sent as
    // a message). false when no running plugin declares it.
    bool submitCommand(const QString& conversationId, const QString& text);
    QStringList commands() const; // "/name — description" of running plugins

    // Renders a structured message as a card (asynchronously): the running
    // plugin that declares its content type, or the unsupported card.
    bool canRender(const QString& contentType, const QString& conversationId) const;
    void render(const store::Message& message, std::function<void(const Card&)> done);
    // A card button pressed: the plugin's "callback" event.
    PluginOk cardAction(
        const QString& plugin, const QString& conversationId, const QString& messageId, const QString& action);

    QList<PluginLogEntry> log(const QString& name) const { return logs_.value(name); }

signals:
    void started(const QString& plugin, bool ok);
    void stopped(const QString& plugin, const QString& reason);
    // By the watchdog (strikes); the registry persists it.
    void disabledByHost(const QString& plugin, const QString& reason);
    void logAppended(const QString& plugin, const QString& level, const QString& text);
    void actionPerformed(const QString& plugin, const QString& action, const QString& detail);

private:
    struct Instance;
    struct PendingRender {
        QString plugin;
        QString contentType;
        QString body;
        Card::Context context; // the message's id and attachments (card images)
        std::function<void(const Card&)> done;
    };

    Instance* find(const QString& name, quint64 generation);
    void appendLog(const QString& name, const QString& level, const QString& text);
    void perform(Instance& instance, const PluginAction& action);
    void reply(Instance& instance, int requestId, const QString& messageId, const QString& error);
    void deny(Instance& instance, const PluginAction& action, const PluginError& error);
    void onSliceExceeded(Instance& instance);
    void onRendered(int renderId, const QString& cardJson, const QString& error);
    void post(Instance& instance, std::function<void(PluginRuntime&)> work);
    void audit(const QString& plugin, const QString& event, QVariantMap detail);
    void rememberEmitted(Instance& instance, const QString& messageId);

    PluginEnvironment& env_;
    QHash<QString, std::shared_ptr<Instance>> instances_;
    QHash<QString, QList<PluginLogEntry>> logs_;
    QHash<int, PendingRender> renders_;
    int nextRender_ = 1;
    quint64 nextGeneration_ = 1;
};

} // namespace tenchat::core::plugins
