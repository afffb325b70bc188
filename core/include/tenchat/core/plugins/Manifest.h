// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/Capability.h"
#include "tenchat/core/plugins/PluginError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace tenchat::core::plugins {

// Resource limits a plugin asks for; each must lie within its bounds.
struct PluginLimits {
    int messagesPerMinute = 30; // 1..600
    int cpuMillisPerEvent = 250; // 10..10000: the watchdog's time slice per run
    int storageBytes = 64 * 1024; // 0..1 MiB: keys plus values
    int timers = 16; // 0..64 pending timers

    static constexpr int kMaxMessagesPerMinute = 600;
    static constexpr int kMinCpuMillis = 10;
    static constexpr int kMaxCpuMillis = 10000;
    static constexpr int kMaxStorageBytes = 1024 * 1024;
    static constexpr int kMaxTimers = 64;
};

struct PluginCommand {
    QString name; // without the slash
    QString description;
};

// Where a plugin may act: every conversation the user allows ("all"), or a
// list of conversations ("conversation:<id>").
struct ResourceScopes {
    bool all = false;
    QStringList conversations;

    bool allows(const QString& conversationId) const { return all || conversations.contains(conversationId); }
    QStringList toStrings() const;
    static PluginExpected<ResourceScopes> parse(const QStringList& scopes);
    // Whether `narrower` allows nothing that this does not.
    bool covers(const ResourceScopes& narrower) const;
};

// manifest.json, validated (docs/plugins.md has the schema). parse() accepts
// only manifests that satisfy every rule; any other input gives the precise
// error of the first rule it breaks.
struct Manifest {
    static constexpr int kVersion = 1;
    static constexpr int kMaxBytes = 64 * 1024;

    int manifestVersion = kVersion;
    QString name;
    QString version;
    QString description;
    CapabilitySet capabilities = 0;
    ResourceScopes scopes;
    PluginLimits limits;
    QStringList contentTypes;
    QList<PluginCommand> commands;
    QString publisherName;
    QByteArray publisherKey; // 32 bytes (Ed25519), empty when unsigned
    QByteArray signature; // 64 bytes, empty when unsigned

    bool has(Capability c) const { return capabilities & bit(c); }
    bool signedPackage() const { return !signature.isEmpty(); }
    bool declaresCommand(const QString& command) const;

    static PluginExpected<Manifest> parse(const QByteArray& json);
    // The manifest object as it was read, without "signature" (the signed part).
    static QJsonObject unsignedObject(const QJsonObject& manifest);
};

} // namespace tenchat::core::plugins
