// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PluginAction.h"
#include "PluginGuard.h"
#include "Watchdog.h"

#include "tenchat/core/plugins/Manifest.h"

#include <QHash>
#include <QJSValue>
#include <QMutex>
#include <QObject>
#include <QVariantMap>

#include <functional>
#include <memory>

class QJSEngine;
class QTimer;

namespace tenchat::core::plugins {

class ScriptBridge;

// What a runtime reports; each is called on the plugin's worker thread (the
// host forwards them to its own thread).
struct RuntimeCallbacks {
    std::function<void(const PluginAction&)> action;
    std::function<void(const QString& level, const QString& text)> log;
    std::function<void()> sliceExceeded;
    std::function<void(int renderId, const QString& cardJson, const QString& error)> rendered;
};

// One plugin's JavaScript sandbox: a QJSEngine living on the plugin's own
// worker thread, with no extensions installed (no Qt, console, XMLHttpRequest,
// imports), eval removed, and one frozen `tenchat` object whose functions
// reach C++ only through a bridge hidden in a closure. Every run of plugin
// code (main.js, each event, timer or render) is bounded by the CPU watchdog.
// All methods but interrupt() run on the worker thread.
class PluginRuntime : public QObject {
    Q_OBJECT
public:
    struct Config {
        Manifest manifest;
        QByteArray script;
        QHash<QString, QByteArray> storage; // the plugin's own keys
    };

    PluginRuntime(Config config, std::shared_ptr<PluginGuard> guard, RuntimeCallbacks callbacks);
    ~PluginRuntime() override;

    // Builds the sandbox and runs main.js. false when it does not compile or throws.
    bool start();
    void dispatchEvent(const QString& kind, const QVariantMap& payload);
    void render(int renderId, const QString& contentType, const QString& body, const QVariantMap& context);
    void deliverResult(int requestId, const QString& messageId, const QString& error);
    // Stops timers and destroys the engine (before the thread ends).
    void shutdown();

    // Any thread: stops the current run at once (revocation).
    void interrupt();

private:
    friend class ScriptBridge;

    // Runs plugin code under the watchdog; logs exceptions and interruptions.
    QJSValue guarded(const QString& what, const std::function<QJSValue()>& run);
    void throwError(const char* code, const QString& message);
    void log(const QString& level, const QString& text);
    int storageBytes() const;
    bool installGlobals();

    Config config_;
    std::shared_ptr<PluginGuard> guard_;
    RuntimeCallbacks callbacks_;
    QMutex engineMutex_; // guards engine_ against interrupt() from other threads
    QJSEngine* engine_ = nullptr;
    ScriptBridge* bridge_ = nullptr;
    QJSValue dispatch_;
    std::unique_ptr<Watchdog> watchdog_;
    QHash<int, QTimer*> timers_;
    int nextId_ = 1;
    int depth_ = 0; // nested runs (a callback delivered inside a run) share its slice
    bool lastRunOk_ = false; // the last guarded run finished without error or interruption
};

// The C++ side of the `tenchat` object. Not reachable from plugin code: only
// the bootstrap's closures hold it. Every method re-checks the live grant.
class ScriptBridge : public QObject {
    Q_OBJECT
public:
    explicit ScriptBridge(PluginRuntime& runtime) : runtime_(runtime) { }

    Q_INVOKABLE void on(const QString& event);
    Q_INVOKABLE void registerRenderer(const QString& contentType);
    Q_INVOKABLE void log(const QString& text);
    Q_INVOKABLE bool has(const QString& capability);
    Q_INVOKABLE QStringList granted();
    Q_INVOKABLE int send(const QString& conversationId, const QString& text, const QString& contentType,
        const QString& replyTo, bool wantResult);
    Q_INVOKABLE int edit(const QString& messageId, const QString& text, bool wantResult);
    Q_INVOKABLE int react(const QString& messageId, const QString& emoji, bool remove, bool wantResult);
    Q_INVOKABLE QJSValue storageGet(const QString& key);
    Q_INVOKABLE void storageSet(const QString& key, const QString& json);
    Q_INVOKABLE void storageRemove(const QString& key);
    Q_INVOKABLE QStringList storageKeys();
    Q_INVOKABLE int setTimer(double delayMs);
    Q_INVOKABLE void clearTimer(int id);

private:
    bool require(Capability c);
    bool takeToken();

    PluginRuntime& runtime_;
};

} // namespace tenchat::core::plugins
