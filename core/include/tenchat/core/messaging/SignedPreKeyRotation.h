// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/MessagingError.h"
#include "tenchat/v1/keys.pb.h"

#include <functional>
#include <optional>

namespace tenchat::core::messaging {

class Account;

// Signed pre-key rotation on a schedule: a new signed pre-key every
// kRotationIntervalMs; the previous one stays in the store for kGraceMs
// (sessions started from a bundle fetched just before the rotation still
// decrypt), then it is deleted. The state lives in the profile's settings:
//   account.signedPreKeyId / account.signedPreKeyAt      current key, since
//   account.previousSignedPreKeyId / ...RetiredAt         kept until grace ends
//   account.signedPreKeyUnpublished                       1 until the relay has it
// The clock is injectable (tests).
class SignedPreKeyRotation {
public:
    using Clock = std::function<qint64()>; // ms since the epoch
    static constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;
    static constexpr qint64 kRotationIntervalMs = 7 * kDayMs;
    static constexpr qint64 kGraceMs = 7 * kDayMs;

    explicit SignedPreKeyRotation(Account& account, Clock clock = {});
    void setClock(Clock clock) { clock_ = std::move(clock); }

    // Rotates when due and deletes a previous key whose grace ended. Returns
    // the upload to send when the relay does not have the current key yet
    // (call markPublished() after the relay accepted it).
    MessagingExpected<std::optional<tenchat::v1::UploadPreKeysRequest>> check();
    MessagingOk markPublished();

    // The current and the previous (kept) signed pre-key ids.
    MessagingExpected<std::uint32_t> currentId();
    MessagingExpected<std::optional<std::uint32_t>> previousId();

private:
    qint64 now() const;

    Account& account_;
    Clock clock_;
};

} // namespace tenchat::core::messaging
