// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/PluginService.h"

#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/core/plugins/MessengerEnvironment.h"
#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/ui/MessagingService.h"

#include <QDir>

#include <algorithm>

namespace tenchat::ui {

using namespace core::plugins;
using core::store::ProfileStore;

// Worker-thread side: created and destroyed in jobs on the store's worker.
struct PluginService::Container {
    std::unique_ptr<MessengerEnvironment> env;
    std::unique_ptr<PluginHost> host;
    std::unique_ptr<PluginRegistry> registry;

    QList<Command> commands() const
    {
        QList<Command> out;
        if (!registry || !host)
            return out;
        auto installed = registry->list();
        if (!installed)
            return out;
        for (const InstalledPlugin& p : *installed) {
            if (!host->isRunning(p.manifest.name)
                || !(host->granted(p.manifest.name) & bit(Capability::ReceiveCommand)))
                continue;
            for (const PluginCommand& c : p.manifest.commands)
                out.append({ c.name, c.description });
        }
        std::sort(out.begin(), out.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
        return out;
    }
};

namespace {
QString describe(const PluginOk& ok)
{
    return ok ? QString() : ok.error().describe();
}
} // namespace

PluginService::PluginService(core::store::AsyncStore* store, MessagingService* messaging, QObject* parent)
    : QObject(parent), store_(store), messaging_(messaging), container_(std::make_shared<Container>())
{ }

PluginService::~PluginService()
{
    if (!store_)
        return;
    // Stops the plugins (joining their threads) on the worker, before the
    // messenger they act through goes away.
    store_->post([container = std::move(container_)](ProfileStore&) {
        if (container->host)
            QObject::disconnect(container->host.get(), nullptr, nullptr, nullptr);
        if (container->registry)
            QObject::disconnect(container->registry.get(), nullptr, nullptr, nullptr);
        container->registry.reset();
        if (container->host)
            container->host->stopAll();
        container->host.reset();
        container->env.reset();
    });
    store_->waitForIdle();
}

void PluginService::toGui(std::function<void()> fn)
{
    QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection);
}

void PluginService::withContainer(std::function<void(Container&)> job)
{
    if (!store_)
        return;
    store_->post([container = container_, job = std::move(job)](ProfileStore&) { job(*container); });
}

void PluginService::start()
{
    if (!messaging_)
        return;
    messaging_->withMessenger([this, container = container_](core::messaging::Messenger* messenger) {
        if (!messenger || container->host)
            return;
        Container& c = *container;
        c.env = std::make_unique<MessengerEnvironment>(*messenger);
        c.host = std::make_unique<PluginHost>(*c.env);
        c.env->attach(*c.host);
        const QString dir = QDir(messenger->account().store().directory()).filePath(QStringLiteral("plugins"));
        c.registry = std::make_unique<PluginRegistry>(*c.env, *c.host, dir);
        auto changed = [this] {
            toGui([this] {
                emit pluginsChanged();
                refreshCommands();
            });
        };
        QObject::connect(c.registry.get(), &PluginRegistry::changed, c.host.get(), changed);
        QObject::connect(c.host.get(), &PluginHost::started, c.host.get(), changed);
        QObject::connect(c.host.get(), &PluginHost::stopped, c.host.get(), changed);
        QObject::connect(c.host.get(), &PluginHost::logAppended, c.host.get(),
            [this](const QString& plugin, const QString& level, const QString& text) {
                toGui([this, plugin, level, text] { emit logAppended(plugin, level, text); });
            });
        auto bundled = c.registry->installBundled(PluginRegistry::bundledDirectory());
        if (!bundled)
            qWarning(
                "plugins: the bundled examples could not be installed: %s", qPrintable(bundled.error().describe()));
        c.registry->startEnabled();
        changed();
    });
}

void PluginService::refreshCommands()
{
    withContainer([this](Container& c) {
        const QList<Command> commands = c.commands();
        toGui([this, commands] {
            commands_ = commands;
            emit commandsChanged();
        });
    });
}

void PluginService::snapshot(std::function<void(Snapshot)> done)
{
    withContainer([this, done = std::move(done)](Container& c) {
        Snapshot s;
        if (!c.registry) {
            s.error = tr("The plugin container is not running.");
        } else if (auto list = c.registry->list(); !list) {
            s.error = list.error().describe();
        } else {
            s.plugins = *list;
            s.running = c.host->running();
        }
        toGui([done, s] { done(s); });
    });
}

void PluginService::review(const QString& path, std::function<void(Review)> done)
{
    withContainer([this, path, done = std::move(done)](Container& c) {
        Review r;
        if (!c.registry) {
            r.error = PluginError { PluginErrorCode::Environment, tr("The plugin container is not running.") };
        } else if (auto reviewed = c.registry->review(path); !reviewed) {
            r.error = reviewed.error();
        } else {
            r.manifest = reviewed->package.manifest();
            r.signedPackage = reviewed->signature == SignatureStatus::Valid;
            r.publisherTrusted = reviewed->publisherTrusted;
        }
        toGui([done, r] { done(r); });
    });
}

void PluginService::install(const QString& path, const InstallOptions& options, Done done)
{
    withContainer([this, path, options, done = std::move(done)](Container& c) {
        QString error = tr("The plugin container is not running.");
        if (c.registry) {
            auto installed = c.registry->install(path, options);
            error = installed ? QString() : installed.error().describe();
        }
        toGui([done, error] { done(error); });
    });
}

void PluginService::withRegistry(std::function<PluginOk(PluginRegistry&)> change, Done done)
{
    withContainer([this, change = std::move(change), done = std::move(done)](Container& c) {
        const QString error = c.registry ? describe(change(*c.registry)) : tr("Not running.");
        toGui([done, error] { done(error); });
    });
}

void PluginService::setEnabled(const QString& name, bool enabled, Done done)
{
    withRegistry([name, enabled](PluginRegistry& r) { return r.setEnabled(name, enabled); }, std::move(done));
}

void PluginService::revoke(const QString& name, Capability capability, Done done)
{
    withRegistry([name, capability](PluginRegistry& r) { return r.revoke(name, capability); }, std::move(done));
}

void PluginService::grant(const QString& name, Capability capability, Done done)
{
    withRegistry([name, capability](PluginRegistry& r) { return r.grant(name, capability); }, std::move(done));
}

void PluginService::remove(const QString& name, Done done)
{
    withRegistry([name](PluginRegistry& r) { return r.remove(name); }, std::move(done));
}

void PluginService::log(const QString& name, std::function<void(QList<PluginLogEntry>)> done)
{
    withContainer([this, name, done = std::move(done)](Container& c) {
        const QList<PluginLogEntry> entries = c.host ? c.host->log(name) : QList<PluginLogEntry> {};
        toGui([done, entries] { done(entries); });
    });
}

void PluginService::submitCommand(const QString& conversationId, const QString& text, std::function<void(bool)> done)
{
    withContainer([this, conversationId, text, done = std::move(done)](Container& c) {
        const bool taken = c.host && c.host->submitCommand(conversationId, text);
        toGui([done, taken] { done(taken); });
    });
}

void PluginService::render(const core::store::Message& message, std::function<void(QVariantMap)> done)
{
    withContainer([this, message, done = std::move(done)](Container& c) {
        auto deliver = [this, done](const Card& card) {
            const QVariantMap map = card.toVariantMap();
            toGui([done, map] { done(map); });
        };
        if (!c.host)
            return deliver(Card::unsupportedCard(message.contentType, message.body));
        c.host->render(message, deliver);
    });
}

void PluginService::cardAction(
    const QString& plugin, const QString& conversationId, const QString& messageId, const QString& action, Done done)
{
    withContainer([this, plugin, conversationId, messageId, action, done = std::move(done)](Container& c) {
        const QString error
            = c.host ? describe(c.host->cardAction(plugin, conversationId, messageId, action)) : tr("Not running.");
        toGui([done, error] { done(error); });
    });
}

} // namespace tenchat::ui
