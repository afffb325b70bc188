// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// libsignal's crypto provider on OpenSSL 3 libcrypto (AES, HMAC-SHA256 via
// EVP_MAC, SHA-512) with randomness from libsodium.

#include <signal/signal_protocol.h>

namespace tenchat::crypto::detail {

signal_crypto_provider openSslCryptoProvider();

} // namespace tenchat::crypto::detail
