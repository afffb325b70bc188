// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/protocol/Protocol.h"

namespace tenchat::protocol {

std::string registerAccountPayload(std::string_view handle, std::string_view identityKey)
{
    std::string out = "tenchat-register-v1";
    out.append(handle);
    out.append(identityKey);
    return out;
}

std::string registerDevicePayload(std::string_view userId, std::string_view identityKey)
{
    std::string out = "tenchat-device-v1";
    out.append(userId);
    out.append(identityKey);
    return out;
}

std::string authenticatePayload(std::string_view challenge, std::string_view userId, std::uint32_t deviceId)
{
    std::string out = "tenchat-auth-v1";
    out.append(challenge);
    out.append(userId);
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((deviceId >> shift) & 0xffu));
    return out;
}

} // namespace tenchat::protocol
