// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/IdentityTrust.h"

#include "SignalContext.h"

#include "tenchat/crypto/Identity.h"

#include <sodium.h>

#include <mutex>

namespace tenchat::crypto {

namespace {

CryptoResult<void> save(ProtocolStore& store, const ProtocolAddress& address, ByteView publicKey, TrustState trust)
{
    if (!isValidIdentityPublicKey(publicKey))
        return cryptoError(CryptoErrorCode::InvalidKey, "identity key does not parse");
    std::lock_guard lock(detail::SignalContext::mutex());
    if (auto status = store.saveIdentity(address, IdentityRecord { Bytes(publicKey.begin(), publicKey.end()), trust });
        !status)
        return cryptoError(CryptoErrorCode::StoreFailure, "could not save identity: " + status.error().message);
    return {};
}

} // namespace

CryptoResult<void> acceptIdentity(
    ProtocolStore& store, const ProtocolAddress& address, ByteView publicKey, TrustState trust)
{
    if (trust == TrustState::Changed)
        return cryptoError(CryptoErrorCode::InvalidKey, "acceptIdentity: use flagIdentityChanged for a changed key");
    return save(store, address, publicKey, trust);
}

CryptoResult<void> flagIdentityChanged(ProtocolStore& store, const ProtocolAddress& address, ByteView publicKey)
{
    return save(store, address, publicKey, TrustState::Changed);
}

CryptoResult<std::optional<TrustState>> identityTrust(
    ProtocolStore& store, const ProtocolAddress& address, ByteView publicKey)
{
    std::lock_guard lock(detail::SignalContext::mutex());
    auto record = store.loadIdentity(address);
    if (!record)
        return cryptoError(CryptoErrorCode::StoreFailure, "could not load identity: " + record.error().message);
    if (!record->has_value())
        return std::optional<TrustState> {};
    const Bytes& known = (*record)->publicKey;
    const bool same = known.size() == publicKey.size()
        && (known.empty() || sodium_memcmp(known.data(), publicKey.data(), known.size()) == 0);
    return std::optional<TrustState> { same ? (*record)->trust : TrustState::Changed };
}

} // namespace tenchat::crypto
