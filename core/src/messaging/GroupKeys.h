// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Where the GroupEngine keeps its sender-key bookkeeping (store settings;
// the keys themselves are in the protocol store). Not a public API.

#include <QByteArray>
#include <QSet>
#include <QString>

namespace tenchat::core::messaging::groupkeys {

// "1" when our sender key of the conversation must be replaced before the
// next use (a member left or was removed).
inline QString rotateKey(const QString& conversationId)
{
    return QStringLiteral("group.sk.rotate.") + conversationId;
}

// The devices ("user-hex:device") that have our current sender key.
inline QString sentKey(const QString& conversationId)
{
    return QStringLiteral("group.sk.sent.") + conversationId;
}

inline QString deviceTag(const QString& userHex, int deviceId)
{
    return userHex + QLatin1Char(':') + QString::number(deviceId);
}

// Checkpoints of our sender key (SenderKeyCheckpoints.h), for answering
// sender-key requests.
inline QString checkpointsKey(const QString& conversationId)
{
    return QStringLiteral("group.sk.checkpoints.") + conversationId;
}

// The sender-key requests this device sent and has no answer for yet, with
// their rate limit (JSON by stream): kept so that a restart neither forgets
// them nor asks again before the limit allows.
inline QString keyRequestsKey()
{
    return QStringLiteral("group.sk.requests");
}

// One sender device in one conversation: what sender-key requests are
// limited by.
inline QString streamTag(const QString& conversationId, const QString& userHex, quint32 deviceId)
{
    return conversationId + QLatin1Char('|') + deviceTag(userHex, int(deviceId));
}

// The inbox's last_error of a group entry that lacks its sender key: asked
// for and waiting, or given up (the UI shows "could not be decrypted").
inline QString waitingForKeyState()
{
    return QStringLiteral("sender-key-waiting");
}
inline QString undecryptableState()
{
    return QStringLiteral("sender-key-undecryptable");
}
inline bool isKeyWaitState(const QString& lastError)
{
    return lastError == waitingForKeyState() || lastError == undecryptableState();
}

inline QSet<QString> parseDevices(const QByteArray& list)
{
    QSet<QString> out;
    for (const auto& part : list.split(','))
        if (!part.isEmpty())
            out.insert(QString::fromLatin1(part));
    return out;
}

inline QByteArray joinDevices(const QSet<QString>& devices)
{
    QByteArrayList parts;
    for (const auto& d : devices)
        parts << d.toLatin1();
    return parts.join(',');
}

} // namespace tenchat::core::messaging::groupkeys
