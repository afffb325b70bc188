// SPDX-License-Identifier: GPL-3.0-or-later
// Granting a revoked capability again: only what the manifest requested,
// persisted and audited, effective at the running plugin's very next call,
// and never reachable from plugin code.
#include "FakeEnvironment.h"
#include "SandboxSupport.h"

#include "tenchat/core/plugins/PluginHost.h"
#include "tenchat/core/plugins/PluginRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace tenchat::core::plugins;
using namespace tenchat::testing;

namespace {
const QString kEcho = QStringLiteral("org.tenchat.echo");

Manifest readAndEmit()
{
    return makeManifest({ .capabilities = { QStringLiteral("read.message.metadata"),
                              QStringLiteral("read.message.body"), QStringLiteral("emit.message") } });
}
} // namespace

class GrantTest : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        env_ = std::make_unique<FakeEnvironment>();
        host_ = std::make_unique<PluginHost>(*env_);
    }
    void cleanup()
    {
        host_.reset();
        env_.reset();
    }
    void hostGrantTakesEffectAtOnce();
    void hostGrantsOnlyWhatWasRequested();
    void pluginCannotGrantItself();
    void registryGrantPersistsAndAudits();

private:
    std::unique_ptr<FakeEnvironment> env_;
    std::unique_ptr<PluginHost> host_;
};

void GrantTest::hostGrantTakesEffectAtOnce()
{
    FakeEnvironment& env = *env_;
    PluginHost& host = *host_;
    const Manifest m = readAndEmit();
    QVERIFY(startPlugin(host, m, R"JS(
        tenchat.on("message", function (msg) {
            try { tenchat.messages.send(msg.conversationId, "re: " + msg.body); tenchat.log("sent " + msg.body); }
            catch (e) { tenchat.log("refused " + msg.body + " " + e.code); }
        });
    )JS"));
    QVERIFY(host.revoke(m.name, Capability::EmitMessage));
    host.deliverMessage(message(QStringLiteral("c"), QStringLiteral("one"), QStringLiteral("m1")), {});
    QVERIFY(waitLog(host, m.name, QStringLiteral("refused one PermissionDenied")));
    QVERIFY(env.sent.isEmpty());

    QVERIFY(host.grant(m.name, Capability::EmitMessage));
    QVERIFY(host.granted(m.name) & bit(Capability::EmitMessage));
    host.deliverMessage(message(QStringLiteral("c"), QStringLiteral("two"), QStringLiteral("m2")), {});
    QVERIFY(waitLog(host, m.name, QStringLiteral("sent two")));
    QVERIFY(QTest::qWaitFor([&] { return env.sent.size() == 1; }, 20000));
    QCOMPARE(env.sent.first().text, QStringLiteral("re: two"));
    QCOMPARE(env.audited(QStringLiteral("plugin.granted")), 1);
    QVERIFY(logContains(host, m.name, QStringLiteral("capability granted again: emit.message")));
    const auto row = std::find_if(env.auditLog.begin(), env.auditLog.end(),
        [](const FakeEnvironment::AuditRow& r) { return r.event == QLatin1String("plugin.granted"); });
    QVERIFY(row->detail.contains(QStringLiteral("\"capability\":\"emit.message\"")));
    QVERIFY(row->detail.contains(m.name));
}

void GrantTest::hostGrantsOnlyWhatWasRequested()
{
    FakeEnvironment& env = *env_;
    PluginHost& host = *host_;
    const auto m = makeManifest({ .capabilities = { QStringLiteral("storage") } });
    QCOMPARE(host.grant(m.name, Capability::Storage).error().code, PluginErrorCode::NotInstalled);
    QVERIFY(startPlugin(host, m, "tenchat.log('up');"));
    QCOMPARE(host.grant(m.name, Capability::EmitMessage).error().code, PluginErrorCode::GrantNotRequested);
    QCOMPARE(host.granted(m.name), bit(Capability::Storage));
    QCOMPARE(env.audited(QStringLiteral("plugin.granted")), 0);
}

void GrantTest::pluginCannotGrantItself()
{
    FakeEnvironment& env = *env_;
    PluginHost& host = *host_;
    const Manifest m = readAndEmit();
    QVERIFY(startPlugin(host, m, R"JS(
        tenchat.on("message", function (msg) {
            var tries = [];
            tries.push(Object.getOwnPropertyNames(tenchat.permissions).sort().join(","));
            tries.push(typeof tenchat.permissions.grant + "/" + typeof tenchat.grant + "/"
                       + typeof tenchat.permissions.request);
            // Frozen: these fail (silently or with a TypeError) and change nothing.
            try { tenchat.permissions.grant = function () { return true; }; } catch (e) { }
            try { tenchat.permissions.has = function () { return true; }; } catch (e) { }
            try { Object.defineProperty(tenchat, "grant", { value: function () {} }); } catch (e) { }
            try { tenchat.permissions.list().push("emit.message"); } catch (e) { }
            tries.push(typeof tenchat.permissions.grant + "/" + typeof tenchat.grant);
            tries.push("list " + tenchat.permissions.list().join(","));
            tries.push("has " + tenchat.permissions.has("emit.message"));
            try { tenchat.messages.send(msg.conversationId, "still?"); tries.push("sent"); }
            catch (e) { tries.push("send " + e.code); }
            tenchat.log("tries " + tries.join(" | "));
        });
    )JS"));
    QVERIFY(host.revoke(m.name, Capability::EmitMessage));
    host.deliverMessage(message(QStringLiteral("c"), QStringLiteral("go")), {});
    QVERIFY(waitLog(host, m.name, QStringLiteral("tries ")));
    QString line;
    for (const PluginLogEntry& e : host.log(m.name))
        if (e.text.startsWith(QStringLiteral("tries ")))
            line = e.text;
    QCOMPARE(line,
        QStringLiteral("tries has,list | undefined/undefined/undefined | undefined/undefined | "
                       "list read.message.metadata,read.message.body | has false | send PermissionDenied"));
    QTest::qWait(100);
    QVERIFY(env.sent.isEmpty());
    QVERIFY(!(host.granted(m.name) & bit(Capability::EmitMessage)));
    QCOMPARE(env.audited(QStringLiteral("plugin.granted")), 0);
}

void GrantTest::registryGrantPersistsAndAudits()
{
    FakeEnvironment& env = *env_;
    PluginHost& host = *host_;
    QTemporaryDir dir;
    PluginRegistry registry(env, host, dir.filePath(QStringLiteral("installed")));
    QVERIFY(registry.installBundled(PluginRegistry::bundledDirectory()));

    // Not running: revoked and granted in the record, both audited.
    QVERIFY(registry.revoke(kEcho, Capability::EmitMessage));
    QCOMPARE(env.audited(QStringLiteral("plugin.revoked")), 1);
    QVERIFY(!(registry.get(kEcho)->grant.capabilities & bit(Capability::EmitMessage)));
    QVERIFY(registry.grant(kEcho, Capability::EmitMessage));
    QVERIFY(registry.get(kEcho)->grant.capabilities & bit(Capability::EmitMessage));
    QCOMPARE(env.audited(QStringLiteral("plugin.granted")), 1);
    QVERIFY(registry.grant(kEcho, Capability::EmitMessage)); // granted already: nothing to do
    QCOMPARE(env.audited(QStringLiteral("plugin.granted")), 1);

    // Never more than the manifest asked for; body only with metadata.
    QCOMPARE(registry.grant(kEcho, Capability::Storage).error().code, PluginErrorCode::GrantNotRequested);
    QCOMPARE(registry.grant(QStringLiteral("org.example.none"), Capability::Storage).error().code,
        PluginErrorCode::NotInstalled);
    QVERIFY(registry.revoke(kEcho, Capability::ReadMessageMetadata));
    QVERIFY(registry.revoke(kEcho, Capability::ReadMessageBody));
    QCOMPARE(registry.grant(kEcho, Capability::ReadMessageBody).error().code, PluginErrorCode::CapabilityDependency);
    QVERIFY(registry.grant(kEcho, Capability::ReadMessageMetadata));
    QVERIFY(registry.grant(kEcho, Capability::ReadMessageBody));

    // Running: revoked mid-run, granted again, and the echo bot answers at once.
    QSignalSpy started(&host, &PluginHost::started);
    QVERIFY(registry.setEnabled(kEcho, true));
    QVERIFY(started.wait(20000));
    QVERIFY(registry.revoke(kEcho, Capability::EmitMessage));
    host.deliverMessage(message(QStringLiteral("c"), QStringLiteral("first"), QStringLiteral("m1")), {});
    QVERIFY(waitLog(host, kEcho, QStringLiteral("PermissionDenied")));
    QVERIFY(registry.grant(kEcho, Capability::EmitMessage));
    QVERIFY(host.granted(kEcho) & bit(Capability::EmitMessage));
    host.deliverMessage(message(QStringLiteral("c"), QStringLiteral("second"), QStringLiteral("m2")), {});
    QVERIFY(QTest::qWaitFor([&] { return env.sent.size() == 1; }, 20000));
    QCOMPARE(env.sent.first().text, QStringLiteral("echo: second"));
    QCOMPARE(env.audited(QStringLiteral("plugin.granted")), 4);

    // A fresh registry on the same profile (restart) sees the grant.
    PluginHost host2(env);
    PluginRegistry again(env, host2, dir.filePath(QStringLiteral("installed")));
    QVERIFY(again.get(kEcho)->grant.capabilities & bit(Capability::EmitMessage));
    host.stopAll();
}

QTEST_GUILESS_MAIN(GrantTest)
#include "GrantTest.moc"
