// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/messaging/RelayClient.h"

#include <QDateTime>

namespace tenchat::core::messaging {

RelayClient::RelayClient(QObject* parent) : QObject(parent)
{
    connect(&socket_, &QWebSocket::connected, this, [this] {
        open_ = true;
        emit connected();
    });
    connect(&socket_, &QWebSocket::disconnected, this, &RelayClient::onDisconnected);
    connect(&socket_, &QWebSocket::binaryMessageReceived, this, &RelayClient::onBinary);
    timeoutTimer_.setInterval(250);
    connect(&timeoutTimer_, &QTimer::timeout, this, &RelayClient::checkTimeouts);
}

RelayClient::~RelayClient()
{
    // Handlers must not run into a half-destroyed owner.
    pending_.clear();
    socket_.disconnect(this);
    socket_.abort();
}

void RelayClient::open(const QUrl& url)
{
    socket_.abort();
    open_ = false;
    socket_.open(url);
}

void RelayClient::close()
{
    socket_.flush(); // requests sent just before (e.g. presence "offline") leave first
    socket_.close();
}

void RelayClient::request(const tenchat::v1::Request& request, ResponseHandler done, int timeoutMs)
{
    if (!open_) {
        done(messagingError(MessagingErrorCode::Network, QStringLiteral("not connected to the relay")));
        return;
    }
    const std::uint64_t id = nextRequestId_++;
    tenchat::v1::Frame frame;
    frame.set_request_id(id);
    // The request is borrowed by the frame for the serialisation, not copied
    // (a media chunk is 1 MiB), and released before the frame is destroyed.
    // Serialising writes only the messages' (mutable) cached sizes.
    frame.unsafe_arena_set_allocated_request(const_cast<tenchat::v1::Request*>(&request));
    // Serialised straight into the frame buffer.
    QByteArray bytes(qsizetype(frame.ByteSizeLong()), Qt::Uninitialized);
    frame.SerializeToArray(bytes.data(), int(bytes.size()));
    (void)frame.unsafe_arena_release_request();
    pending_.emplace(id, Pending { std::move(done), QDateTime::currentMSecsSinceEpoch() + timeoutMs });
    if (!timeoutTimer_.isActive())
        timeoutTimer_.start();
    socket_.sendBinaryMessage(bytes);
}

void RelayClient::onBinary(const QByteArray& bytes)
{
    tenchat::v1::Frame frame;
    if (!frame.ParseFromArray(bytes.constData(), int(bytes.size())))
        return; // a relay never sends garbage; ignore rather than crash
    if (frame.has_event()) {
        emit eventReceived(frame.event());
        return;
    }
    if (!frame.has_response())
        return;
    auto it = pending_.find(frame.request_id());
    if (it == pending_.end())
        return; // timed out already
    ResponseHandler done = std::move(it->second.done);
    pending_.erase(it);
    done(std::move(*frame.mutable_response())); // no copy of a media chunk
}

void RelayClient::onDisconnected()
{
    const bool wasOpen = open_;
    open_ = false;
    const QString reason = socket_.closeReason().isEmpty() ? socket_.errorString() : socket_.closeReason();
    failAll(MessagingErrorCode::Network, QStringLiteral("connection closed: %1").arg(reason));
    Q_UNUSED(wasOpen);
    emit disconnected(reason);
}

void RelayClient::failAll(MessagingErrorCode code, const QString& reason)
{
    auto pending = std::move(pending_);
    pending_.clear();
    for (auto& [id, p] : pending)
        p.done(messagingError(code, reason));
}

void RelayClient::checkTimeouts()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::vector<std::uint64_t> expired;
    for (const auto& [id, p] : pending_)
        if (p.deadlineMs <= now)
            expired.push_back(id);
    for (auto id : expired) {
        auto it = pending_.find(id);
        if (it == pending_.end())
            continue;
        ResponseHandler done = std::move(it->second.done);
        pending_.erase(it);
        done(messagingError(MessagingErrorCode::Timeout, QStringLiteral("the relay did not answer in time")));
    }
    if (pending_.empty())
        timeoutTimer_.stop();
}

} // namespace tenchat::core::messaging
