// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMutex>
#include <QString>

#include <array>
#include <cstdint>

namespace tenchat::core::store {

// Monotonic ULID generator (https://github.com/ulid/spec): 48-bit Unix time in
// milliseconds + 80 random bits, Crockford base32, 26 characters, so that ids
// sort by creation time. Within one millisecond (or if the clock steps back)
// the random part is incremented, so ids from one generator strictly increase.
// Thread-safe.
class UlidGenerator {
public:
    QString next(); // uses the system clock
    QString next(std::uint64_t unixMs);

    static bool isValid(const QString& ulid);
    static std::uint64_t timestampOf(const QString& ulid); // 0 if invalid

private:
    QMutex mutex_;
    std::uint64_t lastMs_ = 0;
    std::array<std::uint8_t, 10> lastRandom_ {};
};

} // namespace tenchat::core::store
