// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Chunked authenticated encryption for media and backups: libsodium's
// crypto_secretstream_xchacha20poly1305. Each chunk is authenticated and
// bound to its position; the last chunk carries the FINAL tag, so a
// truncated, reordered, duplicated or spliced stream is rejected by
// SecretStreamDecryptor. Keys are random 32-byte keys (never passphrases:
// derive with Argon2id first) and one key encrypts one stream.

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"
#include "tenchat/crypto/SecretBytes.h"

#include <cstddef>
#include <memory>
#include <span>

namespace tenchat::crypto {

constexpr std::size_t kSecretStreamKeyBytes = 32;
constexpr std::size_t kSecretStreamHeaderBytes = 24;
// Per chunk: one encrypted tag byte and a 16-byte Poly1305 MAC.
constexpr std::size_t kSecretStreamChunkOverhead = 17;

SecretBytes newSecretStreamKey();

class SecretStreamEncryptor {
public:
    // Errors: InvalidKey for a key that is not 32 bytes.
    static CryptoResult<SecretStreamEncryptor> create(const SecretBytes& key);

    SecretStreamEncryptor(SecretStreamEncryptor&&) noexcept;
    SecretStreamEncryptor& operator=(SecretStreamEncryptor&&) noexcept;
    ~SecretStreamEncryptor();

    // Sent once, before the first chunk (not secret).
    const Bytes& header() const;

    // Encrypts one chunk. `last` marks the end of the stream; nothing can be
    // pushed after it. `associatedData` is authenticated, not encrypted.
    // Errors: InvalidMessage after the last chunk.
    CryptoResult<Bytes> push(ByteView chunk, bool last, ByteView associatedData = {});
    // Same, into a caller buffer of at least chunk.size() +
    // kSecretStreamChunkOverhead bytes; returns the bytes written.
    CryptoResult<std::size_t> push(
        ByteView chunk, std::span<std::uint8_t> out, bool last, ByteView associatedData = {});

    bool finished() const;

private:
    struct Impl;
    explicit SecretStreamEncryptor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace tenchat::crypto
