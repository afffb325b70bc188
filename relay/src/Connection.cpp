// SPDX-License-Identifier: GPL-3.0-or-later
#include "Connection.h"

#include "Logger.h"
#include "Metrics.h"

#include <QDateTime>

namespace tenchat::relay {

namespace {
// Bytes handed to the socket at once; the rest waits in our priority queues
// so that urgent frames can overtake.
constexpr qint64 kSocketHighWater = 256 * 1024;
} // namespace

Connection::Connection(std::uint64_t id, QWebSocket* socket, const ConnectionLimits& limits, QObject* parent)
    : QObject(parent), id_(id), socket_(socket), limits_(limits),
      bucket_(limits.rate, limits.burst, QDateTime::currentMSecsSinceEpoch())
{
    socket->setParent(this);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &Connection::onBinary);
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString&) { countGarbage("text frame"); });
    connect(socket, &QWebSocket::bytesWritten, this, [this](qint64) { flush(); });
    connect(socket, &QWebSocket::disconnected, this, [this] {
        state_ = ConnectionState::Closing;
        emit closed(id_);
    });
}

Connection::~Connection() = default;

void Connection::onBinary(const QByteArray& message)
{
    Metrics::instance().add("frames_received_total");
    if (state_ == ConnectionState::Closing || !handler_)
        return;
    handler_(*this, message);
}

void Connection::respond(std::uint64_t requestId, tenchat::v1::Response&& response)
{
    tenchat::v1::Frame frame;
    frame.set_request_id(requestId);
    *frame.mutable_response() = std::move(response);
    QByteArray bytes(static_cast<qsizetype>(frame.ByteSizeLong()), Qt::Uninitialized);
    frame.SerializeToArray(bytes.data(), static_cast<int>(bytes.size()));
    enqueue(std::move(bytes), SendPriority::Primary);
}

bool Connection::push(tenchat::v1::Event&& event, SendPriority priority)
{
    if (state_ == ConnectionState::Closing)
        return false;
    const auto size = static_cast<std::int64_t>(event.ByteSizeLong());
    // Ephemeral events only while the queue is short; everything else up to
    // the bound. Past it the client is told to catch up by sync.
    const std::int64_t bound
        = priority == SendPriority::Ephemeral ? limits_.sendQueueMaxBytes / 8 : limits_.sendQueueMaxBytes;
    if (queuedBytes_ + size > bound) {
        Metrics::instance().add(
            priority == SendPriority::Ephemeral ? "ephemeral_dropped_total" : "pushes_dropped_total");
        if (priority != SendPriority::Ephemeral && !syncRequiredPending_) {
            syncRequiredPending_ = true;
            tenchat::v1::Frame frame;
            frame.mutable_event()->mutable_sync_required()->set_reason("send queue full");
            enqueue(QByteArray::fromStdString(frame.SerializeAsString()), SendPriority::Primary);
        }
        return false;
    }
    tenchat::v1::Frame frame;
    *frame.mutable_event() = std::move(event);
    QByteArray bytes(static_cast<qsizetype>(frame.ByteSizeLong()), Qt::Uninitialized);
    frame.SerializeToArray(bytes.data(), static_cast<int>(bytes.size()));
    enqueue(std::move(bytes), priority);
    return true;
}

void Connection::enqueue(QByteArray bytes, SendPriority priority)
{
    if (!socket_ || state_ == ConnectionState::Closing)
        return;
    queuedBytes_ += bytes.size();
    queues_[static_cast<int>(priority)].push_back(std::move(bytes));
    flush();
}

void Connection::flush()
{
    if (!socket_)
        return;
    while (queuedBytes_ > 0 && socket_->bytesToWrite() < kSocketHighWater) {
        QByteArray next;
        for (auto& queue : queues_) {
            if (!queue.empty()) {
                next = std::move(queue.front());
                queue.pop_front();
                break;
            }
        }
        queuedBytes_ -= next.size();
        socket_->sendBinaryMessage(next);
        Metrics::instance().add("frames_sent_total");
    }
    if (queuedBytes_ == 0)
        syncRequiredPending_ = false;
    if (closeAfterDrain_ && queuedBytes_ == 0 && socket_->bytesToWrite() == 0)
        close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("relay shutting down"));
}

void Connection::countGarbage(const char* why)
{
    Metrics::instance().add("bad_frames_total");
    if (++garbage_ >= limits_.garbageLimit) {
        Logger::instance().warning("disconnect_garbage",
            { { QStringLiteral("connection"), static_cast<qint64>(id_) }, { QStringLiteral("why"), why } });
        close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("too many malformed frames"));
    }
}

void Connection::close(QWebSocketProtocol::CloseCode code, const QString& reason)
{
    if (!socket_ || state_ == ConnectionState::Closing)
        return;
    state_ = ConnectionState::Closing;
    socket_->flush();
    socket_->close(code, reason);
}

void Connection::drainAndClose()
{
    closeAfterDrain_ = true;
    flush();
}

} // namespace tenchat::relay
