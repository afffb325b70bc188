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
