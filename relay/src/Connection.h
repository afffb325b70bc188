// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One client WebSocket. Holds the connection's protocol state (hello,
// authentication), its rate-limit bucket and garbage counter, and a bounded
// priority send queue: responses and log entries first, then receipts, then
// typing/presence. Under backpressure typing/presence go first, then live
// pushes (the client is told to sync), never responses.

#include "TokenBucket.h"

#include "tenchat/v1/frame.pb.h"

#include <QObject>
#include <QPointer>
#include <QWebSocket>

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <set>
#include <string>

namespace tenchat::relay {

enum class ConnectionState { AwaitingHello, Unauthenticated, Authenticated, Closing };

// Send priorities, most important first.
enum class SendPriority : int { Primary = 0, Receipt = 1, Ephemeral = 2 };

struct ConnectionLimits {
    std::int64_t sendQueueMaxBytes = 8 << 20;
    int garbageLimit = 8;
    double rate = 2000;
    double burst = 4000;
};

class Connection : public QObject {
    Q_OBJECT
public:
    using FrameHandler = std::function<void(Connection&, const QByteArray&)>;

    Connection(std::uint64_t id, QWebSocket* socket, const ConnectionLimits& limits, QObject* parent = nullptr);
    ~Connection() override;

    std::uint64_t id() const { return id_; }
    ConnectionState state() const { return state_; }
    void setState(ConnectionState state) { state_ = state; }

    const std::string& challenge() const { return challenge_; }
    void setChallenge(std::string challenge) { challenge_ = std::move(challenge); }
    void setDevice(std::string userId, std::uint32_t deviceId)
    {
        userId_ = std::move(userId);
        deviceId_ = deviceId;
    }
    const std::string& userId() const { return userId_; }
    std::uint32_t deviceId() const { return deviceId_; }
    bool authenticated() const { return state_ == ConnectionState::Authenticated; }
    std::set<std::string>& features() { return features_; }
    bool hasFeature(std::string_view feature) const { return features_.count(std::string(feature)) != 0; }

    void setFrameHandler(FrameHandler handler) { handler_ = std::move(handler); }

    void respond(std::uint64_t requestId, tenchat::v1::Response&& response);
    // Pushes an event. Returns false when it was dropped (queue full).
    bool push(tenchat::v1::Event&& event, SendPriority priority);

    // Counts a malformed frame; disconnects once the limit is reached.
    void countGarbage(const char* why);
    bool takeToken(std::int64_t nowMs) { return bucket_.take(nowMs); }
    std::uint32_t retryAfterMs() const { return bucket_.retryAfterMs(); }

    std::int64_t queuedBytes() const { return queuedBytes_; }
    void close(QWebSocketProtocol::CloseCode code, const QString& reason);
    // Sends what is queued, then closes with "going away".
    void drainAndClose();

signals:
    void closed(std::uint64_t id);

private:
    void enqueue(QByteArray bytes, SendPriority priority);
    void flush();
    void onBinary(const QByteArray& message);

    std::uint64_t id_;
    QPointer<QWebSocket> socket_;
    ConnectionLimits limits_;
    ConnectionState state_ = ConnectionState::AwaitingHello;
    std::string challenge_;
    std::string userId_;
    std::uint32_t deviceId_ = 0;
    std::set<std::string> features_;
    FrameHandler handler_;
    TokenBucket bucket_;
    int garbage_ = 0;
    std::array<std::deque<QByteArray>, 3> queues_;
    std::int64_t queuedBytes_ = 0;
    bool syncRequiredPending_ = false;
    bool closeAfterDrain_ = false;
};

} // namespace tenchat::relay
