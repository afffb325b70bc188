// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace tenchat::core::messaging {

// One device of this account, as the relay lists it.
struct OwnDevice {
    quint32 id = 0;
    QString name;
    qint64 createdAt = 0; // ms since the epoch
    qint64 lastSeenAt = 0; // ms; 0 = not known (this device: now)
    bool revoked = false;
    qint64 revokedAt = 0;
    bool current = false; // the device running this client
};

} // namespace tenchat::core::messaging
