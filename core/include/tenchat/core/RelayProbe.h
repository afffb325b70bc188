// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QUrl>
#include <QWebSocket>

namespace tenchat::core {

// Opens a WebSocket to a relay and reports whether it is reachable. The
// messaging engine's sync coordinator replaces this for real traffic; the
// desktop client uses it to show the relay's state before a profile exists.
class RelayProbe : public QObject {
    Q_OBJECT
public:
    enum class State { Offline, Connecting, Reachable };
    Q_ENUM(State)

    explicit RelayProbe(QObject* parent = nullptr);

    void probe(const QUrl& relayUrl);
    State state() const { return state_; }
    QString lastError() const { return lastError_; }

signals:
    void stateChanged(tenchat::core::RelayProbe::State state);

private:
    void setState(State state);

    QWebSocket socket_;
    State state_ = State::Offline;
    QString lastError_;
};

} // namespace tenchat::core
