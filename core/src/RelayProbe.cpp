// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/RelayProbe.h"

namespace tenchat::core {

RelayProbe::RelayProbe(QObject* parent) : QObject(parent)
{
    connect(&socket_, &QWebSocket::connected, this, [this] {
        setState(State::Reachable);
        socket_.close(QWebSocketProtocol::CloseCodeNormal);
    });
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    const auto errorSignal = &QWebSocket::errorOccurred;
#else
    const auto errorSignal = qOverload<QAbstractSocket::SocketError>(&QWebSocket::error);
#endif
    connect(&socket_, errorSignal, this, [this](QAbstractSocket::SocketError) {
        lastError_ = socket_.errorString();
        setState(State::Offline);
    });
}

void RelayProbe::probe(const QUrl& relayUrl)
{
    lastError_.clear();
    setState(State::Connecting);
    socket_.abort();
    socket_.open(relayUrl);
}

void RelayProbe::setState(State state)
{
    if (state_ == state)
        return;
    state_ = state;
    emit stateChanged(state_);
}

} // namespace tenchat::core
