// SPDX-License-Identifier: GPL-3.0-or-later
// Manifest validation (each malformed case and its precise error), package
// reading (folders and zips, traversal, sizes, links), signatures, the
// install confirmations, and the card schema.
#include "FakeEnvironment.h"

#include "tenchat/core/plugins/Card.h"
#include "tenchat/core/plugins/PluginHost.h"
#include "tenchat/core/plugins/PluginPackage.h"
#include "tenchat/core/plugins/PluginRegistry.h"
#include "tenchat/crypto/Ed25519.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <zip.h>

using namespace tenchat::core::plugins;
using tenchat::testing::FakeEnvironment;

Q_DECLARE_METATYPE(PluginErrorCode)

namespace {

QJsonObject validManifest()
{
    return QJsonDocument::fromJson(R"({
        "manifestVersion": 1, "name": "org.example.bot", "version": "1.2.3",
        "description": "A test bot.",
        "capabilities": ["read.message.metadata", "read.message.body", "emit.message", "receive.command",
                         "render.payload", "storage"],
        "resourceScopes": ["all"],
        "limits": { "messagesPerMinute": 30, "cpuMillisPerEvent": 100, "storageBytes": 1000, "timers": 2 },
        "contentTypes": ["application/vnd.example.thing+json"],
        "commands": [ { "name": "hello", "description": "says hello" } ]
    })")
        .object();
}

QByteArray json(const QJsonObject& o)
{
    return QJsonDocument(o).toJson();
}

QMap<QString, QByteArray> validFiles()
{
    return { { QStringLiteral("manifest.json"), json(validManifest()) },
        { QStringLiteral("main.js"), QByteArray("tenchat.log('hi');\n") },
        { QStringLiteral("lib/util.js"), QByteArray("// helper\n") } };
}

bool writeFolder(const QString& dir, const QMap<QString, QByteArray>& files)
{
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QString path = QDir(dir).filePath(it.key());
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(it.value()) != it.value().size())
            return false;
    }
    return true;
}

bool writeZip(const QString& path, const QList<QPair<QByteArray, QByteArray>>& entries)
{
    int err = 0;
    zip_t* z = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z)
        return false;
    for (const auto& [name, data] : entries) {
        // zip_source_buffer does not copy: keep the bytes alive until zip_close.
        auto* copy = static_cast<char*>(malloc(size_t(data.size()) + 1));
        memcpy(copy, data.constData(), size_t(data.size()));
        zip_source_t* src = zip_source_buffer(z, copy, zip_uint64_t(data.size()), 1);
        if (!src || zip_file_add(z, name.constData(), src, ZIP_FL_ENC_UTF_8) < 0) {
            zip_discard(z);
            return false;
        }
    }
    return zip_close(z) == 0;
}

QList<QPair<QByteArray, QByteArray>> zipEntries(const QMap<QString, QByteArray>& files)
{
    QList<QPair<QByteArray, QByteArray>> out;
    for (auto it = files.begin(); it != files.end(); ++it)
        out.append({ it.key().toUtf8(), it.value() });
    return out;
}

} // namespace

class PackageTest : public QObject {
    Q_OBJECT

private slots:
    void validManifestParses();
    void malformedManifest_data();
    void malformedManifest();
    void packageStructure();
    void zipPackages();
    void folderWithLinkRefused();
    void signatures();
    void installConfirmations();
    void installedFilesTampered();
    void grantsOnlyNarrow();
    void bundledExamplesInstallDisabled();
    void cards();
};

void PackageTest::validManifestParses()
{
    auto m = Manifest::parse(json(validManifest()));
    QVERIFY2(m, m ? "" : qPrintable(m.error().describe()));
    QCOMPARE(m->name, QStringLiteral("org.example.bot"));
    QVERIFY(m->has(Capability::EmitMessage));
    QVERIFY(!m->has(Capability::Timer));
    QVERIFY(m->scopes.all);
    QCOMPARE(m->limits.timers, 2);
    QVERIFY(m->declaresCommand(QStringLiteral("hello")));
    QVERIFY(!m->signedPackage());
}

void PackageTest::malformedManifest_data()
{
    QTest::addColumn<QByteArray>("manifest");
    QTest::addColumn<PluginErrorCode>("code");
    using C = PluginErrorCode;
    auto with = [](const QString& key, const QJsonValue& v) {
        QJsonObject o = validManifest();
        if (v.isUndefined())
            o.remove(key);
        else
            o.insert(key, v);
        return json(o);
    };
    const QJsonValue none(QJsonValue::Undefined);
    auto caps = [](std::initializer_list<const char*> names) {
        QJsonArray a;
        for (const char* n : names)
            a.append(QString::fromLatin1(n));
        return a;
    };
    QTest::newRow("not json") << QByteArray("{ nope") << C::ManifestNotJson;
    QTest::newRow("array") << QByteArray("[1]") << C::ManifestNotJson;
    QTest::newRow("unknown field") << with(QStringLiteral("homepage"), QStringLiteral("x")) << C::ManifestUnknownField;
    QTest::newRow("no manifestVersion") << with(QStringLiteral("manifestVersion"), none) << C::ManifestMissingField;
    QTest::newRow("manifestVersion string")
        << with(QStringLiteral("manifestVersion"), QStringLiteral("1")) << C::ManifestFieldType;
    QTest::newRow("manifestVersion 2") << with(QStringLiteral("manifestVersion"), 2) << C::UnsupportedManifestVersion;
    QTest::newRow("no name") << with(QStringLiteral("name"), none) << C::ManifestMissingField;
    QTest::newRow("name with space") << with(QStringLiteral("name"), QStringLiteral("org.bad name")) << C::InvalidName;
    QTest::newRow("name without dot") << with(QStringLiteral("name"), QStringLiteral("bot")) << C::InvalidName;
    QTest::newRow("name traversal") << with(QStringLiteral("name"), QStringLiteral("../../etc")) << C::InvalidName;
    QTest::newRow("name number") << with(QStringLiteral("name"), 5) << C::ManifestFieldType;
    QTest::newRow("version") << with(QStringLiteral("version"), QStringLiteral("1.0")) << C::InvalidVersion;
    QTest::newRow("description empty") << with(QStringLiteral("description"), QStringLiteral(" "))
                                       << C::InvalidDescription;
    QTest::newRow("description long") << with(QStringLiteral("description"), QString(501, QLatin1Char('x')))
                                      << C::InvalidDescription;
    QTest::newRow("capabilities string") << with(QStringLiteral("capabilities"), QStringLiteral("emit.message"))
                                         << C::ManifestFieldType;
    QTest::newRow("capabilities missing") << with(QStringLiteral("capabilities"), none) << C::ManifestMissingField;
    QTest::newRow("unknown capability") << with(QStringLiteral("capabilities"), caps({ "emit.message", "fs.read" }))
                                        << C::UnknownCapability;
    QTest::newRow("duplicate capability")
        << with(QStringLiteral("capabilities"), caps({ "react", "react" })) << C::DuplicateCapability;
    QTest::newRow("body without metadata")
        << with(QStringLiteral("capabilities"), caps({ "read.message.body" })) << C::CapabilityDependency;
    {
        QJsonObject o = validManifest();
        o.remove(QStringLiteral("commands"));
        QTest::newRow("command without commands") << json(o) << C::CapabilityDependency;
        o = validManifest();
        o.remove(QStringLiteral("contentTypes"));
        QTest::newRow("render without contentTypes") << json(o) << C::CapabilityDependency;
    }
    QTest::newRow("scope empty id") << with(QStringLiteral("resourceScopes"), caps({ "conversation:" }))
                                    << C::InvalidScope;
    QTest::newRow("scope slash") << with(QStringLiteral("resourceScopes"), caps({ "conversation:a/b" }))
                                 << C::InvalidScope;
    QTest::newRow("scope word") << with(QStringLiteral("resourceScopes"), caps({ "everything" })) << C::InvalidScope;
    QTest::newRow("scope repeated") << with(
        QStringLiteral("resourceScopes"), caps({ "conversation:a", "conversation:a" }))
                                    << C::InvalidScope;
    QTest::newRow("scope mixed") << with(QStringLiteral("resourceScopes"), caps({ "all", "conversation:x" }))
                                 << C::MixedScopes;
    QTest::newRow("scope none") << with(QStringLiteral("resourceScopes"), QJsonArray()) << C::MixedScopes;
    QTest::newRow("rate zero") << with(
        QStringLiteral("limits"), QJsonObject { { QStringLiteral("messagesPerMinute"), 0 } })
                               << C::LimitOutOfBounds;
    QTest::newRow("rate huge") << with(
        QStringLiteral("limits"), QJsonObject { { QStringLiteral("messagesPerMinute"), 100000 } })
                               << C::LimitOutOfBounds;
    QTest::newRow("cpu huge") << with(
        QStringLiteral("limits"), QJsonObject { { QStringLiteral("cpuMillisPerEvent"), 60000 } })
                              << C::LimitOutOfBounds;
    QTest::newRow("storage huge") << with(
        QStringLiteral("limits"), QJsonObject { { QStringLiteral("storageBytes"), 1 << 30 } })
                                  << C::LimitOutOfBounds;
    QTest::newRow("rate fraction") << with(
        QStringLiteral("limits"), QJsonObject { { QStringLiteral("messagesPerMinute"), 1.5 } })
                                   << C::ManifestFieldType;
    QTest::newRow("limits unknown") << with(QStringLiteral("limits"), QJsonObject { { QStringLiteral("memory"), 1 } })
                                    << C::ManifestUnknownField;
    QTest::newRow("content type plain") << with(QStringLiteral("contentTypes"), caps({ "text/plain" }))
                                        << C::InvalidContentType;
    QTest::newRow("command name") << with(
        QStringLiteral("commands"), QJsonArray { QJsonObject { { QStringLiteral("name"), QStringLiteral("Bad!") } } })
                                  << C::InvalidCommand;
    QTest::newRow("publisher key short") << with(QStringLiteral("publisher"),
        QJsonObject {
            { QStringLiteral("name"), QStringLiteral("me") }, { QStringLiteral("publicKey"), QStringLiteral("AAAA") } })
                                         << C::InvalidPublisher;
    QTest::newRow("signature without publisher")
        << with(QStringLiteral("signature"), QString(88, QLatin1Char('A'))) << C::ManifestMissingField;
}

void PackageTest::malformedManifest()
{
    QFETCH(QByteArray, manifest);
    QFETCH(PluginErrorCode, code);
    auto m = Manifest::parse(manifest);
    QVERIFY(!m);
    QVERIFY2(m.error().code == code, qPrintable(m.error().describe()));
    QVERIFY(!m.error().message.isEmpty());
}

void PackageTest::packageStructure()
{
    auto files = validFiles();
    QVERIFY(PluginPackage::fromFiles(files));
    auto noManifest = files;
    noManifest.remove(QStringLiteral("manifest.json"));
    QCOMPARE(PluginPackage::fromFiles(noManifest).error().code, PluginErrorCode::ManifestMissing);
    auto noMain = files;
    noMain.remove(QStringLiteral("main.js"));
    QCOMPARE(PluginPackage::fromFiles(noMain).error().code, PluginErrorCode::EntryPointMissing);
    auto big = files;
    big.insert(QStringLiteral("big.bin"), QByteArray(PluginPackage::kMaxFileBytes + 1, 'x'));
    QCOMPARE(PluginPackage::fromFiles(big).error().code, PluginErrorCode::PackageTooLarge);
    for (const char* bad : { "../x.js", "/etc/passwd", "a/../../x", "a\\b.js", ".hidden", "a//b", "C:x", "./main.js" })
        QVERIFY2(!PluginPackage::safePath(QString::fromLatin1(bad)), bad);
    QVERIFY(PluginPackage::safePath(QStringLiteral("lib/util.js")));
    QCOMPARE(PluginPackage::load(QStringLiteral("/nonexistent/plugin")).error().code, PluginErrorCode::PackageNotFound);

    QTemporaryDir dir;
    QVERIFY(writeFolder(dir.filePath(QStringLiteral("p")), files));
    auto loaded = PluginPackage::load(dir.filePath(QStringLiteral("p")));
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().describe()));
    QCOMPARE(loaded->files().size(), 3);
}

void PackageTest::zipPackages()
{
    QTemporaryDir dir;
    const QString good = dir.filePath(QStringLiteral("good.zip"));
    QVERIFY(writeZip(good, zipEntries(validFiles())));
    auto loaded = PluginPackage::load(good);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().describe()));
    QCOMPARE(loaded->mainScript(), QByteArray("tenchat.log('hi');\n"));

    auto expect = [&](const QString& name, QList<QPair<QByteArray, QByteArray>> entries, PluginErrorCode code) {
        const QString path = dir.filePath(name);
        QVERIFY(writeZip(path, entries));
        auto result = PluginPackage::load(path);
        QVERIFY2(!result, qPrintable(name));
        QVERIFY2(result.error().code == code, qPrintable(name + QStringLiteral(": ") + result.error().describe()));
    };
    auto traversal = zipEntries(validFiles());
    traversal.append(qMakePair(QByteArray("../../evil.js"), QByteArray("x")));
    expect(QStringLiteral("traversal.zip"), traversal, PluginErrorCode::UnsafePath);
    auto absolute = zipEntries(validFiles());
    absolute.append(qMakePair(QByteArray("/tmp/evil.js"), QByteArray("x")));
    expect(QStringLiteral("absolute.zip"), absolute, PluginErrorCode::UnsafePath);
    // A small zip that inflates past the per-file limit.
    auto bomb = zipEntries(validFiles());
    bomb.append(qMakePair(QByteArray("zeros.bin"), QByteArray(PluginPackage::kMaxFileBytes + 1024, 0)));
    expect(QStringLiteral("bomb.zip"), bomb, PluginErrorCode::PackageTooLarge);

    QFile notZip(dir.filePath(QStringLiteral("not.zip")));
    QVERIFY(notZip.open(QIODevice::WriteOnly));
    notZip.write("this is not a zip file");
    notZip.close();
    QCOMPARE(PluginPackage::load(notZip.fileName()).error().code, PluginErrorCode::PackageUnreadable);
}

void PackageTest::folderWithLinkRefused()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("p"));
    QVERIFY(writeFolder(root, validFiles()));
    QVERIFY(QFile::link(QStringLiteral("/etc/hostname"), QDir(root).filePath(QStringLiteral("link.js"))));
    QCOMPARE(PluginPackage::load(root).error().code, PluginErrorCode::UnsafePath);
}

void PackageTest::signatures()
{
    const auto keys = tenchat::crypto::generateEd25519KeyPair();
    auto signedFiles = PluginPackage::sign(validFiles(), keys.secretKey, QStringLiteral("Example Ltd"));
    QVERIFY(signedFiles);
    auto package = PluginPackage::fromFiles(*signedFiles);
    QVERIFY2(package, package ? "" : qPrintable(package.error().describe()));
    QVERIFY(package->manifest().signedPackage());
    QCOMPARE(package->verifySignature().valueOr(SignatureStatus::Unsigned), SignatureStatus::Valid);
    QVERIFY(package->signedBytes().startsWith("tenchat-plugin-signature-v1\nmanifest "));
    QVERIFY(package->signedBytes().contains("\nfile lib/util.js "));

    // Tampering with any file, the manifest, or swapping the key.
    auto tamperedScript = *signedFiles;
    tamperedScript[QStringLiteral("main.js")] += "tenchat.messages.send('x', 'spam');";
    QCOMPARE(
        PluginPackage::fromFiles(tamperedScript)->verifySignature().error().code, PluginErrorCode::SignatureInvalid);
    auto addedFile = *signedFiles;
    addedFile.insert(QStringLiteral("extra.js"), "x");
    QCOMPARE(PluginPackage::fromFiles(addedFile)->verifySignature().error().code, PluginErrorCode::SignatureInvalid);
    QJsonObject manifest = QJsonDocument::fromJson(signedFiles->value(QStringLiteral("manifest.json"))).object();
    QJsonObject widened = manifest;
    widened.insert(QStringLiteral("capabilities"),
        QJsonArray { QStringLiteral("read.message.metadata"), QStringLiteral("read.message.body"),
            QStringLiteral("emit.message"), QStringLiteral("receive.command"), QStringLiteral("render.payload"),
            QStringLiteral("storage"), QStringLiteral("react") });
    auto tamperedManifest = *signedFiles;
    tamperedManifest[QStringLiteral("manifest.json")] = json(widened);
    QCOMPARE(
        PluginPackage::fromFiles(tamperedManifest)->verifySignature().error().code, PluginErrorCode::SignatureInvalid);
    const auto other = tenchat::crypto::generateEd25519KeyPair();
    QJsonObject swapped = manifest;
    swapped.insert(QStringLiteral("publisher"),
        QJsonObject { { QStringLiteral("name"), QStringLiteral("Example Ltd") },
            { QStringLiteral("publicKey"),
                QString::fromLatin1(
                    QByteArray(reinterpret_cast<const char*>(other.publicKey.data()), 32).toBase64()) } });
    auto swappedKey = *signedFiles;
    swappedKey[QStringLiteral("manifest.json")] = json(swapped);
    QCOMPARE(PluginPackage::fromFiles(swappedKey)->verifySignature().error().code, PluginErrorCode::SignatureInvalid);
    // Reformatting the manifest keeps the signature (canonical form).
    auto reformatted = *signedFiles;
    reformatted[QStringLiteral("manifest.json")] = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    QVERIFY(PluginPackage::fromFiles(reformatted)->verifySignature());
}

void PackageTest::installConfirmations()
{
    FakeEnvironment env;
    PluginHost host(env);
    QTemporaryDir dir;
    PluginRegistry registry(env, host, dir.filePath(QStringLiteral("installed")));
    QVERIFY(writeFolder(dir.filePath(QStringLiteral("unsigned")), validFiles()));

    InstallOptions options;
    options.enable = false;
    auto refused = registry.install(dir.filePath(QStringLiteral("unsigned")), options);
    QCOMPARE(refused.error().code, PluginErrorCode::Unsigned);
    QVERIFY(!QDir(dir.filePath(QStringLiteral("installed/org.example.bot"))).exists());
    options.allowUnsigned = true;
    auto installed = registry.install(dir.filePath(QStringLiteral("unsigned")), options);
    QVERIFY2(installed, installed ? "" : qPrintable(installed.error().describe()));
    QCOMPARE(installed->origin, QStringLiteral("unsigned"));
    QCOMPARE(registry.install(dir.filePath(QStringLiteral("unsigned")), options).error().code,
        PluginErrorCode::AlreadyInstalled);
    QVERIFY(registry.remove(QStringLiteral("org.example.bot")));
    QCOMPARE(registry.remove(QStringLiteral("org.example.bot")).error().code, PluginErrorCode::NotInstalled);

    const auto keys = tenchat::crypto::generateEd25519KeyPair();
    auto signedFiles = PluginPackage::sign(validFiles(), keys.secretKey, QStringLiteral("Example Ltd"));
    QVERIFY(writeFolder(dir.filePath(QStringLiteral("signed")), *signedFiles));
    InstallOptions strict;
    strict.enable = false;
    QCOMPARE(registry.install(dir.filePath(QStringLiteral("signed")), strict).error().code,
        PluginErrorCode::UnknownPublisher);
    strict.acceptUnknownPublisher = true;
    auto signedInstall = registry.install(dir.filePath(QStringLiteral("signed")), strict);
    QVERIFY2(signedInstall, signedInstall ? "" : qPrintable(signedInstall.error().describe()));
    QCOMPARE(signedInstall->origin, QStringLiteral("signed"));
    QVERIFY(registry.publisherTrusted(signedInstall->manifest.publisherKey));

    // A tampered signed package is refused even with every confirmation.
    auto tampered = *signedFiles;
    tampered[QStringLiteral("main.js")] = "tenchat.log('evil');";
    QJsonObject m = QJsonDocument::fromJson(tampered.value(QStringLiteral("manifest.json"))).object();
    m.insert(QStringLiteral("name"), QStringLiteral("org.example.other"));
    tampered[QStringLiteral("manifest.json")] = json(m);
    QVERIFY(writeFolder(dir.filePath(QStringLiteral("tampered")), tampered));
    InstallOptions all;
    all.allowUnsigned = all.acceptUnknownPublisher = true;
    QCOMPARE(registry.install(dir.filePath(QStringLiteral("tampered")), all).error().code,
        PluginErrorCode::SignatureInvalid);
    QVERIFY(!QDir(dir.filePath(QStringLiteral("installed/org.example.other"))).exists());
    QVERIFY(env.audited(QStringLiteral("plugin.installed")) == 2);
}

void PackageTest::installedFilesTampered()
{
    FakeEnvironment env;
    PluginHost host(env);
    QTemporaryDir dir;
    PluginRegistry registry(env, host, dir.filePath(QStringLiteral("installed")));
    QVERIFY(writeFolder(dir.filePath(QStringLiteral("src")), validFiles()));
    InstallOptions options;
    options.allowUnsigned = true;
    options.enable = false;
    QVERIFY(registry.install(dir.filePath(QStringLiteral("src")), options));
    QVERIFY(registry.get(QStringLiteral("org.example.bot")));
    QFile main(dir.filePath(QStringLiteral("installed/org.example.bot/main.js")));
    QVERIFY(main.open(QIODevice::Append));
    main.write("tenchat.messages.send('c', 'x');");
    main.close();
    QCOMPARE(registry.get(QStringLiteral("org.example.bot")).error().code, PluginErrorCode::DigestMismatch);
    QCOMPARE(
        registry.setEnabled(QStringLiteral("org.example.bot"), true).error().code, PluginErrorCode::DigestMismatch);
    QVERIFY(!host.isRunning(QStringLiteral("org.example.bot")));
}

void PackageTest::grantsOnlyNarrow()
{
    FakeEnvironment env;
    PluginHost host(env);
    QTemporaryDir dir;
    PluginRegistry registry(env, host, dir.filePath(QStringLiteral("installed")));
    QJsonObject scoped = validManifest();
    scoped.insert(QStringLiteral("resourceScopes"), QJsonArray { QStringLiteral("conversation:a") });
    auto files = validFiles();
    files[QStringLiteral("manifest.json")] = json(scoped);
    QVERIFY(writeFolder(dir.filePath(QStringLiteral("src")), files));
    InstallOptions options;
    options.allowUnsigned = true;
    options.enable = false;
    options.capabilities = bit(Capability::Timer);
    QCOMPARE(registry.install(dir.filePath(QStringLiteral("src")), options).error().code,
        PluginErrorCode::GrantNotRequested);
    options.capabilities = std::nullopt;
    options.scopes = ResourceScopes { true, {} };
    QCOMPARE(registry.install(dir.filePath(QStringLiteral("src")), options).error().code,
        PluginErrorCode::GrantNotRequested);
    options.scopes = std::nullopt;
    options.capabilities = bit(Capability::ReadMessageMetadata);
    auto installed = registry.install(dir.filePath(QStringLiteral("src")), options);
    QVERIFY(installed);
    QCOMPARE(installed->grant.capabilities, bit(Capability::ReadMessageMetadata));
    QCOMPARE(registry.get(QStringLiteral("org.example.bot"))->grant.capabilities, bit(Capability::ReadMessageMetadata));
}

void PackageTest::bundledExamplesInstallDisabled()
{
    FakeEnvironment env;
    PluginHost host(env);
    QTemporaryDir dir;
    PluginRegistry registry(env, host, dir.filePath(QStringLiteral("installed")));
    auto ok = registry.installBundled(PluginRegistry::bundledDirectory());
    QVERIFY2(ok, ok ? "" : qPrintable(ok.error().describe()));
    auto plugins = registry.list();
    QVERIFY(plugins);
    QStringList names;
    for (const auto& p : *plugins) {
        names << p.manifest.name;
        QVERIFY(!p.enabled);
        QCOMPARE(p.origin, QStringLiteral("bundled"));
    }
    QCOMPARE(names,
        (QStringList { QStringLiteral("org.tenchat.echo"), QStringLiteral("org.tenchat.poll"),
            QStringLiteral("org.tenchat.remind") }));
    QVERIFY(host.running().isEmpty());
    QVERIFY(registry.installBundled(PluginRegistry::bundledDirectory())); // idempotent
    QCOMPARE(registry.list()->size(), 3);
}

void PackageTest::cards()
{
    const QJsonObject card = QJsonDocument::fromJson(R"({
        "title": "Lunch?", "text": "2 votes",
        "fields": [ { "label": "Pizza", "value": "2 votes", "progress": 1 } ],
        "buttons": [ { "label": "Pizza", "action": "vote:1" } ] })")
                                 .object();
    auto parsed = Card::fromJson(card);
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().describe()));
    QCOMPARE(parsed->fields.size(), 1);
    QCOMPARE(parsed->buttons.first().action, QStringLiteral("vote:1"));
    QCOMPARE(parsed->toVariantMap().value(QStringLiteral("title")).toString(), QStringLiteral("Lunch?"));

    auto broken = [&](const char* key, const QJsonValue& value) {
        QJsonObject o = card;
        o.insert(QString::fromLatin1(key), value);
        auto r = Card::fromJson(o);
        return !r && r.error().code == PluginErrorCode::InvalidCard;
    };
    QVERIFY(broken("qml", QStringLiteral("Rectangle {}")));
    QVERIFY(broken("html", QStringLiteral("<b>")));
    QVERIFY(broken("title", 5));
    QVERIFY(broken("title", QString(201, QLatin1Char('x'))));
    QVERIFY(broken("images", QJsonArray { QStringLiteral("file:///etc/passwd") }));
    QVERIFY(broken("fields",
        QJsonArray {
            QJsonObject { { QStringLiteral("label"), QStringLiteral("a") }, { QStringLiteral("progress"), 2 } } }));
    QJsonArray manyButtons;
    for (int i = 0; i < 9; ++i)
        manyButtons.append(QJsonObject {
            { QStringLiteral("label"), QStringLiteral("b") }, { QStringLiteral("action"), QStringLiteral("a") } });
    QVERIFY(broken("buttons", manyButtons));
    QVERIFY(!Card::fromJson(QJsonValue(QStringLiteral("card"))));
    QVERIFY(!Card::fromJson(QJsonObject {}));
    QJsonObject withImage = card;
    withImage.insert(QStringLiteral("images"), QJsonArray { QStringLiteral("att1") });
    QVERIFY(!Card::fromJson(withImage)); // not an attachment of the message (CardImagesTest)

    const Card unsupported = Card::unsupportedCard(
        QStringLiteral("application/vnd.x+json"), QStringLiteral(R"({"fallback":"Poll: Lunch?"})"));
    QVERIFY(unsupported.unsupported);
    QCOMPARE(unsupported.fallback, QStringLiteral("Poll: Lunch?"));
    QVERIFY(Card::unsupportedCard(QStringLiteral("application/vnd.x+json"), QStringLiteral("garbage"))
                .text.contains(QStringLiteral("application/vnd.x+json")));
}

QTEST_GUILESS_MAIN(PackageTest)
#include "PackageTest.moc"
