// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/plugins/PluginHost.h"

#include "PluginAction.h"
#include "PluginGuard.h"
#include "PluginRuntime.h"

#include "tenchat/core/plugins/MessageAttachment.h"
#include "tenchat/core/plugins/PluginEnvironment.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QThread>

namespace tenchat::core::plugins {

namespace {

const QString kStoragePrefix = QStringLiteral("kv:");
const QString kEmittedKey = QStringLiteral("sys:emitted");
constexpr int kMaxEmittedRemembered = 500;

struct ParsedCommand {
    QString name;
    QString args;
};

std::optional<ParsedCommand> parseCommand(const QString& text)
{
    if (!text.startsWith(QLatin1Char('/')) || text.size() < 2)
        return std::nullopt;
    const qsizetype space = text.indexOf(QRegularExpression(QStringLiteral("\\s")));
    ParsedCommand command;
    command.name = text.mid(1, space < 0 ? -1 : space - 1);
    command.args = space < 0 ? QString() : text.mid(space + 1).trimmed();
    return command;
}

QString actionName(PluginAction::Kind kind)
{
    switch (kind) {
    case PluginAction::Kind::Send: return QStringLiteral("send");
    case PluginAction::Kind::Edit: return QStringLiteral("edit");
    case PluginAction::Kind::React: return QStringLiteral("react");
    case PluginAction::Kind::StorageSet: return QStringLiteral("storage.set");
    case PluginAction::Kind::StorageRemove: return QStringLiteral("storage.remove");
    }
    return {};
}

} // namespace

struct PluginHost::Instance {
    Manifest manifest;
    std::shared_ptr<PluginGuard> guard;
    PluginRuntime* runtime = nullptr;
    QThread* thread = nullptr;
    quint64 generation = 0;
    int strikes = 0;
    QList<QString> emitted; // message ids this plugin sent (it may edit only these)
};

PluginHost::PluginHost(PluginEnvironment& environment, QObject* parent) : QObject(parent), env_(environment)
{ }

PluginHost::~PluginHost()
{
    stopAll();
}

PluginOk PluginHost::start(const Manifest& manifest, const QByteArray& script, const PluginGrant& grant)
{
    if (instances_.contains(manifest.name))
        return pluginError(
            PluginErrorCode::AlreadyInstalled, QStringLiteral("%1 is running already").arg(manifest.name));
    if ((grant.capabilities & ~manifest.capabilities) != 0 || !manifest.scopes.covers(grant.scopes))
        return pluginError(
            PluginErrorCode::GrantNotRequested, QStringLiteral("the grant exceeds what the manifest requests"));
    auto state = env_.loadState(manifest.name);
    if (!state)
        return makeUnexpected(state.error());

    auto instance = std::make_shared<Instance>();
    instance->manifest = manifest;
    instance->generation = nextGeneration_++;
    instance->guard
        = std::make_shared<PluginGuard>(grant.capabilities, grant.scopes, manifest.limits.messagesPerMinute);
    PluginRuntime::Config config;
    config.manifest = manifest;
    config.script = script;
    for (auto it = state->begin(); it != state->end(); ++it) {
        if (it.key().startsWith(kStoragePrefix))
            config.storage.insert(it.key().mid(kStoragePrefix.size()), it.value());
    }
    for (const QJsonValue& v : QJsonDocument::fromJson(state->value(kEmittedKey)).array())
        instance->emitted << v.toString();

    // The runtime calls these on its thread; each hops to this thread and
    // finds the instance again by name and generation (it may be gone).
    const QString name = manifest.name;
    const quint64 generation = instance->generation;
    RuntimeCallbacks callbacks;
    callbacks.action = [this, name, generation](const PluginAction& action) {
        QMetaObject::invokeMethod(
            this,
            [this, name, generation, action] {
                if (Instance* i = find(name, generation))
                    perform(*i, action);
            },
            Qt::QueuedConnection);
    };
    callbacks.log = [this, name](const QString& level, const QString& text) {
        QMetaObject::invokeMethod(
            this, [this, name, level, text] { appendLog(name, level, text); }, Qt::QueuedConnection);
    };
    callbacks.sliceExceeded = [this, name, generation] {
        QMetaObject::invokeMethod(
            this,
            [this, name, generation] {
                if (Instance* i = find(name, generation))
                    onSliceExceeded(*i);
            },
            Qt::QueuedConnection);
    };
    callbacks.rendered = [this](int renderId, const QString& cardJson, const QString& error) {
        QMetaObject::invokeMethod(
            this, [this, renderId, cardJson, error] { onRendered(renderId, cardJson, error); }, Qt::QueuedConnection);
    };

    instance->runtime = new PluginRuntime(std::move(config), instance->guard, std::move(callbacks));
    instance->thread = new QThread;
    instance->thread->setObjectName(QStringLiteral("plugin:") + name);
    instance->runtime->moveToThread(instance->thread);
    instance->thread->start();
    instances_.insert(name, instance);
    audit(name, QStringLiteral("plugin.started"),
        { { QStringLiteral("capabilities"), capabilityNames(grant.capabilities) },
            { QStringLiteral("scopes"), grant.scopes.toStrings() } });
    post(*instance, [this, name, generation](PluginRuntime& runtime) {
        const bool ok = runtime.start();
        QMetaObject::invokeMethod(
            this,
            [this, name, generation, ok] {
                if (!find(name, generation))
                    return;
                emit started(name, ok);
                if (!ok)
                    stop(name, QStringLiteral("main.js failed"));
            },
            Qt::QueuedConnection);
    });
    return {};
}

void PluginHost::post(Instance& instance, std::function<void(PluginRuntime&)> work)
{
    PluginRuntime* runtime = instance.runtime;
    QMetaObject::invokeMethod(
        runtime, [runtime, work = std::move(work)] { work(*runtime); }, Qt::QueuedConnection);
}

PluginHost::Instance* PluginHost::find(const QString& name, quint64 generation)
{
    auto it = instances_.find(name);
    if (it == instances_.end() || (*it)->generation != generation)
        return nullptr;
    return it->get();
}

void PluginHost::stop(const QString& name, const QString& reason)
{
    auto instance = instances_.take(name);
    if (!instance)
        return;
    // Seen by the plugin's next call and by the run in progress at once.
    instance->guard->disable();
    instance->runtime->interrupt();
    PluginRuntime* runtime = instance->runtime;
    QMetaObject::invokeMethod(
        runtime,
        [runtime] {
            runtime->shutdown();
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    instance->thread->wait();
    delete instance->runtime;
    delete instance->thread;
    for (auto it = renders_.begin(); it != renders_.end();) {
        if (it->plugin == name) {
            it->done(Card::unsupportedCard(it->contentType, it->body));
            it = renders_.erase(it);
        } else {
            ++it;
        }
    }
    appendLog(name, QStringLiteral("info"),
        reason.isEmpty() ? QStringLiteral("stopped") : QStringLiteral("stopped: ") + reason);
    audit(name, QStringLiteral("plugin.stopped"), { { QStringLiteral("reason"), reason } });
    emit stopped(name, reason);
}

void PluginHost::stopAll()
{
    const QStringList names = instances_.keys();
    for (const QString& name : names)
        stop(name, QStringLiteral("host shutting down"));
}

PluginOk PluginHost::revoke(const QString& name, Capability capability)
{
    auto it = instances_.find(name);
    if (it == instances_.end())
        return pluginError(PluginErrorCode::NotInstalled, QStringLiteral("%1 is not running").arg(name));
    (*it)->guard->revoke(capability);
    audit(name, QStringLiteral("plugin.revoked"), { { QStringLiteral("capability"), capabilityName(capability) } });
    appendLog(name, QStringLiteral("warning"), QStringLiteral("capability revoked: ") + capabilityName(capability));
    return {};
}

PluginOk PluginHost::grant(const QString& name, Capability capability)
{
    auto it = instances_.find(name);
    if (it == instances_.end())
        return pluginError(PluginErrorCode::NotInstalled, QStringLiteral("%1 is not running").arg(name));
    if (!(*it)->manifest.has(capability))
        return pluginError(PluginErrorCode::GrantNotRequested,
            QStringLiteral("%1 did not request %2").arg(name, capabilityName(capability)));
    (*it)->guard->grant(capability);
    audit(name, QStringLiteral("plugin.granted"), { { QStringLiteral("capability"), capabilityName(capability) } });
    appendLog(name, QStringLiteral("info"), QStringLiteral("capability granted again: ") + capabilityName(capability));
    return {};
}

PluginOk PluginHost::setScopes(const QString& name, const ResourceScopes& scopes)
{
    auto it = instances_.find(name);
    if (it == instances_.end())
        return pluginError(PluginErrorCode::NotInstalled, QStringLiteral("%1 is not running").arg(name));
    if (!(*it)->manifest.scopes.covers(scopes))
        return pluginError(PluginErrorCode::GrantNotRequested, QStringLiteral("the scopes exceed the manifest's"));
    (*it)->guard->setScopes(scopes);
    audit(name, QStringLiteral("plugin.scopes"), { { QStringLiteral("scopes"), scopes.toStrings() } });
    return {};
}

CapabilitySet PluginHost::granted(const QString& name) const
{
    auto it = instances_.find(name);
    return it == instances_.end() ? 0 : (*it)->guard->granted();
}

void PluginHost::appendLog(const QString& name, const QString& level, const QString& text)
{
    auto& entries = logs_[name];
    entries.append({ QDateTime::currentMSecsSinceEpoch(), level, text });
    while (entries.size() > kMaxLogEntries)
        entries.removeFirst();
    emit logAppended(name, level, text);
}

void PluginHost::audit(const QString& plugin, const QString& event, QVariantMap detail)
{
    detail.insert(QStringLiteral("plugin"), plugin);
    env_.audit(
        event, QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(detail)).toJson(QJsonDocument::Compact)));
}

void PluginHost::onSliceExceeded(Instance& instance)
{
    const QString name = instance.manifest.name;
    ++instance.strikes;
    audit(name, QStringLiteral("plugin.interrupted"), { { QStringLiteral("strikes"), instance.strikes } });
    if (instance.strikes < kMaxStrikes)
        return;
    const QString reason = QStringLiteral("exceeded its %1 ms time slice %2 times")
                               .arg(instance.manifest.limits.cpuMillisPerEvent)
                               .arg(instance.strikes);
    appendLog(name, QStringLiteral("error"), QStringLiteral("disabled: ") + reason);
    audit(name, QStringLiteral("plugin.disabled"), { { QStringLiteral("reason"), reason } });
    stop(name, reason);
    emit disabledByHost(name, reason);
}

void PluginHost::deliverMessage(const store::Message& message, const QString& fromHandle)
{
    if (message.tombstone || message.body.isNull())
        return;
    const auto command = message.contentType == QLatin1String("text/plain") ? parseCommand(message.body) : std::nullopt;
    for (const auto& instance : std::as_const(instances_)) {
        const PluginGuard& guard = *instance->guard;
        if (!guard.enabled() || !guard.inScope(message.conversationId))
            continue;
        if (command && guard.has(Capability::ReceiveCommand) && instance->manifest.declaresCommand(command->name)) {
            QVariantMap payload { { QStringLiteral("name"), command->name }, { QStringLiteral("args"), command->args },
                { QStringLiteral("conversationId"), message.conversationId },
                { QStringLiteral("messageId"), message.id }, { QStringLiteral("sender"), fromHandle },
                { QStringLiteral("sentAt"), message.sentAt }, { QStringLiteral("outgoing"), message.outgoing } };
            post(*instance, [payload](PluginRuntime& r) { r.dispatchEvent(QStringLiteral("command"), payload); });
            continue;
        }
        if (!guard.has(Capability::ReadMessageMetadata))
            continue;
        QVariantMap payload { { QStringLiteral("id"), message.id },
            { QStringLiteral("conversationId"), message.conversationId }, { QStringLiteral("sender"), fromHandle },
            { QStringLiteral("sentAt"), message.sentAt }, { QStringLiteral("contentType"), message.contentType },
            { QStringLiteral("outgoing"), message.outgoing } };
        if (guard.has(Capability::ReadMessageBody))
            payload.insert(QStringLiteral("body"), message.body);
        post(*instance, [payload](PluginRuntime& r) { r.dispatchEvent(QStringLiteral("message"), payload); });
    }
}

bool PluginHost::submitCommand(const QString& conversationId, const QString& text)
{
    const auto command = parseCommand(text);
    if (!command)
        return false;
    for (const auto& instance : std::as_const(instances_)) {
        const PluginGuard& guard = *instance->guard;
        if (!guard.has(Capability::ReceiveCommand) || !guard.inScope(conversationId)
            || !instance->manifest.declaresCommand(command->name))
            continue;
        QVariantMap payload { { QStringLiteral("name"), command->name }, { QStringLiteral("args"), command->args },
            { QStringLiteral("conversationId"), conversationId }, { QStringLiteral("messageId"), QString() },
            { QStringLiteral("sender"), QString() }, { QStringLiteral("sentAt"), QDateTime::currentMSecsSinceEpoch() },
            { QStringLiteral("outgoing"), true } };
        post(*instance, [payload](PluginRuntime& r) { r.dispatchEvent(QStringLiteral("command"), payload); });
        return true;
    }
    return false;
}

QStringList PluginHost::commands() const
{
    QStringList out;
    for (const auto& instance : instances_) {
        if (!instance->guard->has(Capability::ReceiveCommand))
            continue;
        for (const PluginCommand& c : instance->manifest.commands)
            out << QStringLiteral("/%1 — %2").arg(c.name, c.description);
    }
    out.sort();
    return out;
}

bool PluginHost::canRender(const QString& contentType, const QString& conversationId) const
{
    for (const auto& instance : instances_)
        if (instance->guard->has(Capability::RenderPayload) && instance->manifest.contentTypes.contains(contentType)
            && instance->guard->inScope(conversationId))
            return true;
    return false;
}

void PluginHost::render(const store::Message& message, std::function<void(const Card&)> done)
{
    for (const auto& instance : std::as_const(instances_)) {
        if (!instance->guard->has(Capability::RenderPayload)
            || !instance->manifest.contentTypes.contains(message.contentType)
            || !instance->guard->inScope(message.conversationId))
            continue;
        const int renderId = nextRender_++;
        Card::Context cardContext { message.id, MessageAttachment::ofMessage(message.id, message.body) };
        QVariantList attachments;
        for (const MessageAttachment& a : cardContext.attachments)
            attachments << a.toVariantMap();
        renders_.insert(renderId,
            { instance->manifest.name, message.contentType, message.body, std::move(cardContext), std::move(done) });
        const QVariantMap context { { QStringLiteral("messageId"), message.id },
            { QStringLiteral("conversationId"), message.conversationId },
            { QStringLiteral("outgoing"), message.outgoing }, { QStringLiteral("attachments"), attachments } };
        const QString contentType = message.contentType;
        const QString body = message.body;
        post(*instance, [renderId, contentType, body, context](PluginRuntime& r) {
            r.render(renderId, contentType, body, context);
        });
        return;
    }
    done(Card::unsupportedCard(message.contentType, message.body));
}

void PluginHost::onRendered(int renderId, const QString& cardJson, const QString& error)
{
    auto pending = renders_.take(renderId);
    if (!pending.done)
        return;
    const QJsonDocument doc = QJsonDocument::fromJson(cardJson.toUtf8());
    PluginExpected<Card> card = !error.isEmpty()
        ? PluginExpected<Card>(pluginError(PluginErrorCode::InvalidCard, error))
        : doc.isObject() ? Card::fromJson(doc.object(), pending.context)
                         : PluginExpected<Card>(pluginError(
                             PluginErrorCode::InvalidCard, QStringLiteral("the renderer did not return an object")));
    if (!card) {
        appendLog(pending.plugin, QStringLiteral("error"), QStringLiteral("render: ") + card.error().describe());
        pending.done(Card::unsupportedCard(pending.contentType, pending.body));
        return;
    }
    card->pluginName = pending.plugin;
    card->fallback = Card::fallbackText(pending.body);
    pending.done(*card);
}

PluginOk PluginHost::cardAction(
    const QString& plugin, const QString& conversationId, const QString& messageId, const QString& action)
{
    auto it = instances_.find(plugin);
    if (it == instances_.end())
        return pluginError(PluginErrorCode::NotInstalled, QStringLiteral("%1 is not running").arg(plugin));
    if (!(*it)->guard->has(Capability::RenderPayload) || !(*it)->guard->inScope(conversationId))
        return pluginError(PluginErrorCode::PermissionDenied, QStringLiteral("no render.payload in this conversation"));
    const QVariantMap payload { { QStringLiteral("action"), action.left(256) },
        { QStringLiteral("conversationId"), conversationId }, { QStringLiteral("messageId"), messageId } };
    post(**it, [payload](PluginRuntime& r) { r.dispatchEvent(QStringLiteral("callback"), payload); });
    return {};
}

void PluginHost::reply(Instance& instance, int requestId, const QString& messageId, const QString& error)
{
    if (requestId <= 0)
        return;
    post(instance, [requestId, messageId, error](PluginRuntime& r) { r.deliverResult(requestId, messageId, error); });
}

void PluginHost::deny(Instance& instance, const PluginAction& action, const PluginError& error)
{
    const QString name = instance.manifest.name;
    appendLog(name, QStringLiteral("warning"),
        QStringLiteral("%1 refused: %2").arg(actionName(action.kind), error.describe()));
    audit(name, QStringLiteral("plugin.denied"),
        { { QStringLiteral("action"), actionName(action.kind) },
            { QStringLiteral("error"), QString::fromLatin1(toString(error.code)) } });
    reply(instance, action.requestId, {}, error.describe());
}

void PluginHost::rememberEmitted(Instance& instance, const QString& messageId)
{
    instance.emitted.append(messageId);
    while (instance.emitted.size() > kMaxEmittedRemembered)
        instance.emitted.removeFirst();
    (void)env_.saveState(instance.manifest.name, kEmittedKey,
        QJsonDocument(QJsonArray::fromStringList(instance.emitted)).toJson(QJsonDocument::Compact));
}

void PluginHost::perform(Instance& instance, const PluginAction& action)
{
    // Checked again here: a revocation between the plugin's call and now wins.
    const QString name = instance.manifest.name;
    const PluginGuard& guard = *instance.guard;
    auto denied = [&](PluginErrorCode code, const QString& why) { deny(instance, action, PluginError { code, why }); };
    if (!guard.enabled())
        return denied(PluginErrorCode::Disabled, QStringLiteral("the plugin is disabled"));
    switch (action.kind) {
    case PluginAction::Kind::Send: {
        if (!guard.has(Capability::EmitMessage))
            return denied(PluginErrorCode::PermissionDenied, QStringLiteral("emit.message is not granted"));
        if (!guard.inScope(action.conversationId))
            return denied(PluginErrorCode::PermissionDenied, QStringLiteral("outside the plugin's scopes"));
        const QString contentType = action.contentType.isEmpty() ? QStringLiteral("text/plain") : action.contentType;
        auto id = env_.sendMessage(action.conversationId, contentType, action.text, action.replyTo);
        if (!id)
            return denied(id.error().code, id.error().message);
        rememberEmitted(instance, *id);
        audit(name, QStringLiteral("plugin.send"),
            { { QStringLiteral("conversation"), action.conversationId }, { QStringLiteral("message"), *id },
                { QStringLiteral("contentType"), contentType } });
        emit actionPerformed(name, QStringLiteral("send"), *id);
        return reply(instance, action.requestId, *id, {});
    }
    case PluginAction::Kind::Edit:
    case PluginAction::Kind::React: {
        const bool edit = action.kind == PluginAction::Kind::Edit;
        if (!guard.has(edit ? Capability::EmitMessage : Capability::React))
            return denied(PluginErrorCode::PermissionDenied,
                QStringLiteral("%1 is not granted")
                    .arg(edit ? QStringLiteral("emit.message") : QStringLiteral("react")));
        const auto conversation = env_.conversationOf(action.messageId);
        if (!conversation || !guard.inScope(*conversation))
            return denied(
                PluginErrorCode::PermissionDenied, QStringLiteral("the message is outside the plugin's scopes"));
        if (edit && !instance.emitted.contains(action.messageId))
            return denied(PluginErrorCode::PermissionDenied, QStringLiteral("a plugin edits only messages it sent"));
        auto done = edit ? env_.editMessage(action.messageId, action.text)
                         : env_.react(action.messageId, action.emoji, action.remove);
        if (!done)
            return denied(done.error().code, done.error().message);
        audit(name, edit ? QStringLiteral("plugin.edit") : QStringLiteral("plugin.react"),
            { { QStringLiteral("conversation"), *conversation }, { QStringLiteral("message"), action.messageId } });
        emit actionPerformed(name, actionName(action.kind), action.messageId);
        return reply(instance, action.requestId, action.messageId, {});
    }
    case PluginAction::Kind::StorageSet:
    case PluginAction::Kind::StorageRemove: {
        if (!guard.has(Capability::Storage))
            return denied(PluginErrorCode::PermissionDenied, QStringLiteral("storage is not granted"));
        const bool set = action.kind == PluginAction::Kind::StorageSet;
        auto done = env_.saveState(
            name, kStoragePrefix + action.key, set ? std::optional<QByteArray>(action.value) : std::nullopt);
        if (!done)
            return denied(done.error().code, done.error().message);
        audit(name, QStringLiteral("plugin.") + actionName(action.kind), { { QStringLiteral("key"), action.key } });
        return;
    }
    }
}

} // namespace tenchat::core::plugins
