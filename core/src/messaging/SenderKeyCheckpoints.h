// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Sender-key recovery on the sending side: checkpoints of our own sender key
// (its distribution message at some iteration, with the devices that had the
// key by then), kept in the store's settings, and the rules for answering a
// request. Not a public API.

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace tenchat::core::messaging {

struct SenderKeyCheckpoint {
    std::uint32_t keyId = 0;
    std::uint32_t iteration = 0;
    QByteArray distribution; // SenderKeyDistributionMessage at `iteration`
    QSet<QString> devices; // "user-hex:device" that had this key at `iteration`
};

namespace checkpoints {

// Checkpoints kept per conversation (the oldest go first).
constexpr int kMaxCheckpoints = 8;

QByteArray encode(const QList<SenderKeyCheckpoint>& list);
// Malformed lines are skipped.
QList<SenderKeyCheckpoint> decode(const QByteArray& bytes);
// Adds `checkpoint`; one at the same key and iteration as the newest takes its
// devices in; beyond kMaxCheckpoints the oldest is dropped.
void add(QList<SenderKeyCheckpoint>& list, const SenderKeyCheckpoint& checkpoint);
// What lets `device` read key `keyId` from `iteration` on: the latest
// checkpoint of that key at or before `iteration` that `device` was given.
// A device never gets a checkpoint from before it had the key (a member added
// later does not read what was sent before it joined).
std::optional<SenderKeyCheckpoint> pick(
    const QList<SenderKeyCheckpoint>& list, std::uint32_t keyId, std::uint32_t iteration, const QString& device);

} // namespace checkpoints

// Whether to answer a sender-key request of `requesterUser` (hex) for a
// conversation: only in a group where we still post, and only to a current
// member. Anything else is refused without an answer.
enum class KeyRequestVerdict { Answer, NotAGroup, NoOwnKey, NotAMember };
KeyRequestVerdict checkKeyRequest(
    bool isGroup, bool wePost, const QStringList& memberUsers, const QString& requesterUser);

} // namespace tenchat::core::messaging
