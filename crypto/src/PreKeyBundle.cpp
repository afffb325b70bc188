// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/PreKeyBundle.h"

#include "tenchat/crypto/Identity.h"

namespace tenchat::crypto {

namespace {

// Layout, all integers big-endian:
//   u8 version (1) | u32 registrationId | i32 deviceId | 33 identityKey
//   | u32 signedPreKeyId | u64 timestampMs | 33 signedPreKey | 64 signature
//   | u8 hasPreKey (0/1) [| u32 preKeyId | 33 preKey]
constexpr std::uint8_t kVersion = 1;

void putNumber(Bytes& out, std::uint64_t value, int bytes)
{
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(value >> shift));
}

class Reader {
public:
    explicit Reader(ByteView bytes) : bytes_(bytes) { }
    bool number(std::uint64_t& value, std::size_t size)
    {
        if (bytes_.size() - offset_ < size)
            return false;
        value = 0;
        for (std::size_t i = 0; i < size; ++i)
            value = (value << 8) | bytes_[offset_ + i];
        offset_ += size;
        return true;
    }
    bool bytes(Bytes& out, std::size_t size)
    {
        if (bytes_.size() - offset_ < size)
            return false;
        out.assign(bytes_.begin() + static_cast<std::ptrdiff_t>(offset_),
            bytes_.begin() + static_cast<std::ptrdiff_t>(offset_ + size));
        offset_ += size;
        return true;
    }
    bool atEnd() const { return offset_ == bytes_.size(); }

private:
    ByteView bytes_;
    std::size_t offset_ = 0;
};

} // namespace

CryptoResult<void> PreKeyBundle::verify() const
{
    if (!isValidIdentityPublicKey(identityKey))
        return cryptoError(CryptoErrorCode::InvalidKey, "bundle identity key does not parse");
    if (!isValidIdentityPublicKey(signedPreKey.publicKey))
        return cryptoError(CryptoErrorCode::InvalidKey, "bundle signed pre-key does not parse");
    if (preKey && !isValidIdentityPublicKey(preKey->publicKey))
        return cryptoError(CryptoErrorCode::InvalidKey, "bundle one-time pre-key does not parse");
    if (!verifyIdentitySignature(identityKey, signedPreKey.publicKey, signedPreKey.signature))
        return cryptoError(CryptoErrorCode::InvalidKey, "bundle signed pre-key signature does not verify");
    return {};
}

Bytes PreKeyBundle::serialize() const
{
    Bytes out;
    out.reserve(1 + 4 + 4 + 33 + 4 + 8 + 33 + 64 + 1 + 4 + 33);
    out.push_back(kVersion);
    putNumber(out, registrationId, 4);
    putNumber(out, static_cast<std::uint32_t>(deviceId), 4);
    out.insert(out.end(), identityKey.begin(), identityKey.end());
    putNumber(out, signedPreKey.id, 4);
    putNumber(out, signedPreKey.timestampMs, 8);
    out.insert(out.end(), signedPreKey.publicKey.begin(), signedPreKey.publicKey.end());
    out.insert(out.end(), signedPreKey.signature.begin(), signedPreKey.signature.end());
    out.push_back(preKey ? 1 : 0);
    if (preKey) {
        putNumber(out, preKey->id, 4);
        out.insert(out.end(), preKey->publicKey.begin(), preKey->publicKey.end());
    }
    return out;
}

CryptoResult<PreKeyBundle> PreKeyBundle::deserialize(ByteView bytes)
{
    auto malformed = [] { return cryptoError(CryptoErrorCode::InvalidKey, "malformed pre-key bundle"); };
    Reader reader(bytes);
    std::uint64_t version = 0, registrationId = 0, deviceId = 0, signedId = 0, timestamp = 0, hasPreKey = 0;
    PreKeyBundle bundle;
    if (!reader.number(version, 1))
        return malformed();
    if (version != kVersion)
        return cryptoError(CryptoErrorCode::LegacyVersion, "unsupported pre-key bundle version");
    if (!reader.number(registrationId, 4) || !reader.number(deviceId, 4)
        || !reader.bytes(bundle.identityKey, kIdentityPublicKeyBytes) || !reader.number(signedId, 4)
        || !reader.number(timestamp, 8) || !reader.bytes(bundle.signedPreKey.publicKey, kIdentityPublicKeyBytes)
        || !reader.bytes(bundle.signedPreKey.signature, kIdentitySignatureBytes) || !reader.number(hasPreKey, 1))
        return malformed();
    if (hasPreKey > 1)
        return malformed();
    if (hasPreKey == 1) {
        std::uint64_t preKeyId = 0;
        PublicPreKey preKey;
        if (!reader.number(preKeyId, 4) || !reader.bytes(preKey.publicKey, kIdentityPublicKeyBytes))
            return malformed();
        preKey.id = static_cast<std::uint32_t>(preKeyId);
        bundle.preKey = std::move(preKey);
    }
    if (!reader.atEnd())
        return malformed();
    bundle.registrationId = static_cast<std::uint32_t>(registrationId);
    bundle.deviceId = static_cast<std::int32_t>(static_cast<std::uint32_t>(deviceId));
    bundle.signedPreKey.id = static_cast<std::uint32_t>(signedId);
    bundle.signedPreKey.timestampMs = timestamp;
    if (auto verified = bundle.verify(); !verified)
        return Unexpected(std::move(verified).error());
    return bundle;
}

} // namespace tenchat::crypto
