// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/messaging/Backoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace tenchat::core::messaging {

int Backoff::nextDelayMs()
{
    const int shift = std::min(attempt_, 20);
    const qint64 ceiling = std::min<qint64>(qint64(baseMs_) << shift, maxMs_);
    ++attempt_;
    const qint64 floor = ceiling / 2;
    return int(floor + QRandomGenerator::global()->bounded(ceiling - floor + 1));
}

} // namespace tenchat::core::messaging
