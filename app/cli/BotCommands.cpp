// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat-cli bot: run a plugin headless against a profile (for bots living
// on a server), verify a package, and sign packages as a publisher.
#include "CliCommands.h"
#include "CliContext.h"

#include "tenchat/core/plugins/MessengerEnvironment.h"
#include "tenchat/core/plugins/PluginHost.h"
#include "tenchat/core/plugins/PluginPackage.h"
#include "tenchat/crypto/Ed25519.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

#include <atomic>
#include <csignal>

namespace tenchat::cli {

using namespace tenchat::core::plugins;

namespace {

std::atomic<bool> gStopRequested { false };

void onStopSignal(int)
{
    gStopRequested.store(true);
}

// The grant: what the manifest requests, narrowed by --grant and --scope.
std::optional<PluginGrant> grantFrom(CliContext& context, const Manifest& manifest, QString* error)
{
    PluginGrant grant { manifest.capabilities, manifest.scopes };
    if (auto list = context.option(QStringLiteral("grant"))) {
        auto set = capabilitySetFromNames(list->split(QLatin1Char(','), Qt::SkipEmptyParts));
        if (!set) {
            *error = QStringLiteral("--grant lists an unknown capability");
            return std::nullopt;
        }
        if ((*set & ~manifest.capabilities) != 0) {
            *error = QStringLiteral("--grant can only narrow the manifest's capabilities");
            return std::nullopt;
        }
        grant.capabilities = *set;
    }
    if (auto list = context.option(QStringLiteral("scope"))) {
        auto scopes = ResourceScopes::parse(list->split(QLatin1Char(','), Qt::SkipEmptyParts));
        if (!scopes || !manifest.scopes.covers(*scopes)) {
            *error = QStringLiteral("--scope must be valid scopes within the manifest's");
            return std::nullopt;
        }
        grant.scopes = *scopes;
    }
    return grant;
}

QString signatureLine(const PluginPackage& package, PluginExpected<SignatureStatus> status)
{
    if (!status)
        return QStringLiteral("INVALID (tampered)");
    if (*status == SignatureStatus::Unsigned)
        return QStringLiteral("unsigned");
    return QStringLiteral("valid, publisher '%1' key %2")
        .arg(package.manifest().publisherName, QString::fromLatin1(package.manifest().publisherKey.toBase64()));
}

int runBotRun(CliContext& context)
{
    if (context.positionals().size() != 2)
        return context.usage(QStringLiteral("bot run needs a plugin folder or .zip"));
    auto package = PluginPackage::load(context.positionals().at(1));
    if (!package)
        return context.failure(package.error().describe());
    auto signature = package->verifySignature();
    if (!signature)
        return context.failure(signature.error().describe());
    const Manifest& manifest = package->manifest();
    if (*signature == SignatureStatus::Unsigned && !context.option(QStringLiteral("allow-unsigned")))
        return context.failure(QStringLiteral("%1 is not signed: pass --allow-unsigned to run it").arg(manifest.name));
    if (*signature == SignatureStatus::Valid && !context.option(QStringLiteral("accept-publisher")))
        return context.failure(
            QStringLiteral("%1 is signed by '%2' (%3): pass --accept-publisher to run it")
                .arg(manifest.name, manifest.publisherName, QString::fromLatin1(manifest.publisherKey.toBase64())));
    QString error;
    const auto grant = grantFrom(context, manifest, &error);
    if (!grant)
        return context.usage(error);
    const auto timeout = context.intOption(QStringLiteral("timeout"));
    if (timeout && *timeout < 0)
        return context.usage(QStringLiteral("--timeout takes a non-negative number"));
    if (int code = context.openAccount(); code != kExitOk)
        return code;

    auto& messenger = context.messenger();
    MessengerEnvironment environment(messenger);
    PluginHost host(environment);
    environment.attach(host);
    QObject::connect(
        &host, &PluginHost::logAppended, [&](const QString& plugin, const QString& level, const QString& text) {
            context.print(
                QJsonObject { { QStringLiteral("event"), QStringLiteral("log") }, { QStringLiteral("plugin"), plugin },
                    { QStringLiteral("level"), level }, { QStringLiteral("text"), text } },
                QStringLiteral("[%1] %2: %3").arg(plugin, level, text));
        });
    QObject::connect(
        &host, &PluginHost::actionPerformed, [&](const QString& plugin, const QString& action, const QString& detail) {
            context.print(QJsonObject { { QStringLiteral("event"), QStringLiteral("action") },
                              { QStringLiteral("plugin"), plugin }, { QStringLiteral("action"), action },
                              { QStringLiteral("id"), detail } },
                QStringLiteral("[%1] %2 %3").arg(plugin, action, detail));
        });
    QObject::connect(&host, &PluginHost::started, [&](const QString& plugin, bool ok) {
        if (!ok) {
            context.finish(context.failure(QStringLiteral("%1: main.js failed (see the log above)").arg(plugin)));
            return;
        }
        context.print(
            QJsonObject { { QStringLiteral("event"), QStringLiteral("started") }, { QStringLiteral("plugin"), plugin },
                { QStringLiteral("capabilities"), QJsonArray::fromStringList(capabilityNames(grant->capabilities)) },
                { QStringLiteral("scopes"), QJsonArray::fromStringList(grant->scopes.toStrings()) } },
            QStringLiteral("%1 %2 running with %3 in %4")
                .arg(plugin, manifest.version, capabilityNames(grant->capabilities).join(QLatin1Char(',')),
                    grant->scopes.toStrings().join(QLatin1Char(','))));
    });
    QObject::connect(&host, &PluginHost::disabledByHost, [&](const QString& plugin, const QString& reason) {
        context.finish(context.failure(QStringLiteral("%1 disabled: %2").arg(plugin, reason)));
    });
    QObject::connect(&messenger.sync(), &core::messaging::SyncCoordinator::fatalError,
        [&](const QString& reason) { context.finish(context.failure(reason)); });

    gStopRequested.store(false);
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
    QTimer stopPoll;
    QObject::connect(&stopPoll, &QTimer::timeout, [&] {
        if (gStopRequested.load())
            context.finish(kExitOk);
    });
    stopPoll.start(200);

    messenger.start();
    if (auto started = host.start(manifest, package->mainScript(), *grant); !started)
        return context.failure(started.error().describe());
    const int code = context.run(timeout ? int(*timeout * 1000) : 0);
    host.stopAll();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    return code >= 0 ? code : kExitOk;
}

int runBotVerify(CliContext& context)
{
    if (context.positionals().size() != 2)
        return context.usage(QStringLiteral("bot verify needs a plugin folder or .zip"));
    auto package = PluginPackage::load(context.positionals().at(1));
    if (!package)
        return context.failure(package.error().describe());
    const Manifest& m = package->manifest();
    auto signature = package->verifySignature();
    context.print(QJsonObject { { QStringLiteral("name"), m.name }, { QStringLiteral("version"), m.version },
                      { QStringLiteral("capabilities"), QJsonArray::fromStringList(capabilityNames(m.capabilities)) },
                      { QStringLiteral("scopes"), QJsonArray::fromStringList(m.scopes.toStrings()) },
                      { QStringLiteral("digest"), package->digest() },
                      { QStringLiteral("signature"), signatureLine(*package, signature) } },
        QStringLiteral("%1 %2\ncapabilities: %3\nscopes: %4\ndigest: %5\nsignature: %6")
            .arg(m.name, m.version, capabilityNames(m.capabilities).join(QStringLiteral(", ")),
                m.scopes.toStrings().join(QStringLiteral(", ")), package->digest(),
                signatureLine(*package, signature)));
    return signature ? kExitOk : kExitFailure;
}

int runBotKeygen(CliContext& context)
{
    if (context.positionals().size() != 2)
        return context.usage(QStringLiteral("bot keygen needs the file to write the secret key to"));
    const QString path = context.positionals().at(1);
    if (QFile::exists(path))
        return context.failure(QStringLiteral("%1 exists already").arg(path));
    const auto keys = crypto::generateEd25519KeyPair();
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return context.failure(QStringLiteral("cannot create %1").arg(path));
    const QByteArray secret
        = QByteArray(reinterpret_cast<const char*>(keys.secretKey.data()), qsizetype(keys.secretKey.size())).toBase64();
    file.write(secret + '\n');
    file.close();
    const QString publicKey = QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(keys.publicKey.data()), qsizetype(keys.publicKey.size())).toBase64());
    context.print(
        QJsonObject { { QStringLiteral("publicKey"), publicKey } }, QStringLiteral("public key: ") + publicKey);
    return kExitOk;
}

int runBotSign(CliContext& context)
{
    const auto keyFile = context.option(QStringLiteral("key"));
    const auto publisher = context.option(QStringLiteral("publisher"));
    if (context.positionals().size() != 2 || !keyFile || !publisher)
        return context.usage(QStringLiteral("bot sign needs a plugin folder, --key FILE and --publisher NAME"));
    const QString dir = context.positionals().at(1);
    auto package = PluginPackage::load(dir);
    if (!package)
        return context.failure(package.error().describe());
    if (!QFileInfo(dir).isDir())
        return context.usage(QStringLiteral("bot sign signs a folder (zip it afterwards)"));
    QFile file(*keyFile);
    if (!file.open(QIODevice::ReadOnly))
        return context.failure(QStringLiteral("cannot read %1").arg(*keyFile));
    QByteArray decoded = QByteArray::fromBase64(file.readAll().trimmed());
    crypto::SecretBytes secret(
        crypto::ByteView(reinterpret_cast<const std::uint8_t*>(decoded.constData()), size_t(decoded.size())));
    decoded.fill('\0');
    auto signedFiles = PluginPackage::sign(package->files(), secret, *publisher);
    if (!signedFiles)
        return context.failure(signedFiles.error().describe());
    QFile manifest(QDir(dir).filePath(QStringLiteral("manifest.json")));
    const QByteArray bytes = signedFiles->value(QStringLiteral("manifest.json"));
    if (!manifest.open(QIODevice::WriteOnly | QIODevice::Truncate) || manifest.write(bytes) != bytes.size())
        return context.failure(QStringLiteral("cannot write %1").arg(manifest.fileName()));
    context.print(QJsonObject { { QStringLiteral("signed"), package->manifest().name } },
        QStringLiteral("signed %1").arg(package->manifest().name));
    return kExitOk;
}

} // namespace

int runBot(CliContext& context)
{
    const QString sub = context.positionals().value(0);
    if (sub == QLatin1String("run"))
        return runBotRun(context);
    if (sub == QLatin1String("verify"))
        return runBotVerify(context);
    if (sub == QLatin1String("keygen"))
        return runBotKeygen(context);
    if (sub == QLatin1String("sign"))
        return runBotSign(context);
    return context.usage(QStringLiteral("bot needs run, verify, keygen or sign"));
}

} // namespace tenchat::cli
