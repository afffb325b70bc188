// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/SafetyNumber.h"

#include "SignalContext.h"
#include "SignalErrors.h"
#include "SignalKeys.h"
#include "SignalRef.h"

#include <signal/fingerprint.h>

#include <mutex>

namespace tenchat::crypto {

using namespace detail;

namespace {

struct GeneratorFree {
    void operator()(fingerprint_generator* generator) const { fingerprint_generator_free(generator); }
};

} // namespace

std::string SafetyNumber::grouped() const
{
    std::string out;
    for (std::size_t i = 0; i < displayable.size(); ++i) {
        if (i > 0 && i % 5 == 0)
            out.push_back(' ');
        out.push_back(displayable[i]);
    }
    return out;
}

CryptoResult<SafetyNumber> computeSafetyNumber(std::string_view localStableId, ByteView localIdentityKey,
    std::string_view remoteStableId, ByteView remoteIdentityKey)
{
    signal_context* global = SignalContext::global();
    if (!global)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    if (localStableId.empty() || remoteStableId.empty())
        return cryptoError(CryptoErrorCode::InvalidKey, "safety number: empty stable id");
    // libsignal takes C strings: an embedded NUL would silently shorten the id.
    if (localStableId.find('\0') != std::string_view::npos || remoteStableId.find('\0') != std::string_view::npos)
        return cryptoError(CryptoErrorCode::InvalidKey, "safety number: NUL in stable id");
    auto localKey = decodePublicKey(localIdentityKey);
    if (!localKey)
        return Unexpected(std::move(localKey).error());
    auto remoteKey = decodePublicKey(remoteIdentityKey);
    if (!remoteKey)
        return Unexpected(std::move(remoteKey).error());
    const std::string localId(localStableId);
    const std::string remoteId(remoteStableId);

    std::lock_guard lock(SignalContext::mutex());
    fingerprint_generator* raw = nullptr;
    if (const int rc
        = fingerprint_generator_create(&raw, kSafetyNumberIterations, kSafetyNumberScannableVersion, global);
        rc != SG_SUCCESS)
        return signalFailure(rc, "fingerprint generator");
    std::unique_ptr<fingerprint_generator, GeneratorFree> generator(raw);
    SignalPtr<fingerprint> result;
    if (const int rc = fingerprint_generator_create_for(
            generator.get(), localId.c_str(), localKey->get(), remoteId.c_str(), remoteKey->get(), out(result));
        rc != SG_SUCCESS)
        return signalFailure(rc, "safety number");
    SafetyNumber number;
    number.displayable = displayable_fingerprint_text(fingerprint_get_displayable(result.get()));
    SignalBuffer scannable;
    if (const int rc = scannable_fingerprint_serialize(out(scannable), fingerprint_get_scannable(result.get()));
        rc != SG_SUCCESS)
        return signalFailure(rc, "scannable safety number");
    number.scannable = bytesOf(scannable.get());
    return number;
}

CryptoResult<bool> safetyNumbersMatch(const SafetyNumber& ours, ByteView scanned)
{
    signal_context* global = SignalContext::global();
    if (!global)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    if (scanned.empty())
        return cryptoError(CryptoErrorCode::InvalidMessage, "empty scanned safety number");
    std::lock_guard lock(SignalContext::mutex());
    SignalPtr<scannable_fingerprint> mine;
    if (const int rc
        = scannable_fingerprint_deserialize(out(mine), ours.scannable.data(), ours.scannable.size(), global);
        rc != SG_SUCCESS)
        return signalFailure(rc, "our safety number");
    SignalPtr<scannable_fingerprint> theirs;
    if (const int rc = scannable_fingerprint_deserialize(out(theirs), scanned.data(), scanned.size(), global);
        rc != SG_SUCCESS) {
        CryptoError error = signalError(rc, "scanned safety number");
        error.code = CryptoErrorCode::InvalidMessage;
        return Unexpected<CryptoError>(std::move(error));
    }
    const int rc = scannable_fingerprint_compare(mine.get(), theirs.get());
    if (rc == 1)
        return true;
    if (rc == SG_ERR_FP_IDENT_MISMATCH || rc == 0)
        return false;
    if (rc == SG_ERR_FP_VERSION_MISMATCH)
        return cryptoError(CryptoErrorCode::LegacyVersion, "scanned safety number has another version");
    return signalFailure(rc, "compare safety numbers");
}

} // namespace tenchat::crypto
