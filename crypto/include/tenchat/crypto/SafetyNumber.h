// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Safety numbers (libsignal's numeric fingerprint, version 1, 5200 SHA-512
// iterations): what two users compare to rule out a man in the middle. Both
// sides compute the same 60 digits; the scannable form goes in a QR code.

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"

#include <string>
#include <string_view>

namespace tenchat::crypto {

constexpr int kSafetyNumberIterations = 5200;
constexpr int kSafetyNumberScannableVersion = 1;

struct SafetyNumber {
    std::string displayable; // 60 digits, identical on both sides
    Bytes scannable; // serialized ScannableFingerprint, differs per side

    // Groups of five digits for display: "12345 67890 ...".
    std::string grouped() const;
};

// `stableId` is the user's long-lived id (the relay user id). Errors:
// InvalidKey when a key does not parse, InvalidKey for an empty id.
CryptoResult<SafetyNumber> computeSafetyNumber(std::string_view localStableId, ByteView localIdentityKey,
    std::string_view remoteStableId, ByteView remoteIdentityKey);

// Compares our safety number with the scannable bytes read from the peer's
// screen. true: they match. false: a different key (possible MITM).
// Errors: InvalidMessage when `scanned` does not parse, LegacyVersion for
// another fingerprint version.
CryptoResult<bool> safetyNumbersMatch(const SafetyNumber& ours, ByteView scanned);

} // namespace tenchat::crypto
