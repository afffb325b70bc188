// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The TenChat side of the load generator: N authenticated devices in direct
// conversations (pairs), each sending appends to its peer at an overall
// rate, acking what it receives, as a plain client of the public protocol.

#include "LatencyStats.h"

#include "tenchat/crypto/Identity.h"
#include "tenchat/v1/frame.pb.h"

#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace tenchat::bench {

struct LoadOptions {
    int devices = 200;
    double rate = 5000; // messages per second, all devices together
    double seconds = 10;
    int size = 1024;
};

struct LoadResult {
    std::uint64_t sent = 0;
    std::uint64_t acked = 0; // append responses OK
    std::uint64_t delivered = 0;
    std::uint64_t errors = 0;
    double sendSeconds = 0;
    double setupSeconds = 0;
    LatencyStats latency;
};

class RelayLoad : public QObject {
    Q_OBJECT
public:
    RelayLoad(QUrl relay, LoadOptions options);
    ~RelayLoad() override;

    bool setup(QString& error);
    LoadResult run(const std::function<void()>& sample);

private:
    struct Device {
        std::unique_ptr<QWebSocket> socket;
        crypto::IdentityKeyPair identity;
        std::string userId;
        std::string conversationId;
        std::size_t peer = 0;
        std::uint64_t nextRequestId = 1;
        std::optional<tenchat::v1::Response> lastResponse;
        std::map<std::string, std::uint64_t> pendingAcks;
        bool closed = false;
        // The append frame, built once; each message rewrites the request
        // id, message id and timestamp in place and serializes into `wire`.
        std::unique_ptr<tenchat::v1::Frame> append;
        QByteArray wire;
    };

    void send(Device& device, const tenchat::v1::Request& request);
    void onMessage(std::size_t index, const QByteArray& bytes);
    // Sends `build(i)` to every device in `which`, waits for all responses.
    bool roundTrip(const std::vector<std::size_t>& which,
        const std::function<std::optional<tenchat::v1::Request>(std::size_t)>& build, QString& error);
    void flushAcks();

    QUrl relay_;
    LoadOptions options_;
    std::vector<Device> devices_;
    LoadResult result_;
    bool running_ = false;
};

} // namespace tenchat::bench
