// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/Ulid.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace tenchat::core::store {

namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int decodeChar(QChar c)
{
    const char ch = static_cast<char>(c.toUpper().unicode());
    for (int i = 0; i < 32; ++i) {
        if (kAlphabet[i] == ch)
            return i;
    }
    return -1;
}

} // namespace

QString UlidGenerator::next()
{
    return next(static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch()));
}

QString UlidGenerator::next(std::uint64_t unixMs)
{
    std::array<std::uint8_t, 16> bytes {};
    {
        QMutexLocker lock(&mutex_);
        if (unixMs <= lastMs_) {
            // Same millisecond or clock went back: keep the last time and
            // increment the 80-bit random part (overflow practically impossible).
            unixMs = lastMs_;
            for (int i = 9; i >= 0; --i) {
                if (++lastRandom_[static_cast<std::size_t>(i)] != 0)
                    break;
            }
        } else {
            lastMs_ = unixMs;
            QRandomGenerator::system()->generate(lastRandom_.begin(), lastRandom_.end());
        }
        for (int i = 0; i < 6; ++i)
            bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(unixMs >> (8 * (5 - i)));
        std::copy(lastRandom_.begin(), lastRandom_.end(), bytes.begin() + 6);
    }
    // 128 bits -> 26 base32 digits (the first digit carries the top 3 bits).
    QString out(26, QChar('0'));
    for (int i = 25; i >= 0; --i) {
        int value = 0;
        const int bitOffset = (25 - i) * 5; // from the least significant bit
        for (int b = 0; b < 5; ++b) {
            const int bit = bitOffset + b;
            if (bit >= 128)
                break;
            const int byteIndex = 15 - bit / 8;
            if ((bytes[static_cast<std::size_t>(byteIndex)] >> (bit % 8)) & 1)
                value |= 1 << b;
        }
        out[i] = QChar(kAlphabet[value]);
    }
    return out;
}

bool UlidGenerator::isValid(const QString& ulid)
{
    if (ulid.size() != 26 || decodeChar(ulid[0]) > 7)
        return false;
    for (QChar c : ulid) {
        if (decodeChar(c) < 0)
            return false;
    }
    return true;
}

std::uint64_t UlidGenerator::timestampOf(const QString& ulid)
{
    if (!isValid(ulid))
        return 0;
    std::uint64_t value = 0;
    for (int i = 0; i < 10; ++i) // the first 10 digits hold the 48-bit time (50 bits, top 2 zero)
        value = (value << 5) | static_cast<std::uint64_t>(decodeChar(ulid[i]));
    return value;
}

} // namespace tenchat::core::store
