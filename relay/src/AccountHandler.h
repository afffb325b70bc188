// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Hello and capability negotiation, account and device registration,
// challenge authentication, handle lookup, device lists and revocation.

#include "Connection.h"
#include "RelayContext.h"

namespace tenchat::relay {

class AccountHandler {
public:
    explicit AccountHandler(RelayContext& context) : ctx_(context) { }

    void hello(Connection& connection, std::uint64_t requestId, const tenchat::v1::HelloRequest& request);
    void registerAccount(
        Connection& connection, std::uint64_t requestId, const tenchat::v1::RegisterAccountRequest& request);
    void registerDevice(
        Connection& connection, std::uint64_t requestId, const tenchat::v1::RegisterDeviceRequest& request);
    void challenge(Connection& connection, std::uint64_t requestId);
    void authenticate(Connection& connection, std::uint64_t requestId, const tenchat::v1::AuthenticateRequest& request);
    void lookupHandle(Connection& connection, std::uint64_t requestId, const tenchat::v1::LookupHandleRequest& request);
    void listDevices(Connection& connection, std::uint64_t requestId, const tenchat::v1::ListDevicesRequest& request);
    void revokeDevice(Connection& connection, std::uint64_t requestId, const tenchat::v1::RevokeDeviceRequest& request);

private:
    void newChallenge(Connection& connection);

    RelayContext& ctx_;
};

} // namespace tenchat::relay
