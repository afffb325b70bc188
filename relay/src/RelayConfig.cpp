// SPDX-License-Identifier: GPL-3.0-or-later
#include "RelayConfig.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace tenchat::relay {

namespace {

Unexpected<QString> fail(const QString& message)
{
    return Unexpected<QString>(message);
}

void readNumber(const QJsonObject& o, const char* key, double& target)
{
    if (o.contains(QLatin1String(key)) && o.value(QLatin1String(key)).isDouble())
        target = o.value(QLatin1String(key)).toDouble();
}

void readInt(const QJsonObject& o, const char* key, int& target)
{
    if (o.contains(QLatin1String(key)) && o.value(QLatin1String(key)).isDouble())
        target = o.value(QLatin1String(key)).toInt();
}

void readUnsigned(const QJsonObject& o, const char* key, std::uint64_t& target)
{
    if (o.contains(QLatin1String(key)) && o.value(QLatin1String(key)).isDouble())
        target = static_cast<std::uint64_t>(std::max(0.0, o.value(QLatin1String(key)).toDouble()));
}

Expected<void, QString> applyConfigFile(const QString& path, RelayConfig& config)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read config %1: %2").arg(path, file.errorString()));
    QJsonParseError error {};
    const auto doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QStringLiteral("config %1 is not a JSON object: %2").arg(path, error.errorString()));
    const QJsonObject o = doc.object();
    const QDir base = QFileInfo(path).absoluteDir();
    const auto tls = o.value(QStringLiteral("tls")).toObject();
    if (!tls.isEmpty()) {
        config.tlsCertificate = base.absoluteFilePath(tls.value(QStringLiteral("certificate")).toString());
        config.tlsKey = base.absoluteFilePath(tls.value(QStringLiteral("key")).toString());
    }
    readInt(o, "maxConnections", config.maxConnections);
    readInt(o, "maxFrameBytes", config.maxFrameBytes);
    readInt(o, "sendQueueMaxBytes", config.sendQueueMaxBytes);
    readInt(o, "garbageLimit", config.garbageLimit);
    readInt(o, "authTimeoutSeconds", config.authTimeoutSeconds);
    readNumber(o, "connectionRate", config.connectionRate);
    readNumber(o, "connectionBurst", config.connectionBurst);
    readNumber(o, "accountRate", config.accountRate);
    readNumber(o, "accountBurst", config.accountBurst);
    readNumber(o, "bundleFetchPerMinute", config.bundleFetchPerMinute);
    readNumber(o, "bundleFetchBurst", config.bundleFetchBurst);
    readNumber(o, "registrationsPerMinute", config.registrationsPerMinute);
    readNumber(o, "registrationBurst", config.registrationBurst);
    double threshold = config.preKeyLowThreshold;
    readNumber(o, "preKeyLowThreshold", threshold);
    config.preKeyLowThreshold = static_cast<std::uint32_t>(std::max(0.0, threshold));
    double retention = static_cast<double>(config.maxRetentionSeconds);
    readNumber(o, "maxRetentionSeconds", retention);
    config.maxRetentionSeconds = static_cast<std::uint64_t>(std::max(0.0, retention));
    readInt(o, "purgeIntervalSeconds", config.purgeIntervalSeconds);
    readInt(o, "groupCommitMaxBatch", config.groupCommitMaxBatch);
    readInt(o, "maxBlobChunkBytes", config.maxBlobChunkBytes);
    readUnsigned(o, "maxBlobFileBytes", config.maxBlobFileBytes);
    readUnsigned(o, "blobQuotaBytes", config.blobQuotaBytes);
    readUnsigned(o, "blobGraceSeconds", config.blobGraceSeconds);
    readUnsigned(o, "blobSessionSeconds", config.blobSessionSeconds);
    if (o.contains(QStringLiteral("durability")))
        config.synchronousFull = o.value(QStringLiteral("durability")).toString() != QStringLiteral("normal");
    if (o.contains(QStringLiteral("logLevel")))
        config.logLevel = o.value(QStringLiteral("logLevel")).toString();
    if (o.contains(QStringLiteral("logSalt")))
        config.logSalt = o.value(QStringLiteral("logSalt")).toString();
    if (config.maxConnections < 1 || config.maxFrameBytes < 1024 || config.garbageLimit < 1
        || config.purgeIntervalSeconds < 1 || config.groupCommitMaxBatch < 1 || config.connectionRate <= 0
        || config.accountRate <= 0 || config.bundleFetchPerMinute <= 0 || config.registrationsPerMinute <= 0
        || config.maxBlobChunkBytes < 1024 || config.maxBlobChunkBytes > (64 << 20) || config.blobSessionSeconds < 1)
        return fail(QStringLiteral("config %1: a limit is out of range").arg(path));
    if (config.tlsCertificate.isEmpty() != config.tlsKey.isEmpty())
        return fail(QStringLiteral("config %1: tls needs both certificate and key").arg(path));
    return {};
}

} // namespace

bool parseHostPort(const QString& spec, QHostAddress& host, quint16& port)
{
    const int colon = spec.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    bool ok = false;
    const uint value = spec.mid(colon + 1).toUInt(&ok);
    if (!ok || value > 65535)
        return false;
    QString hostPart = spec.left(colon);
    if (hostPart.startsWith(QLatin1Char('[')) && hostPart.endsWith(QLatin1Char(']')))
        hostPart = hostPart.mid(1, hostPart.size() - 2);
    if (hostPart == QStringLiteral("localhost"))
        hostPart = QStringLiteral("127.0.0.1");
    if (!host.setAddress(hostPart))
        return false;
    port = static_cast<quint16>(value);
    return true;
}

Expected<RelayConfig, QString> parseRelayConfig(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("TenChat relay: routes and stores end-to-end encrypted messages (ciphertext only)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption listen(QStringLiteral("listen"),
        QStringLiteral("Address to listen on (default 127.0.0.1:8787; port 0 picks a free one)."),
        QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:8787"));
    const QCommandLineOption data(QStringLiteral("data"), QStringLiteral("Data directory."), QStringLiteral("DIR"));
    const QCommandLineOption configFile(
        QStringLiteral("config"), QStringLiteral("JSON configuration file."), QStringLiteral("FILE"));
    const QCommandLineOption metrics(QStringLiteral("metrics"),
        QStringLiteral("Serve /metrics and /healthz over HTTP on this address."), QStringLiteral("HOST:PORT"));
    parser.addOptions({ listen, data, configFile, metrics });
    parser.process(arguments); // exits on --help/--version and on unknown options

    RelayConfig config;
    if (!parseHostPort(parser.value(listen), config.listenHost, config.listenPort))
        return fail(QStringLiteral("--listen expects HOST:PORT, got '%1'").arg(parser.value(listen)));
    if (parser.isSet(metrics)) {
        config.metricsSpec = parser.value(metrics);
        if (!parseHostPort(config.metricsSpec, config.metricsHost, config.metricsPort))
            return fail(QStringLiteral("--metrics expects HOST:PORT, got '%1'").arg(config.metricsSpec));
    }
    config.dataDir = parser.isSet(data)
        ? parser.value(data)
        : QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/tenchat-relay");
    if (parser.isSet(configFile)) {
        if (auto applied = applyConfigFile(parser.value(configFile), config); !applied)
            return fail(applied.error());
    }
    return config;
}

} // namespace tenchat::relay
