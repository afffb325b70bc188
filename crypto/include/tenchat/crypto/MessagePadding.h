// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Length hiding for message plaintexts: pad before SessionCipher/GroupCipher
// encrypt, unpad after decrypt, so ciphertext sizes only reveal a bucket.
// Scheme (as Signal clients use): a 0x80 byte, then zeros up to the next
// multiple of `blockBytes` (ISO/IEC 7816-4).

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"

#include <cstddef>

namespace tenchat::crypto {

constexpr std::size_t kMessagePaddingBlock = 160;

// Always adds at least one byte. blockBytes 0 is treated as 1.
Bytes padMessage(ByteView plaintext, std::size_t blockBytes = kMessagePaddingBlock);

// Errors: InvalidMessage when no 0x80 terminator follows the content.
CryptoResult<Bytes> unpadMessage(ByteView padded);

} // namespace tenchat::crypto
