// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/MessagingError.h"
#include "tenchat/v1/frame.pb.h"

#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <cstdint>
#include <functional>
#include <unordered_map>

namespace tenchat::core::messaging {

// One WebSocket connection to the relay speaking tenchat.v1 frames: sends
// requests with connection-unique ids and matches responses by id (they may
// arrive out of order), and forwards pushed events. Requests pending when the
// connection drops fail with Network; each has its own timeout.
class RelayClient : public QObject {
    Q_OBJECT
public:
    using ResponseHandler = std::function<void(MessagingExpected<tenchat::v1::Response>)>;

    explicit RelayClient(QObject* parent = nullptr);
    ~RelayClient() override;

    void open(const QUrl& url);
    void close();
    bool isOpen() const { return open_; }

    // Sends `request`; `done` runs exactly once with the response (whatever
    // its status), or with Network/Timeout. Responses with a status other
    // than OK are returned as values: the caller decides (DEVICES_MISMATCH).
    void request(const tenchat::v1::Request& request, ResponseHandler done, int timeoutMs = 15000);

    // Number of requests waiting for an answer.
    std::size_t pendingCount() const { return pending_.size(); }

signals:
    void connected();
    void disconnected(const QString& reason);
    void eventReceived(const tenchat::v1::Event& event);

private:
    struct Pending {
        ResponseHandler done;
        qint64 deadlineMs = 0;
    };
    void onBinary(const QByteArray& bytes);
    void onDisconnected();
    void failAll(MessagingErrorCode code, const QString& reason);
    void checkTimeouts();

    QWebSocket socket_;
    QTimer timeoutTimer_;
    std::uint64_t nextRequestId_ = 1;
    std::unordered_map<std::uint64_t, Pending> pending_;
    bool open_ = false;
};

} // namespace tenchat::core::messaging
