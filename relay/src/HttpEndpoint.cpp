// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpEndpoint.h"

#include "Metrics.h"

#include <QTcpSocket>
#include <QTimer>

namespace tenchat::relay {

HttpEndpoint::HttpEndpoint(std::function<bool()> healthy, QObject* parent)
    : QObject(parent), healthy_(std::move(healthy))
{
    connect(&server_, &QTcpServer::newConnection, this, &HttpEndpoint::onConnection);
}

bool HttpEndpoint::listen(const QHostAddress& host, quint16 port)
{
    return server_.listen(host, port);
}

void HttpEndpoint::onConnection()
{
    while (QTcpSocket* socket = server_.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(5000, socket, [socket] { socket->abort(); });
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
            if (socket->bytesAvailable() > 8192 && !socket->canReadLine()) {
                socket->abort();
                return;
            }
            if (!socket->canReadLine())
                return;
            const QList<QByteArray> parts = socket->readLine(8192).trimmed().split(' ');
            QByteArray status = "404 Not Found";
            QByteArray type = "text/plain";
            QByteArray body = "not found\n";
            if (parts.size() >= 2 && parts[0] == "GET") {
                if (parts[1] == "/metrics") {
                    status = "200 OK";
                    type = "text/plain; version=0.0.4";
                    body = QByteArray::fromStdString(Metrics::instance().render());
                } else if (parts[1] == "/healthz") {
                    const bool ok = healthy_();
                    status = ok ? "200 OK" : "503 Service Unavailable";
                    body = ok ? "ok\n" : "unhealthy\n";
                }
            }
            socket->write("HTTP/1.0 " + status + "\r\nContent-Type: " + type
                + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            socket->disconnectFromHost();
        });
    }
}

} // namespace tenchat::relay
