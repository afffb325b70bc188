// SPDX-License-Identifier: GPL-3.0-or-later
#include "ToDeviceBody.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tenchat::core::messaging {

QByteArray ToDeviceBody::encode() const
{
    QJsonObject o;
    o.insert(QStringLiteral("v"), 1);
    o.insert(QStringLiteral("op"), QStringLiteral("sender-key"));
    o.insert(QStringLiteral("conversation"), conversationId);
    o.insert(QStringLiteral("key"), QString::fromLatin1(senderKey.toBase64()));
    if (!title.isEmpty())
        o.insert(QStringLiteral("title"), title);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<ToDeviceBody> ToDeviceBody::decode(const QByteArray& bytes)
{
    QJsonParseError error {};
    const auto doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const auto o = doc.object();
    if (o.value(QStringLiteral("v")).toInt() != 1 || o.value(QStringLiteral("op")).toString() != u"sender-key")
        return std::nullopt;
    ToDeviceBody body;
    body.conversationId = o.value(QStringLiteral("conversation")).toString();
    body.senderKey = QByteArray::fromBase64(o.value(QStringLiteral("key")).toString().toLatin1());
    body.title = o.value(QStringLiteral("title")).toString();
    // Conversation ids are 16 bytes (32 hex digits).
    if (body.conversationId.size() != 32 || QByteArray::fromHex(body.conversationId.toLatin1()).size() != 16
        || body.senderKey.isEmpty())
        return std::nullopt;
    return body;
}

} // namespace tenchat::core::messaging
