// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/plugins/PluginRegistry.h"

#include "tenchat/core/plugins/PluginEnvironment.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tenchat::core::plugins {

namespace {

const QString kGrantKey = QStringLiteral("sys:grant");
const QString kTrustedSetting = QStringLiteral("plugins.trustedPublishers");

QByteArray encodeRecord(const InstalledPlugin& p)
{
    QJsonObject o { { QStringLiteral("enabled"), p.enabled },
        { QStringLiteral("capabilities"), QJsonArray::fromStringList(capabilityNames(p.grant.capabilities)) },
        { QStringLiteral("scopes"), QJsonArray::fromStringList(p.grant.scopes.toStrings()) },
        { QStringLiteral("origin"), p.origin }, { QStringLiteral("digest"), p.digest },
        { QStringLiteral("disabledReason"), p.disabledReason } };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString detailJson(const QString& plugin, Capability capability)
{
    return QString::fromUtf8(QJsonDocument(QJsonObject { { QStringLiteral("plugin"), plugin },
                                               { QStringLiteral("capability"), capabilityName(capability) } })
                                 .toJson(QJsonDocument::Compact));
}

QStringList strings(const QJsonValue& v)
{
    QStringList out;
    for (const QJsonValue& s : v.toArray())
        out << s.toString();
    return out;
}

} // namespace

PluginRegistry::PluginRegistry(PluginEnvironment& environment, PluginHost& host, QString pluginsDir, QObject* parent)
    : QObject(parent), env_(environment), host_(host), pluginsDir_(std::move(pluginsDir))
{
    connect(&host_, &PluginHost::disabledByHost, this, &PluginRegistry::onDisabledByHost);
}

bool PluginRegistry::publisherTrusted(const QByteArray& publicKey) const
{
    const auto raw = env_.setting(kTrustedSetting);
    return raw && strings(QJsonDocument::fromJson(*raw).array()).contains(QString::fromLatin1(publicKey.toBase64()));
}

PluginOk PluginRegistry::trustPublisher(const QByteArray& publicKey)
{
    if (publicKey.size() != 32)
        return pluginError(PluginErrorCode::InvalidPublisher, QStringLiteral("a publisher key has 32 bytes"));
    if (publisherTrusted(publicKey))
        return {};
    const auto raw = env_.setting(kTrustedSetting);
    QStringList keys = raw ? strings(QJsonDocument::fromJson(*raw).array()) : QStringList {};
    keys << QString::fromLatin1(publicKey.toBase64());
    env_.audit(QStringLiteral("plugin.publisher.trusted"),
        QString::fromUtf8(
            QJsonDocument(QJsonObject { { QStringLiteral("key"), keys.last() } }).toJson(QJsonDocument::Compact)));
    return env_.setSetting(
        kTrustedSetting, QJsonDocument(QJsonArray::fromStringList(keys)).toJson(QJsonDocument::Compact));
}

PluginExpected<PluginRegistry::Review> PluginRegistry::review(const QString& path) const
{
    auto package = PluginPackage::load(path);
    if (!package)
        return makeUnexpected(package.error());
    auto signature = package->verifySignature();
    if (!signature)
        return makeUnexpected(signature.error());
    Review review { std::move(*package), *signature, false };
    review.publisherTrusted
        = *signature == SignatureStatus::Valid && publisherTrusted(review.package.manifest().publisherKey);
    return review;
}

PluginExpected<InstalledPlugin> PluginRegistry::install(const QString& path, const InstallOptions& options)
{
    auto reviewed = review(path);
    if (!reviewed)
        return makeUnexpected(reviewed.error());
    const PluginPackage& package = reviewed->package;
    const Manifest& manifest = package.manifest();
    if (reviewed->signature == SignatureStatus::Unsigned && !options.allowUnsigned)
        return pluginError(PluginErrorCode::Unsigned,
            QStringLiteral("%1 is not signed: installing it needs an explicit confirmation").arg(manifest.name));
    if (reviewed->signature == SignatureStatus::Valid && !reviewed->publisherTrusted && !options.acceptUnknownPublisher)
        return pluginError(PluginErrorCode::UnknownPublisher,
            QStringLiteral("%1 is signed by '%2', a publisher key not trusted yet")
                .arg(manifest.name, manifest.publisherName));
    auto existing = env_.pluginsWithKey(kGrantKey);
    if (!existing)
        return makeUnexpected(existing.error());
    if (existing->contains(manifest.name))
        return pluginError(
            PluginErrorCode::AlreadyInstalled, QStringLiteral("%1 is installed already").arg(manifest.name));

    InstalledPlugin plugin;
    plugin.manifest = manifest;
    plugin.grant.capabilities = options.capabilities.value_or(manifest.capabilities);
    plugin.grant.scopes = options.scopes.value_or(manifest.scopes);
    if ((plugin.grant.capabilities & ~manifest.capabilities) != 0 || !manifest.scopes.covers(plugin.grant.scopes))
        return pluginError(
            PluginErrorCode::GrantNotRequested, QStringLiteral("a grant can only narrow what the manifest requests"));
    plugin.enabled = options.enable;
    plugin.origin
        = reviewed->signature == SignatureStatus::Valid ? QStringLiteral("signed") : QStringLiteral("unsigned");
    plugin.digest = package.digest();
    plugin.directory = QDir(pluginsDir_).filePath(manifest.name);

    QDir(plugin.directory).removeRecursively(); // leftovers of an interrupted install
    if (auto ok = package.writeTo(plugin.directory); !ok)
        return makeUnexpected(ok.error());
    if (auto ok = save(plugin); !ok) {
        QDir(plugin.directory).removeRecursively();
        return makeUnexpected(ok.error());
    }
    if (reviewed->signature == SignatureStatus::Valid && !reviewed->publisherTrusted)
        (void)trustPublisher(manifest.publisherKey);
    env_.audit(QStringLiteral("plugin.installed"),
        QString::fromUtf8(QJsonDocument(
            QJsonObject { { QStringLiteral("plugin"), manifest.name }, { QStringLiteral("version"), manifest.version },
                { QStringLiteral("origin"), plugin.origin }, { QStringLiteral("digest"), plugin.digest },
                { QStringLiteral("capabilities"),
                    QJsonArray::fromStringList(capabilityNames(plugin.grant.capabilities)) } })
                              .toJson(QJsonDocument::Compact)));
    if (plugin.enabled)
        (void)startInstalled(plugin);
    emit changed();
    return plugin;
}

PluginOk PluginRegistry::installBundled(const QString& dir)
{
    auto existing = env_.pluginsWithKey(kGrantKey);
    if (!existing)
        return makeUnexpected(existing.error());
    const QStringList entries = QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& entry : entries) {
        auto package = PluginPackage::load(QDir(dir).filePath(entry));
        if (!package)
            return makeUnexpected(package.error());
        if (existing->contains(package->manifest().name))
            continue;
        InstallOptions options;
        options.allowUnsigned = true; // shipped inside the application itself
        options.enable = false;
        auto installed = install(QDir(dir).filePath(entry), options);
        if (!installed)
            return makeUnexpected(installed.error());
        installed->origin = QStringLiteral("bundled");
        if (auto ok = save(*installed); !ok)
            return ok;
    }
    return {};
}

PluginOk PluginRegistry::save(const InstalledPlugin& plugin)
{
    return env_.saveState(plugin.manifest.name, kGrantKey, encodeRecord(plugin));
}

PluginExpected<InstalledPlugin> PluginRegistry::get(const QString& name) const
{
    auto state = env_.loadState(name);
    if (!state)
        return makeUnexpected(state.error());
    if (!state->contains(kGrantKey))
        return pluginError(PluginErrorCode::NotInstalled, QStringLiteral("%1 is not installed").arg(name));
    const QJsonObject record = QJsonDocument::fromJson(state->value(kGrantKey)).object();
    InstalledPlugin plugin;
    plugin.directory = QDir(pluginsDir_).filePath(name);
    auto package = PluginPackage::load(plugin.directory);
    if (!package)
        return makeUnexpected(package.error());
    plugin.manifest = package->manifest();
    plugin.enabled = record.value(QStringLiteral("enabled")).toBool();
    plugin.origin = record.value(QStringLiteral("origin")).toString();
    plugin.digest = record.value(QStringLiteral("digest")).toString();
    plugin.disabledReason = record.value(QStringLiteral("disabledReason")).toString();
    plugin.grant.capabilities
        = capabilitySetFromNames(strings(record.value(QStringLiteral("capabilities")))).value_or(0)
        & plugin.manifest.capabilities;
    auto scopes = ResourceScopes::parse(strings(record.value(QStringLiteral("scopes"))));
    plugin.grant.scopes = scopes ? *scopes : ResourceScopes {};
    // The files in the profile are checked against what the user approved.
    if (package->digest() != plugin.digest)
        return pluginError(PluginErrorCode::DigestMismatch,
            QStringLiteral("the files of %1 changed since it was installed").arg(name));
    return plugin;
}

PluginExpected<QList<InstalledPlugin>> PluginRegistry::list() const
{
    auto names = env_.pluginsWithKey(kGrantKey);
    if (!names)
        return makeUnexpected(names.error());
    QList<InstalledPlugin> out;
    for (const QString& name : *names) {
        auto plugin = get(name);
        if (plugin)
            out << *plugin;
    }
    return out;
}

PluginOk PluginRegistry::startInstalled(const InstalledPlugin& plugin)
{
    auto package = PluginPackage::load(plugin.directory);
    if (!package)
        return makeUnexpected(package.error());
    if (package->digest() != plugin.digest)
        return pluginError(PluginErrorCode::DigestMismatch, QStringLiteral("the files changed since install"));
    return host_.start(package->manifest(), package->mainScript(), plugin.grant);
}

void PluginRegistry::startEnabled()
{
    auto plugins = list();
    if (!plugins)
        return;
    for (const InstalledPlugin& plugin : *plugins)
        if (plugin.enabled && !host_.isRunning(plugin.manifest.name))
            (void)startInstalled(plugin);
}

PluginOk PluginRegistry::setEnabled(const QString& name, bool enabled)
{
    auto plugin = get(name);
    if (!plugin)
        return makeUnexpected(plugin.error());
    plugin->enabled = enabled;
    plugin->disabledReason = enabled ? QString() : QStringLiteral("disabled by the user");
    if (auto ok = save(*plugin); !ok)
        return ok;
    env_.audit(enabled ? QStringLiteral("plugin.enabled") : QStringLiteral("plugin.disabled"),
        QString::fromUtf8(
            QJsonDocument(QJsonObject { { QStringLiteral("plugin"), name } }).toJson(QJsonDocument::Compact)));
    if (!enabled)
        host_.stop(name, plugin->disabledReason);
    else if (!host_.isRunning(name))
        if (auto ok = startInstalled(*plugin); !ok)
            return ok;
    emit changed();
    return {};
}

PluginOk PluginRegistry::revoke(const QString& name, Capability capability)
{
    // The running plugin first: the revocation must not wait for the disk.
    const bool running = host_.isRunning(name);
    if (running)
        (void)host_.revoke(name, capability); // audits
    auto plugin = get(name);
    if (!plugin)
        return makeUnexpected(plugin.error());
    plugin->grant.capabilities &= ~bit(capability);
    if (auto ok = save(*plugin); !ok)
        return ok;
    if (!running)
        env_.audit(QStringLiteral("plugin.revoked"), detailJson(name, capability));
    emit changed();
    return {};
}

PluginOk PluginRegistry::grant(const QString& name, Capability capability)
{
    auto plugin = get(name);
    if (!plugin)
        return makeUnexpected(plugin.error());
    if (!plugin->manifest.has(capability))
        return pluginError(PluginErrorCode::GrantNotRequested,
            QStringLiteral("%1 did not request %2").arg(name, capabilityName(capability)));
    const CapabilitySet granted = plugin->grant.capabilities;
    if (granted & bit(capability))
        return {};
    if (capability == Capability::ReadMessageBody && !(granted & bit(Capability::ReadMessageMetadata)))
        return pluginError(PluginErrorCode::CapabilityDependency,
            QStringLiteral("read.message.body needs read.message.metadata: grant that first"));
    // Persisted first: a grant the store refused never reaches the plugin.
    plugin->grant.capabilities |= bit(capability);
    if (auto ok = save(*plugin); !ok)
        return ok;
    if (host_.isRunning(name))
        (void)host_.grant(name, capability); // audits
    else
        env_.audit(QStringLiteral("plugin.granted"), detailJson(name, capability));
    emit changed();
    return {};
}

PluginOk PluginRegistry::remove(const QString& name)
{
    auto names = env_.pluginsWithKey(kGrantKey);
    if (!names)
        return makeUnexpected(names.error());
    if (!names->contains(name))
        return pluginError(PluginErrorCode::NotInstalled, QStringLiteral("%1 is not installed").arg(name));
    host_.stop(name, QStringLiteral("removed"));
    if (auto ok = env_.clearState(name); !ok)
        return ok;
    QDir(QDir(pluginsDir_).filePath(name)).removeRecursively();
    env_.audit(QStringLiteral("plugin.removed"),
        QString::fromUtf8(
            QJsonDocument(QJsonObject { { QStringLiteral("plugin"), name } }).toJson(QJsonDocument::Compact)));
    emit changed();
    return {};
}

void PluginRegistry::onDisabledByHost(const QString& name, const QString& reason)
{
    auto plugin = get(name);
    if (!plugin)
        return;
    plugin->enabled = false;
    plugin->disabledReason = reason;
    (void)save(*plugin);
    emit changed();
}

} // namespace tenchat::core::plugins
