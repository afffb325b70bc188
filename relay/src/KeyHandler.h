// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Pre-key bundles: upload, count, fetch (consuming one one-time pre-key per
// device atomically, rate limited per requesting account) and the
// low-pre-key notice.

#include "Connection.h"
#include "RelayContext.h"

namespace tenchat::relay {

class KeyHandler {
public:
    explicit KeyHandler(RelayContext& context) : ctx_(context) { }

    void upload(Connection& connection, std::uint64_t requestId, const tenchat::v1::UploadPreKeysRequest& request);
    void count(Connection& connection, std::uint64_t requestId);
    void fetch(Connection& connection, std::uint64_t requestId, const tenchat::v1::FetchBundlesRequest& request);

private:
    void noticeIfLow(const std::string& userId, std::uint32_t deviceId);

    RelayContext& ctx_;
};

} // namespace tenchat::relay
