// SPDX-License-Identifier: GPL-3.0-or-later
#include "PluginRuntime.h"

#include "Bootstrap.h"

#include "tenchat/core/plugins/MessageAttachment.h"

#include <QDateTime>
#include <QJSEngine>
#include <QJsonDocument>
#include <QTimer>

namespace tenchat::core::plugins {

namespace {

// Globals a plain QJSEngine may offer that a plugin must not have. Most are
// absent without extensions; removing them again keeps it so if a Qt version
// adds one.
const char* const kRemovedGlobals[] = { "eval", "Qt", "XMLHttpRequest", "print", "console", "gc", "qsTr", "qsTranslate",
    "QT_TR_NOOP", "require", "importScripts", "fetch", "WebSocket", "Worker", "WorkerScript" };

constexpr int kMaxStoredKeyChars = 128;
constexpr int kMaxTextChars = 16 * 1024;
// A structured payload may carry file manifests (attachments) with thumbnails.
constexpr int kMaxStructuredChars = 128 * 1024;
constexpr qint64 kMaxTimerMs = 24LL * 24 * 3600 * 1000; // QTimer's int range

QString clipped(QString text, int max)
{
    if (text.size() > max) {
        text.truncate(max);
        text += QStringLiteral("…");
    }
    return text;
}

} // namespace

PluginRuntime::PluginRuntime(Config config, std::shared_ptr<PluginGuard> guard, RuntimeCallbacks callbacks)
    : config_(std::move(config)), guard_(std::move(guard)), callbacks_(std::move(callbacks))
{ }

PluginRuntime::~PluginRuntime()
{
    shutdown();
}

bool PluginRuntime::start()
{
    {
        QMutexLocker lock(&engineMutex_);
        engine_ = new QJSEngine(this); // no installExtensions(): no Qt, console, translations
    }
    bridge_ = new ScriptBridge(*this);
    bridge_->setParent(this);
    QJSEngine::setObjectOwnership(bridge_, QJSEngine::CppOwnership);
    watchdog_ = std::make_unique<Watchdog>([this] {
        QMutexLocker lock(&engineMutex_);
        if (engine_)
            engine_->setInterrupted(true);
    });
    if (!installGlobals())
        return false;
    const QString source = QString::fromUtf8(config_.script);
    guarded(QStringLiteral("main.js"), [&] {
        // A script, not a module: `import` statements do not compile. The file
        // name is not a URL of the file system.
        return engine_->evaluate(source, QStringLiteral("plugin:%1/main.js").arg(config_.manifest.name));
    });
    return lastRunOk_;
}

bool PluginRuntime::installGlobals()
{
    QJSValue global = engine_->globalObject();
    for (const char* name : kRemovedGlobals)
        global.deleteProperty(QString::fromLatin1(name));
    const QJSValue factory = engine_->evaluate(bootstrapScript(), QStringLiteral("tenchat:bootstrap"));
    if (!factory.isCallable()) {
        log(QStringLiteral("error"), QStringLiteral("internal: the sandbox bootstrap failed"));
        return false;
    }
    QJSValue info = engine_->newObject();
    info.setProperty(QStringLiteral("name"), config_.manifest.name);
    info.setProperty(QStringLiteral("version"), config_.manifest.version);
    dispatch_ = factory.call({ engine_->newQObject(bridge_), global, info });
    if (!dispatch_.isCallable()) {
        log(QStringLiteral("error"),
            QStringLiteral("internal: the sandbox bootstrap failed: %1").arg(dispatch_.toString()));
        return false;
    }
    return true;
}

QJSValue PluginRuntime::guarded(const QString& what, const std::function<QJSValue()>& run)
{
    lastRunOk_ = false;
    if (!engine_ || !guard_->enabled())
        return QJSValue(QJSValue::UndefinedValue);
    // A callback delivered while plugin code runs (never the case today: results
    // arrive as separate events) would share the outer slice.
    const bool outer = depth_ == 0;
    if (outer)
        watchdog_->arm(std::chrono::milliseconds(config_.manifest.limits.cpuMillisPerEvent));
    ++depth_;
    QJSValue result = run();
    --depth_;
    if (!outer)
        return result;
    const bool sliceExceeded = watchdog_->disarm();
    const bool interrupted = engine_->isInterrupted();
    engine_->setInterrupted(false);
    if (sliceExceeded) {
        log(QStringLiteral("error"),
            QStringLiteral("%1: interrupted after its %2 ms time slice")
                .arg(what)
                .arg(config_.manifest.limits.cpuMillisPerEvent));
        if (callbacks_.sliceExceeded)
            callbacks_.sliceExceeded();
        return QJSValue(QJSValue::UndefinedValue);
    }
    if (interrupted || !guard_->enabled()) {
        log(QStringLiteral("warning"), QStringLiteral("%1: stopped (plugin disabled)").arg(what));
        return QJSValue(QJSValue::UndefinedValue);
    }
    if (result.isError()) {
        const QString where = result.property(QStringLiteral("lineNumber")).isUndefined()
            ? QString()
            : QStringLiteral(" (line %1)").arg(result.property(QStringLiteral("lineNumber")).toInt());
        log(QStringLiteral("error"),
            QStringLiteral("%1: uncaught %2%3").arg(what, clipped(result.toString(), 500), where));
        return result;
    }
    lastRunOk_ = true;
    return result;
}

void PluginRuntime::dispatchEvent(const QString& kind, const QVariantMap& payload)
{
    if (!engine_)
        return;
    const QJSValue args = engine_->toScriptValue(payload);
    guarded(kind, [&] { return dispatch_.call({ QJSValue(kind), args }); });
}

void PluginRuntime::render(int renderId, const QString& contentType, const QString& body, const QVariantMap& context)
{
    if (!engine_ || !guard_->has(Capability::RenderPayload)) {
        callbacks_.rendered(renderId, {}, QStringLiteral("render.payload is not granted"));
        return;
    }
    const QJSValue payload = engine_->toScriptValue(QVariantMap { { QStringLiteral("contentType"), contentType },
        { QStringLiteral("body"), body }, { QStringLiteral("context"), context } });
    const QJSValue result = guarded(QStringLiteral("render"), [&] {
        return dispatch_.call({ QJSValue(QStringLiteral("render")), payload });
    });
    if (result.isString())
        callbacks_.rendered(renderId, result.toString(), {});
    else
        callbacks_.rendered(renderId, {}, QStringLiteral("the renderer returned no card"));
}

void PluginRuntime::deliverResult(int requestId, const QString& messageId, const QString& error)
{
    QVariantMap payload { { QStringLiteral("requestId"), requestId } };
    if (!messageId.isEmpty())
        payload.insert(QStringLiteral("messageId"), messageId);
    if (!error.isEmpty())
        payload.insert(QStringLiteral("error"), error);
    dispatchEvent(QStringLiteral("result"), payload);
}

void PluginRuntime::shutdown()
{
    qDeleteAll(timers_);
    timers_.clear();
    watchdog_.reset();
    dispatch_ = QJSValue();
    QJSEngine* engine = nullptr;
    {
        QMutexLocker lock(&engineMutex_);
        engine = engine_;
        engine_ = nullptr;
    }
    delete engine;
    delete bridge_;
    bridge_ = nullptr;
}

void PluginRuntime::interrupt()
{
    QMutexLocker lock(&engineMutex_);
    if (engine_)
        engine_->setInterrupted(true);
}

void PluginRuntime::throwError(const char* code, const QString& message)
{
    QJSValue error
        = engine_->newErrorObject(QJSValue::GenericError, QStringLiteral("%1: %2").arg(QLatin1String(code), message));
    error.setProperty(QStringLiteral("code"), QString::fromLatin1(code));
    engine_->throwError(error);
}

void PluginRuntime::log(const QString& level, const QString& text)
{
    if (callbacks_.log)
        callbacks_.log(level, clipped(text, 1000));
}

int PluginRuntime::storageBytes() const
{
    int total = 0;
    for (auto it = config_.storage.begin(); it != config_.storage.end(); ++it)
        total += int(it.key().toUtf8().size() + it.value().size());
    return total;
}

// --- ScriptBridge -------------------------------------------------------------

bool ScriptBridge::require(Capability c)
{
    if (!runtime_.guard_->enabled()) {
        runtime_.throwError("Disabled", QStringLiteral("the plugin is disabled"));
        return false;
    }
    if (!runtime_.guard_->has(c)) {
        runtime_.throwError("PermissionDenied", QStringLiteral("%1 is not granted").arg(capabilityName(c)));
        return false;
    }
    return true;
}

bool ScriptBridge::takeToken()
{
    if (runtime_.guard_->takeMessageToken(QDateTime::currentMSecsSinceEpoch()))
        return true;
    runtime_.throwError("RateLimited",
        QStringLiteral("more than %1 messages per minute").arg(runtime_.config_.manifest.limits.messagesPerMinute));
    return false;
}

void ScriptBridge::on(const QString& event)
{
    static const QHash<QString, Capability> needs { { QStringLiteral("message"), Capability::ReadMessageMetadata },
        { QStringLiteral("command"), Capability::ReceiveCommand },
        { QStringLiteral("callback"), Capability::RenderPayload } };
    if (!needs.contains(event)) {
        runtime_.throwError("InvalidArgument", QStringLiteral("unknown event '%1'").arg(event.left(40)));
        return;
    }
    (void)require(needs.value(event));
}

void ScriptBridge::registerRenderer(const QString& contentType)
{
    if (!require(Capability::RenderPayload))
        return;
    if (!runtime_.config_.manifest.contentTypes.contains(contentType))
        runtime_.throwError(
            "PermissionDenied", QStringLiteral("'%1' is not in the manifest's contentTypes").arg(contentType.left(80)));
}

void ScriptBridge::log(const QString& text)
{
    runtime_.log(QStringLiteral("info"), text);
}

bool ScriptBridge::has(const QString& capability)
{
    auto c = capabilityFromName(capability);
    return c && runtime_.guard_->has(*c);
}

QStringList ScriptBridge::granted()
{
    return runtime_.guard_->enabled() ? capabilityNames(runtime_.guard_->granted()) : QStringList {};
}

int ScriptBridge::send(const QString& conversationId, const QString& text, const QString& contentType,
    const QString& replyTo, bool wantResult)
{
    if (!require(Capability::EmitMessage))
        return 0;
    if (!runtime_.guard_->inScope(conversationId)) {
        runtime_.throwError("PermissionDenied", QStringLiteral("the conversation is outside the plugin's scopes"));
        return 0;
    }
    const int maxChars = contentType.isEmpty() ? kMaxTextChars : kMaxStructuredChars;
    if (text.isEmpty() || text.size() > maxChars) {
        runtime_.throwError("InvalidArgument", QStringLiteral("text must have 1..%1 characters").arg(maxChars));
        return 0;
    }
    if (!contentType.isEmpty()) {
        if (!runtime_.config_.manifest.contentTypes.contains(contentType)) {
            runtime_.throwError("PermissionDenied",
                QStringLiteral("'%1' is not in the manifest's contentTypes").arg(contentType.left(80)));
            return 0;
        }
        // Structured payloads carry a plain-text fallback for clients without the plugin.
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        if (!doc.isObject() || !doc.object().value(QStringLiteral("fallback")).isString()) {
            runtime_.throwError("InvalidArgument",
                QStringLiteral("a structured payload must be a JSON object with a 'fallback' string"));
            return 0;
        }
        if (auto ok = MessageAttachment::checkBody(doc.object()); !ok) {
            runtime_.throwError("InvalidArgument", ok.error().message);
            return 0;
        }
    }
    if (!takeToken())
        return 0;
    PluginAction action;
    action.kind = PluginAction::Kind::Send;
    action.requestId = runtime_.nextId_++;
    action.conversationId = conversationId;
    action.text = text;
    action.contentType = contentType;
    action.replyTo = replyTo;
    const int id = action.requestId;
    if (!wantResult)
        action.requestId = 0;
    runtime_.callbacks_.action(action);
    return id;
}

int ScriptBridge::edit(const QString& messageId, const QString& text, bool wantResult)
{
    if (!require(Capability::EmitMessage))
        return 0;
    // A structured payload (a JSON object) may be longer: it may carry attachments.
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    const int maxChars = doc.isObject() ? kMaxStructuredChars : kMaxTextChars;
    if (messageId.isEmpty() || text.isEmpty() || text.size() > maxChars) {
        runtime_.throwError(
            "InvalidArgument", QStringLiteral("a message id and 1..%1 characters are needed").arg(maxChars));
        return 0;
    }
    if (auto ok = MessageAttachment::checkBody(doc.object()); !ok) {
        runtime_.throwError("InvalidArgument", ok.error().message);
        return 0;
    }
    if (!takeToken())
        return 0;
    PluginAction action;
    action.kind = PluginAction::Kind::Edit;
    const int id = runtime_.nextId_++;
    action.requestId = wantResult ? id : 0;
    action.messageId = messageId;
    action.text = text;
    runtime_.callbacks_.action(action);
    return id;
}

int ScriptBridge::react(const QString& messageId, const QString& emoji, bool remove, bool wantResult)
{
    if (!require(Capability::React))
        return 0;
    if (messageId.isEmpty() || emoji.isEmpty() || emoji.size() > 16) {
        runtime_.throwError("InvalidArgument", QStringLiteral("a message id and an emoji are needed"));
        return 0;
    }
    if (!takeToken())
        return 0;
    PluginAction action;
    action.kind = PluginAction::Kind::React;
    const int id = runtime_.nextId_++;
    action.requestId = wantResult ? id : 0;
    action.messageId = messageId;
    action.emoji = emoji;
    action.remove = remove;
    runtime_.callbacks_.action(action);
    return id;
}

QJSValue ScriptBridge::storageGet(const QString& key)
{
    if (!require(Capability::Storage))
        return QJSValue(QJSValue::UndefinedValue);
    auto it = runtime_.config_.storage.constFind(key);
    if (it == runtime_.config_.storage.constEnd())
        return QJSValue(QJSValue::UndefinedValue);
    return QJSValue(QString::fromUtf8(it.value()));
}

void ScriptBridge::storageSet(const QString& key, const QString& json)
{
    if (!require(Capability::Storage))
        return;
    if (key.isEmpty() || key.size() > kMaxStoredKeyChars) {
        runtime_.throwError(
            "InvalidArgument", QStringLiteral("keys must have 1..%1 characters").arg(kMaxStoredKeyChars));
        return;
    }
    const QByteArray value = json.toUtf8();
    auto& storage = runtime_.config_.storage;
    const int before = runtime_.storageBytes();
    const int old = storage.contains(key) ? int(key.toUtf8().size() + storage.value(key).size()) : 0;
    if (before - old + key.toUtf8().size() + value.size() > runtime_.config_.manifest.limits.storageBytes) {
        runtime_.throwError("QuotaExceeded",
            QStringLiteral("storage is limited to %1 bytes").arg(runtime_.config_.manifest.limits.storageBytes));
        return;
    }
    storage.insert(key, value);
    PluginAction action;
    action.kind = PluginAction::Kind::StorageSet;
    action.key = key;
    action.value = value;
    runtime_.callbacks_.action(action);
}

void ScriptBridge::storageRemove(const QString& key)
{
    if (!require(Capability::Storage))
        return;
    if (runtime_.config_.storage.remove(key) == 0)
        return;
    PluginAction action;
    action.kind = PluginAction::Kind::StorageRemove;
    action.key = key;
    runtime_.callbacks_.action(action);
}

QStringList ScriptBridge::storageKeys()
{
    if (!require(Capability::Storage))
        return {};
    QStringList keys = runtime_.config_.storage.keys();
    keys.sort();
    return keys;
}

int ScriptBridge::setTimer(double delayMs)
{
    if (!require(Capability::Timer))
        return 0;
    if (!(delayMs >= 0 && delayMs <= double(kMaxTimerMs))) {
        runtime_.throwError("InvalidArgument", QStringLiteral("the delay must lie in 0..%1 ms").arg(kMaxTimerMs));
        return 0;
    }
    if (runtime_.timers_.size() >= runtime_.config_.manifest.limits.timers) {
        runtime_.throwError(
            "QuotaExceeded", QStringLiteral("at most %1 pending timers").arg(runtime_.config_.manifest.limits.timers));
        return 0;
    }
    const int id = runtime_.nextId_++;
    auto* timer = new QTimer(&runtime_);
    timer->setSingleShot(true);
    PluginRuntime* runtime = &runtime_;
    QObject::connect(timer, &QTimer::timeout, &runtime_, [runtime, id] {
        QTimer* t = runtime->timers_.take(id);
        if (t)
            t->deleteLater();
        if (!runtime->guard_->has(Capability::Timer))
            return;
        runtime->dispatchEvent(QStringLiteral("timer"), { { QStringLiteral("id"), id } });
    });
    runtime_.timers_.insert(id, timer);
    timer->start(static_cast<int>(delayMs));
    return id;
}

void ScriptBridge::clearTimer(int id)
{
    if (QTimer* t = runtime_.timers_.take(id))
        t->deleteLater();
}

} // namespace tenchat::core::plugins
