// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tenchat::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView asBytes(std::string_view text)
{
    return { reinterpret_cast<const std::uint8_t*>(text.data()), text.size() };
}

inline std::string toString(ByteView bytes)
{
    return { reinterpret_cast<const char*>(bytes.data()), bytes.size() };
}

// Lower-case hex, for ids and test output. Never use it on secrets that
// might reach a log.
std::string toHex(ByteView bytes);
// Empty optional-like result: returns false on odd length or a non-hex digit.
bool fromHex(std::string_view hex, Bytes& out);

} // namespace tenchat::crypto
