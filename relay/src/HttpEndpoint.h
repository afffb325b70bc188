// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A minimal HTTP/1.0 server for GET /metrics (Prometheus text) and
// GET /healthz on --metrics HOST:PORT. Bounded request size, one response
// per connection.

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <functional>

namespace tenchat::relay {

class HttpEndpoint : public QObject {
    Q_OBJECT
public:
    // `healthy` is asked on every /healthz.
    HttpEndpoint(std::function<bool()> healthy, QObject* parent = nullptr);

    bool listen(const QHostAddress& host, quint16 port);
    quint16 port() const { return server_.serverPort(); }
    QString errorString() const { return server_.errorString(); }

private:
    void onConnection();

    QTcpServer server_;
    std::function<bool()> healthy_;
};

} // namespace tenchat::relay
