// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The receiving half of SecretStreamEncryptor. Pull chunks in order; the
// stream is complete only when finish() succeeds, which proves the FINAL
// chunk was seen (so truncation at a chunk boundary is detected).

#include "tenchat/crypto/SecretStreamEncryptor.h"

namespace tenchat::crypto {

class SecretStreamDecryptor {
public:
    // Errors: InvalidKey for a bad key or header size.
    static CryptoResult<SecretStreamDecryptor> create(const SecretBytes& key, ByteView header);

    SecretStreamDecryptor(SecretStreamDecryptor&&) noexcept;
    SecretStreamDecryptor& operator=(SecretStreamDecryptor&&) noexcept;
    ~SecretStreamDecryptor();

    // Decrypts the next chunk. Errors: InvalidMessage when the chunk is
    // forged, tampered, out of order, from another stream, or arrives after
    // the final chunk. A failed pull leaves the decryptor unusable (the
    // stream is corrupt), so later pulls fail too.
    CryptoResult<Bytes> pull(ByteView chunk, ByteView associatedData = {});
    // Into a caller buffer of at least chunk.size() - overhead bytes.
    CryptoResult<std::size_t> pull(ByteView chunk, std::span<std::uint8_t> out, ByteView associatedData = {});

    // True once the FINAL chunk was pulled.
    bool finished() const;
    // Errors: InvalidMessage when the stream ended without its FINAL chunk.
    CryptoResult<void> finish() const;

private:
    struct Impl;
    explicit SecretStreamDecryptor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace tenchat::crypto
