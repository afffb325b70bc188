// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The relay: accepts WebSocket (or TLS WebSocket) connections, hands frames
// to the router, runs retention and cursor flushing, and shuts down
// gracefully (stop accepting, commit what is pending, drain and close with
// "going away").

#include "RelayContext.h"
#include "RequestRouter.h"

#include "tenchat/crypto/Expected.h"

#include <QObject>
#include <QTcpServer>
#include <QTimer>
#include <QWebSocketServer>

#include <memory>

namespace tenchat::relay {

class Connection;

class RelayServer : public QObject {
    Q_OBJECT
public:
    RelayServer(RelayContext& context, QObject* parent = nullptr);
    ~RelayServer() override;

    Expected<void, QString> listen();
    QUrl url() const;
    // Graceful shutdown; emits finished() once every connection is closed
    // (or after a deadline).
    void shutdown();

signals:
    void finished();

private:
    void onNewConnection();
    void onClosed(std::uint64_t id);
    void purge();
    void maybeFinish();

    RelayContext& ctx_;
    RequestRouter router_;
    std::unique_ptr<QWebSocketServer> server_;
    // Plain ws:// accepts TCP itself so that it can disable Nagle's algorithm
    // (small frames would otherwise wait for delayed ACKs, ~40 ms).
    std::unique_ptr<QTcpServer> tcp_;
    std::uint64_t nextConnectionId_ = 1;
    QTimer purgeTimer_;
    QTimer cursorTimer_;
    bool finishing_ = false;
};

} // namespace tenchat::relay
