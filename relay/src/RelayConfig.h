// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Everything an operator can tune. Defaults suit a team relay; the JSON
// config file (--config) overrides any subset (see docs/relay.md).

#include "tenchat/crypto/Expected.h"

#include <QHostAddress>
#include <QString>

#include <cstdint>

namespace tenchat::relay {

struct RelayConfig {
    QHostAddress listenHost { QHostAddress::LocalHost };
    quint16 listenPort = 8787;
    QString dataDir;
    QString metricsSpec; // HOST:PORT, empty = no metrics endpoint
    QHostAddress metricsHost;
    quint16 metricsPort = 0;

    QString tlsCertificate; // PEM; both set = wss://
    QString tlsKey;

    int maxConnections = 20000;
    int maxFrameBytes = 1 << 20;
    int sendQueueMaxBytes = 8 << 20; // per connection; beyond it live pushes are dropped
    int garbageLimit = 8; // bad frames before disconnect
    int authTimeoutSeconds = 60; // unauthenticated connections are closed after this

    // One append per message: a connection must be able to carry a bot's or
    // a catching-up device's burst well above the 2,000 msg/s a client
    // sustains end to end (docs/PERFORMANCE.md), while a flood is still cut.
    double connectionRate = 8000; // requests per second per connection
    double connectionBurst = 16000;
    double accountRate = 16000; // requests per second per account (all devices)
    double accountBurst = 32000;
    double bundleFetchPerMinute = 120; // per requesting account
    double bundleFetchBurst = 60;
    double registrationsPerMinute = 600; // per relay, against account floods
    double registrationBurst = 600;

    std::uint32_t preKeyLowThreshold = 10;
    std::uint64_t maxRetentionSeconds = 0; // 0 = keep until TTL/forever
    int purgeIntervalSeconds = 60;
    // Media blob store (docs/media.md).
    std::uint64_t maxBlobFileBytes = 2ull << 30; // one upload (sum of its chunks)
    std::uint64_t blobQuotaBytes = 10ull << 30; // per account, 0 = unlimited
    int maxBlobChunkBytes = (1 << 20) + 4096; // 1 MiB of plaintext + encryption overhead
    std::uint64_t blobGraceSeconds = 24 * 3600; // unreferenced blobs are kept this long
    std::uint64_t blobSessionSeconds = 12 * 3600; // an upload session expires after this
    bool synchronousFull = true; // fsync every group commit
    int groupCommitMaxBatch = 2048;
    QString logLevel = QStringLiteral("info");
    QString logSalt; // empty = random per start
};

// Parses the command line into a config (and reads --config). Returns an
// error message for bad arguments or an unreadable/invalid config file.
Expected<RelayConfig, QString> parseRelayConfig(const QStringList& arguments);

bool parseHostPort(const QString& spec, QHostAddress& host, quint16& port);

} // namespace tenchat::relay
