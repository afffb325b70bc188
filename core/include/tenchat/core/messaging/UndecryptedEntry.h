// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace tenchat::core::messaging {

// A group message this device has received (it is stored) but cannot open
// yet: the sender's sender key is missing or behind. The UI shows it in the
// timeline at `seq` as "waiting for this message…" (Waiting: the key was
// asked for) or "this message could not be decrypted" (Undecryptable: the
// sender answered without a key that opens it, or nothing came for a day).
struct UndecryptedEntry {
    enum class State { Waiting, Undecryptable };
    QString conversationId; // hex
    qint64 seq = 0; // the relay's sequence number (timeline position)
    QString senderUserId; // hex
    quint32 senderDeviceId = 0;
    qint64 receivedAt = 0; // ms since the epoch
    State state = State::Waiting;
};

} // namespace tenchat::core::messaging
