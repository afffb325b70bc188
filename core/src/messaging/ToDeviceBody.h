// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What travels inside a pairwise (double-ratchet) to-device message: a small
// versioned JSON object, padded before encryption. The relay never sees it.
// Not a public API.

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>

namespace tenchat::core::messaging {

struct ToDeviceBody {
    enum class Op {
        // The sender's sender key for one group or channel (a libsignal
        // SenderKeyDistributionMessage), with the group's name. `answers`
        // when it answers a SenderKeyRequest.
        SenderKey,
        // "I cannot open your messages from key `keyId`, iteration
        // `iteration` on": asks the sender for its key (sender-key recovery).
        SenderKeyRequest,
        // The answer when the sender no longer has key `keyId` (rotated away):
        // the waiting messages cannot be decrypted.
        SenderKeyUnavailable,
    };

    Op op = Op::SenderKey;
    QString conversationId; // hex
    QByteArray senderKey; // the distribution message (SenderKey)
    QString title; // the group's name, as the sender knows it (SenderKey)
    bool answers = false; // SenderKey: sent in answer to a request
    std::uint32_t keyId = 0; // SenderKeyRequest, SenderKeyUnavailable
    std::uint32_t iteration = 0; // SenderKeyRequest

    QByteArray encode() const;
    // nullopt for anything that is not a version-1 body of a known op.
    static std::optional<ToDeviceBody> decode(const QByteArray& bytes);
};

} // namespace tenchat::core::messaging
