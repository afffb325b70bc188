// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/PluginHost.h"
#include "tenchat/core/plugins/PluginRegistry.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace tenchat::core::store {
class AsyncStore;
}

namespace tenchat::ui {

class MessagingService;

// The plugin container of the open profile (MessengerEnvironment,
// PluginHost, PluginRegistry), run on the store's worker thread next to the
// messenger it acts through; every plugin still runs on its own thread. This
// object is the GUI-thread side: each call posts a job to the worker and each
// answer comes back on the GUI thread.
class PluginService : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(QString error)>; // "" or PluginError::describe()
    struct Snapshot {
        QList<core::plugins::InstalledPlugin> plugins;
        QStringList running;
        QString error;
    };
    struct Review {
        std::optional<core::plugins::PluginError> error;
        core::plugins::Manifest manifest;
        bool signedPackage = false;
        bool publisherTrusted = false;
    };
    // One slash command of a running plugin.
    struct Command {
        QString name;
        QString description;
    };

    PluginService(core::store::AsyncStore* store, MessagingService* messaging, QObject* parent = nullptr);
    ~PluginService() override; // stops every plugin on the worker and waits

    // Creates the container, installs the bundled examples (disabled) the
    // first time, starts the enabled plugins.
    void start();

    void snapshot(std::function<void(Snapshot)> done);
    void review(const QString& path, std::function<void(Review)> done);
    void install(const QString& path, const core::plugins::InstallOptions& options, Done done);
    void setEnabled(const QString& name, bool enabled, Done done);
    void revoke(const QString& name, core::plugins::Capability capability, Done done);
    // Gives a revoked capability back (the user confirmed the review).
    void grant(const QString& name, core::plugins::Capability capability, Done done);
    void remove(const QString& name, Done done);
    void log(const QString& name, std::function<void(QList<core::plugins::PluginLogEntry>)> done);

    // A slash command typed in the composer; `done(false)` when no running
    // plugin takes it in that conversation.
    void submitCommand(const QString& conversationId, const QString& text, std::function<void(bool)> done);
    // The card of a structured message (the unsupported card when no running plugin renders it).
    void render(const core::store::Message& message, std::function<void(QVariantMap card)> done);
    void cardAction(const QString& plugin, const QString& conversationId, const QString& messageId,
        const QString& action, Done done);

    // The commands of the running plugins (refreshed whenever they change).
    QList<Command> commands() const { return commands_; }

Q_SIGNALS:
    // Installed, removed, enabled, disabled, revoked, started or stopped.
    void pluginsChanged();
    void commandsChanged();
    void logAppended(const QString& plugin, const QString& level, const QString& text);

private:
    struct Container;
    void withContainer(std::function<void(Container&)> job);
    // A change through the registry; `done` gets "" or the error.
    void withRegistry(std::function<core::plugins::PluginOk(core::plugins::PluginRegistry&)> change, Done done);
    void toGui(std::function<void()> fn);
    void refreshCommands();

    QPointer<core::store::AsyncStore> store_;
    QPointer<MessagingService> messaging_;
    std::shared_ptr<Container> container_; // touched on the worker thread only
    QList<Command> commands_;
};

} // namespace tenchat::ui
