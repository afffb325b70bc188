// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Test devices: an in-memory store with a fresh identity and published keys;
// and the small conversions the crypto tests share.

#include "tenchat/crypto/InMemoryProtocolStore.h"
#include "tenchat/crypto/PreKeys.h"
#include "tenchat/crypto/SessionCipher.h"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tenchat::crypto::test {

struct TestDevice {
    ProtocolAddress address;
    Bytes identityKey;
    std::unique_ptr<InMemoryProtocolStore> store;
    std::uint32_t signedPreKeyId = 1;

    // Test set-up failures are programming errors: throw, QTest reports them.
    static TestDevice create(const std::string& name, std::int32_t deviceId = 1, std::uint32_t preKeys = 10)
    {
        auto identity = generateLocalIdentity();
        if (!identity)
            throw std::runtime_error("identity: " + identity.error().message);
        TestDevice device;
        device.address = ProtocolAddress { name, deviceId };
        device.identityKey = identity->publicKey;
        device.store = std::make_unique<InMemoryProtocolStore>(std::move(*identity));
        if (!generatePreKeys(*device.store, 1, preKeys))
            throw std::runtime_error("pre-keys");
        if (!generateSignedPreKey(*device.store, device.signedPreKeyId, 1700000000000ull))
            throw std::runtime_error("signed pre-key");
        return device;
    }

    PreKeyBundle bundle(std::optional<std::uint32_t> preKeyId = 1) const
    {
        auto result = buildLocalBundle(*store, address.deviceId, signedPreKeyId, preKeyId);
        if (!result)
            throw std::runtime_error("bundle: " + result.error().message);
        return *result;
    }

    SessionCipher cipherFor(const TestDevice& peer) const
    {
        auto cipher = SessionCipher::create(*store, peer.address);
        if (!cipher)
            throw std::runtime_error("cipher: " + cipher.error().message);
        return std::move(*cipher);
    }
};

inline Bytes textBytes(const std::string& text)
{
    return Bytes(text.begin(), text.end());
}

// A test vector written in hex; a typo in one is a programming error.
inline Bytes hex(std::string_view text)
{
    Bytes out;
    if (!fromHex(text, out))
        throw std::runtime_error("bad hex in test vector");
    return out;
}

} // namespace tenchat::crypto::test
