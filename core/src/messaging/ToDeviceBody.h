// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What travels inside a pairwise (double-ratchet) to-device message: a small
// versioned JSON object, padded before encryption. The relay never sees it.
// Not a public API.

#include <QByteArray>
#include <QString>

#include <optional>

namespace tenchat::core::messaging {

struct ToDeviceBody {
    enum class Op {
        // The sender's current sender key for one group or channel (a
        // libsignal SenderKeyDistributionMessage), with the group's name.
        SenderKey,
    };

    Op op = Op::SenderKey;
    QString conversationId; // hex
    QByteArray senderKey; // the distribution message
    QString title; // the group's name, as the sender knows it

    QByteArray encode() const;
    // nullopt for anything that is not a version-1 body of a known op.
    static std::optional<ToDeviceBody> decode(const QByteArray& bytes);
};

} // namespace tenchat::core::messaging
