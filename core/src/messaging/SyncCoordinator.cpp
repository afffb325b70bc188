// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/messaging/SyncCoordinator.h"

#include "tenchat/core/messaging/Account.h"
#include "tenchat/protocol/Protocol.h"

namespace tenchat::core::messaging {

namespace {
constexpr std::uint32_t kPageLimit = 500;
}

SyncCoordinator::SyncCoordinator(Account& account, QObject* parent) : QObject(parent), account_(account)
{
    reconnectTimer_.setSingleShot(true);
    connect(&reconnectTimer_, &QTimer::timeout, this, &SyncCoordinator::connectNow);
    liveTimer_.setSingleShot(true);
    connect(&liveTimer_, &QTimer::timeout, this, &SyncCoordinator::processLiveEntries);
    connect(&client_, &RelayClient::connected, this, &SyncCoordinator::onConnected);
    connect(&client_, &RelayClient::disconnected, this, &SyncCoordinator::onDisconnected);
    connect(&client_, &RelayClient::eventReceived, this, &SyncCoordinator::onEvent);
}

void SyncCoordinator::setState(State state)
{
    if (state_ == state)
        return;
    state_ = state;
    emit stateChanged(state);
    if (state == State::Live)
        emit live();
}

void SyncCoordinator::start()
{
    if (running_)
        return;
    running_ = true;
    backoff_.reset();
    connectNow();
}

void SyncCoordinator::stop()
{
    running_ = false;
    reconnectTimer_.stop();
    liveTimer_.stop();
    liveEntries_.clear(); // not acknowledged: the relay sends them again
    ++connection_;
    client_.close();
    setState(State::Offline);
}

void SyncCoordinator::connectNow()
{
    if (!running_)
        return;
    ++connection_;
    setState(State::Connecting);
    client_.open(account_.relayUrl());
}

void SyncCoordinator::scheduleReconnect(int minimumDelayMs)
{
    if (!running_)
        return;
    setState(State::BackingOff);
    reconnectTimer_.start(std::max(minimumDelayMs, backoff_.nextDelayMs()));
}

void SyncCoordinator::onDisconnected(const QString&)
{
    ++connection_;
    if (!running_) {
        setState(State::Offline);
        return;
    }
    if (state_ != State::BackingOff)
        scheduleReconnect();
}

void SyncCoordinator::fail(const QString&)
{
    // Drop the connection; onDisconnected schedules the next attempt.
    client_.close();
    if (state_ != State::BackingOff)
        scheduleReconnect();
}

void SyncCoordinator::onConnected()
{
    setState(State::Negotiating);
    const quint64 conn = connection_;
    tenchat::v1::Request req;
    auto* hello = req.mutable_hello();
    hello->add_versions(protocol::kProtocolVersion);
    hello->add_features(std::string(protocol::kFeatureEphemeral));
    hello->add_features(std::string(protocol::kFeatureTyping));
    hello->add_features(std::string(protocol::kFeaturePresence));
    hello->set_client_name("tenchat-core/" TENCHAT_VERSION_STRING);
    client_.request(req, [this, conn](MessagingExpected<tenchat::v1::Response> r) {
        if (conn != connection_)
            return;
        if (!r || r->status() != tenchat::v1::STATUS_OK)
            return fail(QStringLiteral("hello failed"));
        features_.clear();
        for (const auto& f : r->hello().accepted_features())
            features_ << QString::fromStdString(f);
        authenticate(r->hello().challenge());
    });
}

void SyncCoordinator::authenticate(const std::string& challenge)
{
    setState(State::Authenticating);
    const quint64 conn = connection_;
    auto signature
        = account_.sign(protocol::authenticatePayload(challenge, account_.userId().toStdString(), account_.deviceId()));
    if (!signature)
        return fail(signature.error().message);
    tenchat::v1::Request req;
    req.mutable_authenticate()->set_user_id(account_.userId().toStdString());
    req.mutable_authenticate()->set_device_id(account_.deviceId());
    req.mutable_authenticate()->set_signature(signature->toStdString());
    client_.request(req, [this, conn](MessagingExpected<tenchat::v1::Response> r) {
        if (conn != connection_)
            return;
        if (r && r->status() == tenchat::v1::STATUS_FORBIDDEN) {
            running_ = false;
            client_.close();
            setState(State::Offline);
            emit fatalError(QStringLiteral("this device was revoked"));
            return;
        }
        if (!r || r->status() != tenchat::v1::STATUS_OK)
            return fail(QStringLiteral("authentication failed"));
        backoff_.reset();
        setState(State::Syncing);
        fetchToDevice();
    });
}

void SyncCoordinator::fetchToDevice()
{
    const quint64 conn = connection_;
    tenchat::v1::Request req;
    req.mutable_fetch_to_device()->set_limit(kPageLimit);
    client_.request(req, [this, conn](MessagingExpected<tenchat::v1::Response> r) {
        if (conn != connection_)
            return;
        if (!r || r->status() != tenchat::v1::STATUS_OK)
            return fail(QStringLiteral("fetch_to_device failed"));
        const auto& page = r->fetch_to_device();
        processToDevice({ page.messages().begin(), page.messages().end() });
        if (page.has_more() && page.messages_size() > 0)
            return fetchToDevice();
        syncPage({});
    });
}

void SyncCoordinator::syncPage(std::vector<tenchat::v1::SyncCursor> cursors)
{
    const quint64 conn = connection_;
    resyncRequested_ = false;
    tenchat::v1::Request req;
    auto* sync = req.mutable_sync();
    sync->set_limit(kPageLimit);
    for (auto& c : cursors)
        *sync->add_cursors() = std::move(c);
    client_.request(req, [this, conn](MessagingExpected<tenchat::v1::Response> r) {
        if (conn != connection_)
            return;
        if (!r || r->status() != tenchat::v1::STATUS_OK)
            return fail(QStringLiteral("sync failed"));
        const auto& page = r->sync();
        processEntries({ page.entries().begin(), page.entries().end() });
        if (page.has_more() && page.entries_size() > 0)
            return syncPage({ page.next_cursors().begin(), page.next_cursors().end() });
        if (resyncRequested_)
            return syncPage({});
        setState(State::Live);
    });
}

void SyncCoordinator::processEntries(const std::vector<tenchat::v1::Entry>& entries)
{
    if (entries.empty() || !entryHandler_)
        return;
    auto acks = entryHandler_(entries);
    if (acks.empty())
        return;
    tenchat::v1::Request req;
    for (auto& a : acks)
        *req.mutable_ack()->add_entries() = std::move(a);
    // Fire and forget: an ack lost with the connection only means the entries
    // come again, and the inbox drops them as duplicates.
    client_.request(req, [](MessagingExpected<tenchat::v1::Response>) {});
}

void SyncCoordinator::processLiveEntries()
{
    liveTimer_.stop();
    auto entries = std::move(liveEntries_);
    liveEntries_.clear();
    // Processed even if the connection dropped meanwhile: they are stored,
    // and the ack that cannot go out only means they come again (deduplicated).
    processEntries(entries);
}

void SyncCoordinator::processToDevice(const std::vector<tenchat::v1::ToDeviceMessage>& messages)
{
    if (messages.empty() || !toDeviceHandler_)
        return;
    auto ids = toDeviceHandler_(messages);
    if (ids.empty())
        return;
    tenchat::v1::Request req;
    for (auto id : ids)
        req.mutable_ack()->add_to_device_ids(id);
    client_.request(req, [](MessagingExpected<tenchat::v1::Response>) {});
}

void SyncCoordinator::onEvent(const tenchat::v1::Event& event)
{
    switch (event.kind_case()) {
    case tenchat::v1::Event::kEntry:
        // Live pushes during the initial sync are fine: the inbox dedupes.
        if (state_ == State::Syncing || state_ == State::Live) {
            liveEntries_.push_back(event.entry());
            if (liveEntries_.size() >= kPageLimit)
                processLiveEntries();
            else if (!liveTimer_.isActive())
                liveTimer_.start(0);
        }
        break;
    case tenchat::v1::Event::kToDevice:
        if (state_ == State::Syncing || state_ == State::Live)
            processToDevice({ event.to_device() });
        break;
    case tenchat::v1::Event::kPreKeysLow: emit preKeysLow(event.pre_keys_low().one_time_count()); break;
    case tenchat::v1::Event::kSyncRequired:
        if (state_ == State::Live) {
            setState(State::Syncing);
            syncPage({});
        } else {
            resyncRequested_ = true;
        }
        break;
    case tenchat::v1::Event::kDeviceRevoked: {
        const auto& d = event.device_revoked().device();
        const bool self = d.device_id() == account_.deviceId() && d.user_id() == account_.userId().toStdString();
        emit deviceRevoked(d.device_id(), self);
        if (self) {
            running_ = false;
            emit fatalError(QStringLiteral("this device was revoked"));
        }
        break;
    }
    case tenchat::v1::Event::kTyping:
    case tenchat::v1::Event::kPresence: emit ephemeralReceived(event); break;
    case tenchat::v1::Event::kGoingAway: scheduleReconnect(int(event.going_away().retry_after_ms())); break;
    default: break; // unknown and ephemeral events are ignored here
    }
}

} // namespace tenchat::core::messaging
