// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/Backoff.h"
#include "tenchat/core/messaging/RelayClient.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <vector>

namespace tenchat::core::messaging {

class Account;

// The connection state machine of one device:
//   Offline -> Connecting -> Negotiating (hello) -> Authenticating ->
//   Syncing (to-device queue, then the conversation logs) -> Live,
// and from any state on a dropped connection -> BackingOff -> Connecting,
// with exponential backoff and jitter. Received entries and to-device
// messages go to the handlers, which persist and process them synchronously;
// only then does the coordinator acknowledge them to the relay.
class SyncCoordinator : public QObject {
    Q_OBJECT
public:
    enum class State { Offline, Connecting, Negotiating, Authenticating, Syncing, Live, BackingOff };
    Q_ENUM(State)

    // Returns the highest processed seq per conversation to acknowledge.
    using EntryHandler = std::function<std::vector<tenchat::v1::SyncCursor>(const std::vector<tenchat::v1::Entry>&)>;
    // Returns the to-device ids to acknowledge.
    using ToDeviceHandler = std::function<std::vector<std::uint64_t>(const std::vector<tenchat::v1::ToDeviceMessage>&)>;

    SyncCoordinator(Account& account, QObject* parent = nullptr);

    void setEntryHandler(EntryHandler handler) { entryHandler_ = std::move(handler); }
    void setToDeviceHandler(ToDeviceHandler handler) { toDeviceHandler_ = std::move(handler); }
    // The handler set (the Messenger's): to wrap it, e.g. a filter in front.
    const ToDeviceHandler& toDeviceHandler() const { return toDeviceHandler_; }
    void setBackoff(Backoff backoff) { backoff_ = backoff; }

    void start();
    void stop();
    State state() const { return state_; }
    bool isLive() const { return state_ == State::Live; }
    RelayClient& client() { return client_; }
    QStringList acceptedFeatures() const { return features_; }

signals:
    void stateChanged(tenchat::core::messaging::SyncCoordinator::State state);
    void live();
    void preKeysLow(quint32 remaining);
    void deviceRevoked(quint32 deviceId, bool thisDevice);
    // Typing and presence events (never stored by the relay).
    void ephemeralReceived(const tenchat::v1::Event& event);
    // A non-retryable failure (e.g. this device was revoked): no reconnects.
    void fatalError(const QString& reason);

private:
    void setState(State state);
    void connectNow();
    void onConnected();
    void onDisconnected(const QString& reason);
    void onEvent(const tenchat::v1::Event& event);
    void authenticate(const std::string& challenge);
    void fetchToDevice();
    void syncPage(std::vector<tenchat::v1::SyncCursor> cursors);
    void processEntries(const std::vector<tenchat::v1::Entry>& entries);
    void processLiveEntries();
    void processToDevice(const std::vector<tenchat::v1::ToDeviceMessage>& messages);
    void fail(const QString& reason);
    void scheduleReconnect(int minimumDelayMs = 0);

    Account& account_;
    RelayClient client_;
    Backoff backoff_;
    QTimer reconnectTimer_;
    State state_ = State::Offline;
    bool running_ = false;
    bool resyncRequested_ = false;
    quint64 connection_ = 0; // bumps per connection, so stale callbacks are ignored
    QStringList features_;
    // Live pushes are collected and handed over together once the event loop
    // has read what arrived (one store transaction and one ack per batch).
    std::vector<tenchat::v1::Entry> liveEntries_;
    QTimer liveTimer_;
    EntryHandler entryHandler_;
    ToDeviceHandler toDeviceHandler_;
};

} // namespace tenchat::core::messaging
