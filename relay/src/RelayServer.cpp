// SPDX-License-Identifier: GPL-3.0-or-later
#include "RelayServer.h"

#include "Connection.h"
#include "Logger.h"
#include "Metrics.h"
#include "Responses.h"

#include <QFile>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

namespace tenchat::relay {

RelayServer::RelayServer(RelayContext& context, QObject* parent) : QObject(parent), ctx_(context), router_(context)
{
    auto& metrics = Metrics::instance();
    metrics.setProvider("connections", [this] { return static_cast<double>(ctx_.hub.size()); });
    metrics.setProvider(
        "connections_authenticated", [this] { return static_cast<double>(ctx_.hub.authenticatedCount()); });
    metrics.setProvider("send_queue_bytes", [this] {
        double total = 0;
        for (auto* c : ctx_.hub.all())
            total += static_cast<double>(c->queuedBytes());
        return total;
    });
    connect(&purgeTimer_, &QTimer::timeout, this, &RelayServer::purge);
    connect(&cursorTimer_, &QTimer::timeout, this, [this] { router_.messages().flushCursors(); });
}

RelayServer::~RelayServer()
{
    router_.commits().flushNow();
    router_.messages().flushCursors();
}

Expected<void, QString> RelayServer::listen()
{
    const bool tls = !ctx_.config.tlsCertificate.isEmpty();
    server_ = std::make_unique<QWebSocketServer>(
        QStringLiteral("tenchat-relay"), tls ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode);
    if (tls) {
        QFile certFile(ctx_.config.tlsCertificate);
        QFile keyFile(ctx_.config.tlsKey);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
            return Unexpected<QString>(QStringLiteral("cannot read the TLS certificate or key"));
        const auto chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
        QSslKey key(keyFile.readAll(), QSsl::Rsa, QSsl::Pem);
        if (key.isNull()) {
            keyFile.seek(0);
            key = QSslKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem);
        }
        if (chain.isEmpty() || key.isNull())
            return Unexpected<QString>(QStringLiteral("the TLS certificate or key does not parse (PEM expected)"));
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setLocalCertificateChain(chain);
        ssl.setPrivateKey(key);
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
        server_->setSslConfiguration(ssl);
    }
    server_->setMaxPendingConnections(1024);
    if (tls) {
        if (!server_->listen(ctx_.config.listenHost, ctx_.config.listenPort))
            return Unexpected<QString>(server_->errorString());
    } else {
        tcp_ = std::make_unique<QTcpServer>();
        tcp_->setMaxPendingConnections(1024);
        if (!tcp_->listen(ctx_.config.listenHost, ctx_.config.listenPort))
            return Unexpected<QString>(tcp_->errorString());
        connect(tcp_.get(), &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = tcp_->nextPendingConnection()) {
                socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                server_->handleConnection(socket);
            }
        });
    }
    connect(server_.get(), &QWebSocketServer::newConnection, this, &RelayServer::onNewConnection);
    purgeTimer_.start(ctx_.config.purgeIntervalSeconds * 1000);
    cursorTimer_.start(200);
    purge();
    return {};
}

QUrl RelayServer::url() const
{
    QUrl url;
    url.setScheme(ctx_.config.tlsCertificate.isEmpty() ? QStringLiteral("ws") : QStringLiteral("wss"));
    url.setHost(tcp_ ? tcp_->serverAddress().toString() : server_->serverAddress().toString());
    url.setPort(tcp_ ? tcp_->serverPort() : server_->serverPort());
    return url;
}

void RelayServer::onNewConnection()
{
    while (QWebSocket* socket = server_->nextPendingConnection()) {
        Metrics::instance().add("connections_accepted_total");
        if (ctx_.shuttingDown || static_cast<int>(ctx_.hub.size()) >= ctx_.config.maxConnections) {
            Metrics::instance().add("connections_refused_total");
            socket->close(QWebSocketProtocol::CloseCodeTooMuchData, QStringLiteral("connection limit reached"));
            socket->deleteLater();
            continue;
        }
        // Blob uploads carry one chunk per frame (the router holds every
        // other request to maxFrameBytes).
        const auto frameLimit
            = static_cast<quint64>(std::max(ctx_.config.maxFrameBytes, router_.blobs().maxPutFrameBytes()));
        socket->setMaxAllowedIncomingMessageSize(frameLimit);
        socket->setMaxAllowedIncomingFrameSize(frameLimit);
        ConnectionLimits limits;
        limits.sendQueueMaxBytes = ctx_.config.sendQueueMaxBytes;
        limits.garbageLimit = ctx_.config.garbageLimit;
        limits.rate = ctx_.config.connectionRate;
        limits.burst = ctx_.config.connectionBurst;
        auto* connection = new Connection(nextConnectionId_++, socket, limits, this);
        ctx_.hub.add(connection);
        connection->setFrameHandler([this](Connection& c, const QByteArray& bytes) { router_.onFrame(c, bytes); });
        connect(connection, &Connection::closed, this, &RelayServer::onClosed);
        // Unauthenticated connections do not linger.
        QPointer<Connection> guard(connection);
        QTimer::singleShot(ctx_.config.authTimeoutSeconds * 1000, this, [guard] {
            if (guard && !guard->authenticated())
                guard->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("authentication timeout"));
        });
    }
}

void RelayServer::onClosed(std::uint64_t id)
{
    if (auto* connection = ctx_.hub.find(id)) {
        ctx_.hub.remove(connection);
        connection->deleteLater();
    }
    maybeFinish();
}

void RelayServer::purge()
{
    router_.blobs().collectGarbage();
    const auto removed = ctx_.storage.purgeExpired(nowMs(), ctx_.config.maxRetentionSeconds * 1000);
    if (!removed) {
        Logger::instance().error(
            "purge_failed", { { QStringLiteral("error"), QString::fromStdString(removed.error().message) } });
        return;
    }
    if (*removed > 0) {
        Metrics::instance().add("entries_expired_total", static_cast<double>(*removed));
        Logger::instance().info("entries_expired", { { QStringLiteral("count"), static_cast<qint64>(*removed) } });
    }
}

void RelayServer::shutdown()
{
    if (ctx_.shuttingDown)
        return;
    ctx_.shuttingDown = true;
    Logger::instance().info(
        "shutdown_started", { { QStringLiteral("connections"), static_cast<qint64>(ctx_.hub.size()) } });
    if (tcp_)
        tcp_->close(); // stop accepting
    if (server_)
        server_->close();
    // Finish in-flight writes: pending appends are committed and answered.
    router_.commits().flushNow();
    router_.messages().flushCursors();
    for (auto* connection : ctx_.hub.all()) {
        tenchat::v1::Event event;
        event.mutable_going_away()->set_retry_after_ms(1000);
        connection->push(std::move(event), SendPriority::Primary);
        connection->drainAndClose();
    }
    finishing_ = true;
    QTimer::singleShot(3000, this, [this] { emit finished(); });
    maybeFinish();
}

void RelayServer::maybeFinish()
{
    if (finishing_ && ctx_.hub.size() == 0) {
        finishing_ = false;
        emit finished();
    }
}

} // namespace tenchat::relay
