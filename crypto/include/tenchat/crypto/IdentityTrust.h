// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The user's trust decisions about peers' identity keys.
//
// Policy: the first key seen for an address is trusted (TOFU) and recorded
// as Unverified. A different key later is refused with UntrustedIdentity by
// every encrypt, decrypt and X3DH until the user accepts it here, typically
// after comparing the new safety number. The engine never records a changed
// key by itself, because the key in an unauthenticated message could be
// forged: the app records one with flagIdentityChanged() when it learns it
// from an authenticated source (the relay's device directory), so the UI can
// show "safety number changed".

#include "tenchat/crypto/CryptoError.h"
#include "tenchat/crypto/ProtocolStore.h"

namespace tenchat::crypto {

// Trusts `publicKey` for `address` from now on, replacing any earlier key.
// `trust` is Unverified (accepted) or Verified (safety number compared).
// Errors: InvalidKey (key does not parse, or trust is Changed), StoreFailure.
CryptoResult<void> acceptIdentity(
    ProtocolStore& store, const ProtocolAddress& address, ByteView publicKey, TrustState trust = TrustState::Verified);

// Records that `address` now presents `publicKey`, refused until accepted.
CryptoResult<void> flagIdentityChanged(ProtocolStore& store, const ProtocolAddress& address, ByteView publicKey);

// The stored trust for `address` and `publicKey`: nullopt when nothing is
// recorded, Changed when a different key is on record.
CryptoResult<std::optional<TrustState>> identityTrust(
    ProtocolStore& store, const ProtocolAddress& address, ByteView publicKey);

} // namespace tenchat::crypto
