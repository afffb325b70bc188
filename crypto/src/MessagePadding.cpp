// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/MessagePadding.h"

namespace tenchat::crypto {

Bytes padMessage(ByteView plaintext, std::size_t blockBytes)
{
    if (blockBytes == 0)
        blockBytes = 1;
    const std::size_t withTerminator = plaintext.size() + 1;
    const std::size_t total = (withTerminator + blockBytes - 1) / blockBytes * blockBytes;
    Bytes padded;
    padded.reserve(total);
    padded.insert(padded.end(), plaintext.begin(), plaintext.end());
    padded.push_back(0x80);
    padded.resize(total, 0x00);
    return padded;
}

CryptoResult<Bytes> unpadMessage(ByteView padded)
{
    std::size_t end = padded.size();
    while (end > 0 && padded[end - 1] == 0x00)
        --end;
    if (end == 0 || padded[end - 1] != 0x80)
        return cryptoError(CryptoErrorCode::InvalidMessage, "message padding: no terminator");
    return Bytes(padded.begin(), padded.begin() + static_cast<std::ptrdiff_t>(end - 1));
}

} // namespace tenchat::crypto
