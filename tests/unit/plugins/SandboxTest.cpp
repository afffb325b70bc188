// SPDX-License-Identifier: GPL-3.0-or-later
// The sandbox and the host's gates: capabilities, scopes, revocation mid-run,
// the CPU watchdog, exceptions, rate limits, storage, timers, no escape.
#include "FakeEnvironment.h"
#include "SandboxSupport.h"

#include "tenchat/core/plugins/PluginHost.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace tenchat::core::plugins;
using namespace tenchat::testing;

namespace {

const QStringList kReadAndEmit { QStringLiteral("read.message.metadata"), QStringLiteral("read.message.body"),
    QStringLiteral("emit.message") };

QJsonObject limits(int perMinute, int cpuMs)
{
    return { { QStringLiteral("messagesPerMinute"), perMinute }, { QStringLiteral("cpuMillisPerEvent"), cpuMs } };
}

} // namespace

class SandboxTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void cannotSendWithoutEmitMessage();
    void scopedPluginNeverSeesOtherConversations();
    void capabilityRevokedMidRun();
    void disabledMidRunStopsAtOnce();
    void infiniteLoopInterruptedAndDisabled();
    void exceptionsAreLoggedNotFatal();
    void rateLimitHolds();
    void noEscape();
    void noAccessToOtherPluginStorage();
    void storageQuotaAndPersistence();
    void timers();
    void commandsAndRendering();

private:
    std::unique_ptr<FakeEnvironment> env_;
    std::unique_ptr<PluginHost> host_;
};

void SandboxTest::init()
{
    env_ = std::make_unique<FakeEnvironment>();
    host_ = std::make_unique<PluginHost>(*env_);
}

void SandboxTest::cleanup()
{
    host_.reset();
    env_.reset();
}

void SandboxTest::cannotSendWithoutEmitMessage()
{
    const auto m = makeManifest(
        { .capabilities = { QStringLiteral("read.message.metadata"), QStringLiteral("read.message.body") } });
    QVERIFY(startPlugin(*host_, m, R"JS(
        tenchat.on("message", function (msg) {
            try { tenchat.messages.send(msg.conversationId, "hi"); tenchat.log("sent"); }
            catch (e) { tenchat.log("refused " + e.code); }
            try { tenchat.messages.react(msg.id, "👍"); } catch (e) { tenchat.log("react " + e.code); }
        });
    )JS"));
    host_->deliverMessage(message(QStringLiteral("c1"), QStringLiteral("hello")), QStringLiteral("bob"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("refused PermissionDenied")));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("react PermissionDenied")));
    QVERIFY(!logContains(*host_, m.name, QStringLiteral("sent")));
    QTest::qWait(50);
    QVERIFY(env_->sent.isEmpty());
    QVERIFY(env_->reactions.isEmpty());
    // The manifest did not ask for it: the user cannot grant it either.
    host_->stop(m.name);
    QCOMPARE(host_->start(m, "", { m.capabilities | bit(Capability::EmitMessage), m.scopes }).error().code,
        PluginErrorCode::GrantNotRequested);
}

void SandboxTest::scopedPluginNeverSeesOtherConversations()
{
    const auto m = makeManifest({ .capabilities = kReadAndEmit, .scopes = { QStringLiteral("conversation:A") } });
    QVERIFY(startPlugin(*host_, m, R"JS(
        tenchat.on("message", function (msg) {
            tenchat.log("saw " + msg.conversationId + " " + msg.body);
            try { tenchat.messages.send("B", "leak: " + msg.body); } catch (e) { tenchat.log("to B: " + e.code); }
            tenchat.messages.send("A", "reply");
        });
    )JS"));
    host_->deliverMessage(
        message(QStringLiteral("B"), QStringLiteral("secret"), QStringLiteral("m1")), QStringLiteral("eve"));
    host_->deliverMessage(
        message(QStringLiteral("A"), QStringLiteral("public"), QStringLiteral("m2")), QStringLiteral("bob"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("saw A public")));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("to B: PermissionDenied")));
    QVERIFY(QTest::qWaitFor([&] { return env_->sentTo(QStringLiteral("A")) == 1; }, 20000));
    QVERIFY(!logContains(*host_, m.name, QStringLiteral("secret")));
    QVERIFY(!logContains(*host_, m.name, QStringLiteral("saw B")));
    QCOMPARE(env_->sentTo(QStringLiteral("B")), 0);
    // Reacting to a message of B by id is refused too (checked by the host).
    env_->messageConversation.insert(QStringLiteral("inB"), QStringLiteral("B"));
    host_->stop(m.name);
    const auto r = makeManifest({ .name = QStringLiteral("org.test.react"),
        .capabilities = { QStringLiteral("read.message.metadata"), QStringLiteral("react") },
        .scopes = { QStringLiteral("conversation:A") } });
    QVERIFY(startPlugin(*host_, r, R"JS(
        tenchat.on("message", function (msg) {
            tenchat.messages.react("inB", "👀", function (error) { tenchat.log("react B: " + error); });
        });
    )JS"));
    host_->deliverMessage(message(QStringLiteral("A"), QStringLiteral("x")), QStringLiteral("bob"));
    QVERIFY(waitLog(*host_, r.name, QStringLiteral("react B: PermissionDenied")));
    QVERIFY(env_->reactions.isEmpty());
    QVERIFY(env_->audited(QStringLiteral("plugin.denied")) >= 1);
}

void SandboxTest::capabilityRevokedMidRun()
{
    const auto m = makeManifest({ .capabilities = kReadAndEmit, .limits = limits(600, 10000) });
    QVERIFY(startPlugin(*host_, m, R"JS(
        tenchat.on("message", function (msg) {
            for (var i = 0; ; ++i) {
                try { tenchat.messages.send(msg.conversationId, "n" + i); }
                catch (e) { tenchat.log("stopped " + e.code + " after " + i); return; }
                var t = Date.now();
                while (Date.now() - t < 20) {}
            }
        });
    )JS"));
    host_->deliverMessage(message(QStringLiteral("c"), QStringLiteral("go")), QStringLiteral("bob"));
    QVERIFY(QTest::qWaitFor([&] { return env_->sent.size() >= 2; }, 20000));
    QElapsedTimer clock;
    clock.start();
    QVERIFY(host_->revoke(m.name, Capability::EmitMessage));
    const int atRevocation = int(env_->sent.size());
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("stopped PermissionDenied")));
    QVERIFY2(clock.elapsed() < 5000, "the running plugin did not notice the revocation");
    QTest::qWait(100);
    // Sends already on their way when it was revoked are refused by the host.
    QCOMPARE(int(env_->sent.size()), atRevocation);
    QVERIFY(host_->isRunning(m.name));
    QCOMPARE(env_->audited(QStringLiteral("plugin.revoked")), 1);
}

void SandboxTest::disabledMidRunStopsAtOnce()
{
    const auto m = makeManifest({ .capabilities = kReadAndEmit, .limits = limits(30, 10000) });
    QVERIFY(startPlugin(*host_, m, R"JS(
        tenchat.on("message", function () { tenchat.log("spinning"); for (;;) {} });
    )JS"));
    host_->deliverMessage(message(QStringLiteral("c"), QStringLiteral("go")), QStringLiteral("bob"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("spinning")));
    QElapsedTimer clock;
    clock.start();
    host_->stop(m.name, QStringLiteral("revoked by the user"));
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!host_->isRunning(m.name));
    QVERIFY(logContains(*host_, m.name, QStringLiteral("revoked by the user")));
}

void SandboxTest::infiniteLoopInterruptedAndDisabled()
{
    const auto m = makeManifest({ .capabilities = kReadAndEmit, .limits = limits(30, 100) });
    QVERIFY(startPlugin(*host_, m, R"JS(
        tenchat.on("message", function (msg) {
            if (msg.body === "ping") { tenchat.log("pong"); return; }
            // Catching the interruption does not help: the run still ends.
            for (;;) { try { for (;;) {} } catch (e) {} }
        });
    )JS"));
    QSignalSpy disabled(host_.get(), &PluginHost::disabledByHost);
    QElapsedTimer clock;
    clock.start();
    host_->deliverMessage(message(QStringLiteral("c"), QStringLiteral("loop")), QStringLiteral("bob"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("interrupted after its 100 ms time slice")));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    // The host (this thread) and the plugin keep working.
    host_->deliverMessage(message(QStringLiteral("c"), QStringLiteral("ping")), QStringLiteral("bob"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("pong")));
    QVERIFY(disabled.isEmpty());
    for (int i = 1; i < PluginHost::kMaxStrikes; ++i)
        host_->deliverMessage(message(QStringLiteral("c"), QStringLiteral("loop")), QStringLiteral("bob"));
    QVERIFY(disabled.wait(20000));
    QCOMPARE(disabled.first().at(0).toString(), m.name);
    QVERIFY(!host_->isRunning(m.name));
    QVERIFY(env_->audited(QStringLiteral("plugin.disabled")) == 1);
}

void SandboxTest::exceptionsAreLoggedNotFatal()
{
    const auto m = makeManifest({ .capabilities = kReadAndEmit });
    QVERIFY(startPlugin(*host_, m, R"JS(
        tenchat.on("message", function (msg) {
            if (msg.body === "boom") throw new Error("boom happened");
            if (msg.body === "null") return null.property;
            tenchat.log("handled " + msg.body);
        });
    )JS"));
    host_->deliverMessage(message(QStringLiteral("c"), QStringLiteral("boom")), QStringLiteral("bob"));
    host_->deliverMessage(message(QStringLiteral("c"), QStringLiteral("null")), QStringLiteral("bob"));
    host_->deliverMessage(message(QStringLiteral("c"), QStringLiteral("fine")), QStringLiteral("bob"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("handled fine")));
    QVERIFY(logContains(*host_, m.name, QStringLiteral("uncaught Error: boom happened")));
    QVERIFY(logContains(*host_, m.name, QStringLiteral("uncaught TypeError")));
    QVERIFY(host_->isRunning(m.name));

    // main.js that throws or does not compile: reported, nothing crashes.
    const auto bad = makeManifest({ .name = QStringLiteral("org.test.bad"), .capabilities = kReadAndEmit });
    QVERIFY(!startPlugin(*host_, bad, "throw new Error('at load');"));
    QVERIFY(waitLog(*host_, bad.name, QStringLiteral("at load")));
    const auto syntax = makeManifest({ .name = QStringLiteral("org.test.syntax"), .capabilities = kReadAndEmit });
    QVERIFY(!startPlugin(*host_, syntax, "function ( {"));
    QVERIFY(waitLog(*host_, syntax.name, QStringLiteral("SyntaxError")));
}

void SandboxTest::rateLimitHolds()
{
    const auto m = makeManifest({ .capabilities = kReadAndEmit, .limits = limits(5, 1000) });
    QVERIFY(startPlugin(*host_, m, R"JS(
        tenchat.on("message", function (msg) {
            var sent = 0, limited = 0;
            for (var i = 0; i < 12; ++i) {
                try { tenchat.messages.send(msg.conversationId, "m" + i); ++sent; }
                catch (e) { if (e.code === "RateLimited") ++limited; }
            }
            tenchat.log("sent " + sent + " limited " + limited);
        });
    )JS"));
    host_->deliverMessage(message(QStringLiteral("c"), QStringLiteral("go")), QStringLiteral("bob"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("sent 5 limited 7")));
    host_->deliverMessage(message(QStringLiteral("c"), QStringLiteral("again")), QStringLiteral("bob"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("sent 0 limited 12")));
    QVERIFY(QTest::qWaitFor([&] { return env_->sent.size() == 5; }, 20000));
    QTest::qWait(50);
    QCOMPARE(env_->sent.size(), 5);
    QCOMPARE(env_->audited(QStringLiteral("plugin.send")), 5);
}

void SandboxTest::noEscape()
{
    const auto m
        = makeManifest({ .capabilities = { QStringLiteral("read.message.metadata"), QStringLiteral("storage") } });
    QVERIFY(startPlugin(*host_, m, R"JS(
        var results = {};
        function probe(name, f) {
            try { results[name] = String(f()); } catch (e) { results[name] = "threw " + (e && e.name); }
        }
        var G = (function () { return this; })() || Function("return this")();
        probe("Qt", function () { return typeof Qt; });
        probe("XMLHttpRequest", function () { return typeof XMLHttpRequest; });
        probe("eval", function () { return typeof eval; });
        probe("indirectEval", function () { return typeof G["ev" + "al"]; });
        probe("print", function () { return typeof print; });
        probe("require", function () { return typeof require; });
        probe("fetch", function () { return typeof fetch; });
        probe("WebSocket", function () { return typeof WebSocket; });
        probe("globalQt", function () { return Object.getOwnPropertyNames(G).filter(function (n) {
            return /^(Qt|XMLHttpRequest|eval|print|console|gc|require|fetch|qsTr|WorkerScript)$/.test(n); }).join(","); });
        probe("fnCtorXhr", function () { return Function("return typeof XMLHttpRequest")(); });
        probe("import", function () { return Function("return import('file:///etc/hostname')")(); });
        probe("frozen", function () { return Object.isFrozen(tenchat) && Object.isFrozen(tenchat.messages); });
        probe("replace", function () {
            var original = tenchat.messages.send;
            tenchat.messages.send = function () {};
            return tenchat.messages.send === original ? "kept" : "replaced";
        });
        probe("redefine", function () { tenchat = {}; return typeof tenchat.messages; });
        var captured;
        Function.prototype.apply = function (self, args) { captured = self; return undefined; };
        Function.prototype.call = function (self) { captured = self; return undefined; };
        tenchat.log("probe");
        tenchat.storage.keys();
        probe("bridge", function () { return captured === undefined ? "hidden" : "leaked " + captured; });
        probe("ownKeys", function () { return Object.getOwnPropertyNames(tenchat).sort().join(","); });
        probe("proto", function () { return typeof tenchat.__proto__.deleteLater; });
        probe("storageOther", function () { return tenchat.storage.get("../org.other.plugin/secret") === undefined; });
        tenchat.log("ESCAPE " + JSON.stringify(results));
    )JS"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("ESCAPE ")));
    QString line;
    for (const auto& e : host_->log(m.name))
        if (e.text.startsWith(QStringLiteral("ESCAPE ")))
            line = e.text.mid(7);
    const QJsonObject r = QJsonDocument::fromJson(line.toUtf8()).object();
    QVERIFY2(!r.isEmpty(), qPrintable(line));
    for (const char* name :
        { "Qt", "XMLHttpRequest", "eval", "indirectEval", "print", "require", "fetch", "WebSocket", "fnCtorXhr" })
        QVERIFY2(r.value(QLatin1String(name)).toString() == QLatin1String("undefined"),
            qPrintable(QStringLiteral("%1 = %2").arg(QLatin1String(name), r.value(QLatin1String(name)).toString())));
    QCOMPARE(r.value(QStringLiteral("globalQt")).toString(), QString());
    // Dynamic import does not compile in a script, or fails: nothing is read.
    QVERIFY2(r.value(QStringLiteral("import")).toString().startsWith(QStringLiteral("threw")),
        qPrintable(r.value(QStringLiteral("import")).toString()));
    QCOMPARE(r.value(QStringLiteral("frozen")).toString(), QStringLiteral("true"));
    // Assignments to the frozen API are ignored (sloppy mode) or throw (strict mode).
    QCOMPARE(r.value(QStringLiteral("replace")).toString(), QStringLiteral("kept"));
    QCOMPARE(r.value(QStringLiteral("redefine")).toString(), QStringLiteral("object"));
    QCOMPARE(r.value(QStringLiteral("bridge")).toString(), QStringLiteral("hidden"));
    QCOMPARE(r.value(QStringLiteral("ownKeys")).toString(),
        QStringLiteral("clearTimeout,log,messages,on,permissions,plugin,renderer,setTimeout,storage"));
    QCOMPARE(r.value(QStringLiteral("proto")).toString(), QStringLiteral("undefined"));
    QCOMPARE(r.value(QStringLiteral("storageOther")).toString(), QStringLiteral("true"));
    // The frozen API still works after the attempts.
    QVERIFY(logContains(*host_, m.name, QStringLiteral("probe")));
}

void SandboxTest::noAccessToOtherPluginStorage()
{
    const auto owner
        = makeManifest({ .name = QStringLiteral("org.test.owner"), .capabilities = { QStringLiteral("storage") } });
    QVERIFY(startPlugin(*host_, owner, R"JS(tenchat.storage.set("secret", { pin: 1234 }); tenchat.log("stored");)JS"));
    QVERIFY(
        QTest::qWaitFor([&] { return env_->state.value(owner.name).contains(QStringLiteral("kv:secret")); }, 20000));
    const auto thief
        = makeManifest({ .name = QStringLiteral("org.test.thief"), .capabilities = { QStringLiteral("storage") } });
    QVERIFY(startPlugin(*host_, thief, R"JS(
        tenchat.log("THIEF " + JSON.stringify([tenchat.storage.get("secret"), tenchat.storage.get("kv:secret"),
            tenchat.storage.get("org.test.owner/secret"), tenchat.storage.keys().length]));
        tenchat.storage.set("sys:grant", { enabled: true, capabilities: ["emit.message"] });
    )JS"));
    QVERIFY(waitLog(*host_, thief.name, QStringLiteral("THIEF [null,null,null,0]")));
    // Its own "sys:grant" key lands in its own namespace, not in the host's record.
    QVERIFY(
        QTest::qWaitFor([&] { return env_->state.value(thief.name).contains(QStringLiteral("kv:sys:grant")); }, 20000));
    QVERIFY(!env_->state.value(thief.name).contains(QStringLiteral("sys:grant")));
    QCOMPARE(env_->state.value(owner.name).value(QStringLiteral("kv:secret")), QByteArray(R"({"pin":1234})"));
}

void SandboxTest::storageQuotaAndPersistence()
{
    const auto m = makeManifest(
        { .capabilities = { QStringLiteral("storage") }, .limits = { { QStringLiteral("storageBytes"), 64 } } });
    QVERIFY(startPlugin(*host_, m, R"JS(
        var n = (tenchat.storage.get("runs") || 0) + 1;
        tenchat.storage.set("runs", n);
        try { tenchat.storage.set("big", "x".repeat(100)); } catch (e) { tenchat.log("big " + e.code); }
        tenchat.log("runs " + n);
    )JS"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("big QuotaExceeded")));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("runs 1")));
    host_->stop(m.name);
    QVERIFY(startPlugin(*host_, m, R"JS(
        var n = (tenchat.storage.get("runs") || 0) + 1;
        tenchat.log("runs " + n);
    )JS"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("runs 2")));
    host_->stop(m.name);
    // Revoked storage: reads and writes fail.
    QVERIFY(startPlugin(*host_, m, R"JS(
        try { tenchat.storage.get("runs"); } catch (e) { tenchat.log("read " + e.code); }
    )JS",
        { 0, m.scopes }));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("read PermissionDenied")));
}

void SandboxTest::timers()
{
    const auto m = makeManifest({ .capabilities = { QStringLiteral("timer"), QStringLiteral("read.message.metadata") },
        .limits = { { QStringLiteral("timers"), 3 } } });
    QVERIFY(startPlugin(*host_, m, R"JS(
        tenchat.setTimeout(function () { tenchat.log("fired"); }, 10);
        var cancelled = tenchat.setTimeout(function () { tenchat.log("cancelled fired"); }, 30);
        tenchat.clearTimeout(cancelled);
        tenchat.setTimeout(function () {}, 100000);
        tenchat.setTimeout(function () {}, 100000);
        try { tenchat.setTimeout(function () {}, 1); } catch (e) { tenchat.log("third " + e.code); }
        tenchat.on("message", function () {
            tenchat.setTimeout(function () { tenchat.log("late fired"); }, 200);
        });
    )JS"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("fired")));
    QVERIFY(logContains(*host_, m.name, QStringLiteral("third QuotaExceeded")));
    QTest::qWait(100);
    QVERIFY(!logContains(*host_, m.name, QStringLiteral("cancelled fired")));
    host_->stop(m.name);

    const auto r = makeManifest({ .name = QStringLiteral("org.test.timer2"),
        .capabilities = { QStringLiteral("timer"), QStringLiteral("read.message.metadata") } });
    QVERIFY(startPlugin(*host_, r, R"JS(
        tenchat.setTimeout(function () { tenchat.log("should not fire"); }, 300);
        tenchat.log("armed");
    )JS"));
    QVERIFY(host_->revoke(r.name, Capability::Timer));
    QTest::qWait(600);
    QVERIFY(!logContains(*host_, r.name, QStringLiteral("should not fire")));
    const auto none = makeManifest(
        { .name = QStringLiteral("org.test.notimer"), .capabilities = { QStringLiteral("read.message.metadata") } });
    QVERIFY(startPlugin(*host_, none, R"JS(
        try { tenchat.setTimeout(function () {}, 1); } catch (e) { tenchat.log("timer " + e.code); }
    )JS"));
    QVERIFY(waitLog(*host_, none.name, QStringLiteral("timer PermissionDenied")));
}

void SandboxTest::commandsAndRendering()
{
    const QString type = QStringLiteral("application/vnd.test.card+json");
    const auto m = makeManifest({ .capabilities
        = { QStringLiteral("receive.command"), QStringLiteral("render.payload"), QStringLiteral("emit.message") },
        .contentTypes = { type },
        .commands = { QStringLiteral("card") } });
    QVERIFY(startPlugin(*host_, m, R"JS(
        tenchat.on("command", function (c) {
            tenchat.log("command " + c.name + " [" + c.args + "] from " + c.sender);
            tenchat.messages.send(c.conversationId, JSON.stringify({ title: c.args, fallback: "Card: " + c.args }),
                { contentType: "application/vnd.test.card+json" });
        });
        tenchat.renderer("application/vnd.test.card+json", function (data, ctx) {
            if (data.title === "bad") return { title: "x", script: "alert(1)" };
            if (data.title === "slow") for (;;) {}
            return { title: data.title, text: "for " + ctx.messageId,
                     buttons: [ { label: "Press", action: "pressed:" + ctx.messageId } ] };
        });
        tenchat.on("callback", function (cb) { tenchat.log("callback " + cb.action); });
        try { tenchat.renderer("application/vnd.other+json", function () {}); } catch (e) { tenchat.log("other " + e.code); }
        try { tenchat.messages.send("c", "{}", { contentType: "application/vnd.other+json" }); } catch (e) { tenchat.log("type " + e.code); }
    )JS"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("other PermissionDenied")));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("type PermissionDenied")));
    // A command from a contact, a local one, and text that is not a declared command.
    host_->deliverMessage(message(QStringLiteral("c"), QStringLiteral("/card Hello there")), QStringLiteral("bob"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("command card [Hello there] from bob")));
    QVERIFY(host_->submitCommand(QStringLiteral("c"), QStringLiteral("/card Local")));
    QVERIFY(!host_->submitCommand(QStringLiteral("c"), QStringLiteral("/unknown x")));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("command card [Local] from")));
    QVERIFY(QTest::qWaitFor([&] { return env_->sent.size() == 2; }, 20000));
    QCOMPARE(env_->sent.first().contentType, type);

    auto renderNow = [&](const QString& title) {
        tenchat::core::store::Message msg = message(QStringLiteral("c"),
            QStringLiteral(R"({"title":"%1","fallback":"Card: %1"})").arg(title), QStringLiteral("M1"));
        msg.contentType = type;
        std::optional<Card> result;
        host_->render(msg, [&](const Card& card) { result = card; });
        [&] { QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 20000)); }();
        return result.value_or(Card {});
    };
    const Card good = renderNow(QStringLiteral("Hello"));
    QVERIFY(!good.unsupported);
    QCOMPARE(good.title, QStringLiteral("Hello"));
    QCOMPARE(good.text, QStringLiteral("for M1"));
    QCOMPARE(good.pluginName, m.name);
    QCOMPARE(good.fallback, QStringLiteral("Card: Hello"));
    const Card bad = renderNow(QStringLiteral("bad"));
    QVERIFY(bad.unsupported);
    QCOMPARE(bad.fallback, QStringLiteral("Card: bad"));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("InvalidCard")));
    const Card slow = renderNow(QStringLiteral("slow"));
    QVERIFY(slow.unsupported);

    QVERIFY(host_->cardAction(m.name, QStringLiteral("c"), QStringLiteral("M1"), good.buttons.first().action));
    QVERIFY(waitLog(*host_, m.name, QStringLiteral("callback pressed:M1")));

    // Unknown content type: the unsupported card with the payload's fallback.
    tenchat::core::store::Message unknown = message(QStringLiteral("c"), QStringLiteral(R"({"fallback":"plain"})"));
    unknown.contentType = QStringLiteral("application/vnd.nobody+json");
    QVERIFY(!host_->canRender(unknown.contentType, unknown.conversationId));
    std::optional<Card> unsupported;
    host_->render(unknown, [&](const Card& card) { unsupported = card; });
    QVERIFY(unsupported && unsupported->unsupported);
    QCOMPARE(unsupported->fallback, QStringLiteral("plain"));
}

QTEST_GUILESS_MAIN(SandboxTest)
#include "SandboxTest.moc"
