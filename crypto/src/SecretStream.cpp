// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/SecretStreamDecryptor.h"
#include "tenchat/crypto/SecretStreamEncryptor.h"

#include "SodiumInit.h"

#include <sodium.h>

static_assert(tenchat::crypto::kSecretStreamKeyBytes == crypto_secretstream_xchacha20poly1305_KEYBYTES);
static_assert(tenchat::crypto::kSecretStreamHeaderBytes == crypto_secretstream_xchacha20poly1305_HEADERBYTES);
static_assert(tenchat::crypto::kSecretStreamChunkOverhead == crypto_secretstream_xchacha20poly1305_ABYTES);

namespace tenchat::crypto {

namespace {

// The stream state holds a derived key: zero it when done.
struct StreamState {
    crypto_secretstream_xchacha20poly1305_state state {};
    ~StreamState() { sodium_memzero(&state, sizeof state); }
};

} // namespace

SecretBytes newSecretStreamKey()
{
    ensureSodium();
    SecretBytes key(kSecretStreamKeyBytes);
    crypto_secretstream_xchacha20poly1305_keygen(key.data());
    return key;
}

// Encryptor ---------------------------------------------------------------

struct SecretStreamEncryptor::Impl {
    StreamState stream;
    Bytes header = Bytes(kSecretStreamHeaderBytes);
    bool finished = false;
};

SecretStreamEncryptor::SecretStreamEncryptor(std::unique_ptr<Impl> impl) : impl_(std::move(impl))
{ }
SecretStreamEncryptor::SecretStreamEncryptor(SecretStreamEncryptor&&) noexcept = default;
SecretStreamEncryptor& SecretStreamEncryptor::operator=(SecretStreamEncryptor&&) noexcept = default;
SecretStreamEncryptor::~SecretStreamEncryptor() = default;

CryptoResult<SecretStreamEncryptor> SecretStreamEncryptor::create(const SecretBytes& key)
{
    ensureSodium();
    if (key.size() != kSecretStreamKeyBytes)
        return cryptoError(CryptoErrorCode::InvalidKey, "secretstream key must be 32 bytes");
    auto impl = std::make_unique<Impl>();
    if (crypto_secretstream_xchacha20poly1305_init_push(&impl->stream.state, impl->header.data(), key.data()) != 0)
        return cryptoError(CryptoErrorCode::Internal, "secretstream init failed");
    return SecretStreamEncryptor(std::move(impl));
}

const Bytes& SecretStreamEncryptor::header() const
{
    return impl_->header;
}

bool SecretStreamEncryptor::finished() const
{
    return impl_->finished;
}

CryptoResult<std::size_t> SecretStreamEncryptor::push(
    ByteView chunk, std::span<std::uint8_t> out, bool last, ByteView associatedData)
{
    if (impl_->finished)
        return cryptoError(CryptoErrorCode::InvalidMessage, "secretstream: push after the final chunk");
    if (chunk.size() > crypto_secretstream_xchacha20poly1305_MESSAGEBYTES_MAX)
        return cryptoError(CryptoErrorCode::InvalidMessage, "secretstream: chunk too large");
    if (out.size() < chunk.size() + kSecretStreamChunkOverhead)
        return cryptoError(CryptoErrorCode::Internal, "secretstream: output buffer too small");
    unsigned long long written = 0;
    const unsigned char tag
        = last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    if (crypto_secretstream_xchacha20poly1305_push(&impl_->stream.state, out.data(), &written, chunk.data(),
            chunk.size(), associatedData.empty() ? nullptr : associatedData.data(), associatedData.size(), tag)
        != 0)
        return cryptoError(CryptoErrorCode::Internal, "secretstream push failed");
    impl_->finished = last;
    return static_cast<std::size_t>(written);
}

CryptoResult<Bytes> SecretStreamEncryptor::push(ByteView chunk, bool last, ByteView associatedData)
{
    Bytes out(chunk.size() + kSecretStreamChunkOverhead);
    auto written = push(chunk, out, last, associatedData);
    if (!written)
        return Unexpected(std::move(written).error());
    out.resize(*written);
    return out;
}

// Decryptor ---------------------------------------------------------------

struct SecretStreamDecryptor::Impl {
    StreamState stream;
    bool finished = false;
    bool broken = false;
};

SecretStreamDecryptor::SecretStreamDecryptor(std::unique_ptr<Impl> impl) : impl_(std::move(impl))
{ }
SecretStreamDecryptor::SecretStreamDecryptor(SecretStreamDecryptor&&) noexcept = default;
SecretStreamDecryptor& SecretStreamDecryptor::operator=(SecretStreamDecryptor&&) noexcept = default;
SecretStreamDecryptor::~SecretStreamDecryptor() = default;

CryptoResult<SecretStreamDecryptor> SecretStreamDecryptor::create(const SecretBytes& key, ByteView header)
{
    ensureSodium();
    if (key.size() != kSecretStreamKeyBytes)
        return cryptoError(CryptoErrorCode::InvalidKey, "secretstream key must be 32 bytes");
    if (header.size() != kSecretStreamHeaderBytes)
        return cryptoError(CryptoErrorCode::InvalidKey, "secretstream header must be 24 bytes");
    auto impl = std::make_unique<Impl>();
    if (crypto_secretstream_xchacha20poly1305_init_pull(&impl->stream.state, header.data(), key.data()) != 0)
        return cryptoError(CryptoErrorCode::InvalidKey, "secretstream header rejected");
    return SecretStreamDecryptor(std::move(impl));
}

bool SecretStreamDecryptor::finished() const
{
    return impl_->finished;
}

CryptoResult<void> SecretStreamDecryptor::finish() const
{
    if (!impl_->finished)
        return cryptoError(CryptoErrorCode::InvalidMessage, "secretstream truncated: no final chunk");
    return {};
}

CryptoResult<std::size_t> SecretStreamDecryptor::pull(
    ByteView chunk, std::span<std::uint8_t> out, ByteView associatedData)
{
    if (impl_->broken)
        return cryptoError(CryptoErrorCode::InvalidMessage, "secretstream: stream already failed");
    if (impl_->finished)
        return cryptoError(CryptoErrorCode::InvalidMessage, "secretstream: data after the final chunk");
    if (chunk.size() < kSecretStreamChunkOverhead)
        return cryptoError(CryptoErrorCode::InvalidMessage, "secretstream: chunk too short");
    if (out.size() < chunk.size() - kSecretStreamChunkOverhead)
        return cryptoError(CryptoErrorCode::Internal, "secretstream: output buffer too small");
    unsigned long long written = 0;
    unsigned char tag = 0;
    // After a forged chunk the stream is corrupt for good: refusing every
    // later chunk keeps callers from skipping over a hole.
    if (crypto_secretstream_xchacha20poly1305_pull(&impl_->stream.state, out.data(), &written, &tag, chunk.data(),
            chunk.size(), associatedData.empty() ? nullptr : associatedData.data(), associatedData.size())
        != 0) {
        impl_->broken = true;
        return cryptoError(CryptoErrorCode::InvalidMessage, "secretstream: chunk forged, tampered or out of order");
    }
    // MESSAGE, PUSH and REKEY chunks are all ordinary data here.
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        impl_->finished = true;
    return static_cast<std::size_t>(written);
}

CryptoResult<Bytes> SecretStreamDecryptor::pull(ByteView chunk, ByteView associatedData)
{
    if (chunk.size() < kSecretStreamChunkOverhead)
        return cryptoError(CryptoErrorCode::InvalidMessage, "secretstream: chunk too short");
    Bytes out(chunk.size() - kSecretStreamChunkOverhead);
    auto written = pull(chunk, out, associatedData);
    if (!written)
        return Unexpected(std::move(written).error());
    out.resize(*written);
    return out;
}

} // namespace tenchat::crypto
