// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A small synchronous WebSocket client of the relay protocol for the
// integration tests: send a request, wait for its response, collect pushed
// events. Devices carry a real libsignal identity key pair.

#include "tenchat/crypto/Identity.h"
#include "tenchat/v1/frame.pb.h"

#include <QByteArray>
#include <QSslCertificate>
#include <QUrl>
#include <QWebSocket>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace tenchat::testing {

struct TestDevice {
    std::string handle;
    std::string userId;
    std::uint32_t deviceId = 0;
    std::shared_ptr<crypto::IdentityKeyPair> identity;
    std::string publicKey() const;
    std::string sign(const std::string& payload) const;
};

class RelayTestClient {
public:
    RelayTestClient();
    ~RelayTestClient();

    bool open(const QUrl& url, int timeoutMs = 5000);
    // Trusts exactly this certificate for wss:// (self-signed test relays).
    void trust(const QSslCertificate& certificate);
    void close();
    bool isConnected() const;
    // Waits until the relay closed the socket.
    bool waitClosed(int timeoutMs);
    QWebSocketProtocol::CloseCode closeCode() const;

    // Sends a request and waits for its response (events are queued).
    std::optional<tenchat::v1::Response> request(const tenchat::v1::Request& request, int timeoutMs = 5000);
    // Sends without waiting; returns the request id.
    std::uint64_t send(const tenchat::v1::Request& request);
    std::optional<tenchat::v1::Response> waitResponse(std::uint64_t requestId, int timeoutMs = 5000);
    void sendRaw(const QByteArray& bytes);
    // Any frame (responses to raw sends use request id 0).
    std::optional<tenchat::v1::Frame> waitAnyFrame(int timeoutMs);

    std::optional<tenchat::v1::Event> waitEvent(
        const std::function<bool(const tenchat::v1::Event&)>& match, int timeoutMs = 5000);
    std::deque<tenchat::v1::Event>& events() { return events_; }

    // Protocol steps.
    bool hello(const std::vector<std::string>& features = {});
    std::optional<TestDevice> registerAccount(const std::string& handle);
    tenchat::v1::Status authenticate(const TestDevice& device);
    // hello + authenticate.
    bool login(const QUrl& url, const TestDevice& device, const std::vector<std::string>& features = {});
    std::string challenge() const { return challenge_; }

private:
    void onBinary(const QByteArray& bytes);

    QWebSocket socket_;
    std::uint64_t nextRequestId_ = 1;
    std::deque<tenchat::v1::Frame> responses_;
    std::deque<tenchat::v1::Frame> anyFrames_;
    std::deque<tenchat::v1::Event> events_;
    std::string challenge_;
    bool closed_ = false;
};

} // namespace tenchat::testing
