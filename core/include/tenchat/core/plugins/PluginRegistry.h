// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/PluginHost.h"
#include "tenchat/core/plugins/PluginPackage.h"

#include <QObject>

#include <optional>

namespace tenchat::core::plugins {

class PluginEnvironment;

struct InstallOptions {
    // The extra confirmations the user gives in the review dialog (or on the
    // command line): without them an unsigned package, or one signed by a key
    // not trusted yet, is refused with Unsigned / UnknownPublisher.
    bool allowUnsigned = false;
    bool acceptUnknownPublisher = false; // also trusts the key from now on
    std::optional<CapabilitySet> capabilities; // default: everything requested
    std::optional<ResourceScopes> scopes; // default: as requested
    bool enable = true;
};

struct InstalledPlugin {
    Manifest manifest;
    PluginGrant grant;
    bool enabled = false;
    QString origin; // "signed", "unsigned" or "bundled"
    QString digest; // PluginPackage::digest() at install time
    QString disabledReason;
    QString directory;
};

// The plugins installed in one profile: their files in `pluginsDir/<name>/`
// and their records (grant, enabled, digest) in the profile's plugin_state
// table. Starts and stops them in a PluginHost as they are enabled, disabled,
// revoked or removed; every change is audited.
class PluginRegistry : public QObject {
    Q_OBJECT
public:
    PluginRegistry(PluginEnvironment& environment, PluginHost& host, QString pluginsDir, QObject* parent = nullptr);

    // Validates a package and its signature for the review dialog; nothing is
    // installed. A tampered package gives SignatureInvalid.
    struct Review {
        PluginPackage package;
        SignatureStatus signature = SignatureStatus::Unsigned;
        bool publisherTrusted = false;
    };
    PluginExpected<Review> review(const QString& path) const;

    PluginExpected<InstalledPlugin> install(const QString& path, const InstallOptions& options);
    // The app's own examples (echo, poll, remind), compiled in as resources.
    static QString bundledDirectory() { return QStringLiteral(":/tenchat/plugins"); }
    // Installs every package folder under `dir` that is not installed yet,
    // disabled (the app's own examples).
    PluginOk installBundled(const QString& dir);
    PluginOk remove(const QString& name);
    PluginExpected<QList<InstalledPlugin>> list() const;
    PluginExpected<InstalledPlugin> get(const QString& name) const;

    PluginOk setEnabled(const QString& name, bool enabled);
    // Revokes one capability: persisted, and the running plugin loses it at once.
    PluginOk revoke(const QString& name, Capability capability);
    // Gives a revoked capability back after the user confirmed it in the
    // review: only what the manifest requested (GrantNotRequested otherwise),
    // read.message.body only together with read.message.metadata
    // (CapabilityDependency). Persisted first, then the running plugin has it
    // at its next call; audited either way.
    PluginOk grant(const QString& name, Capability capability);
    // Starts every enabled plugin (at profile open). Failures are logged.
    void startEnabled();

    bool publisherTrusted(const QByteArray& publicKey) const;
    PluginOk trustPublisher(const QByteArray& publicKey);

signals:
    void changed();

private:
    PluginOk save(const InstalledPlugin& plugin);
    PluginOk startInstalled(const InstalledPlugin& plugin);
    void onDisabledByHost(const QString& name, const QString& reason);

    PluginEnvironment& env_;
    PluginHost& host_;
    QString pluginsDir_;
};

} // namespace tenchat::core::plugins
