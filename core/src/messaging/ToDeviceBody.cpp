// SPDX-License-Identifier: GPL-3.0-or-later
#include "ToDeviceBody.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tenchat::core::messaging {

namespace {

QString opName(ToDeviceBody::Op op)
{
    switch (op) {
    case ToDeviceBody::Op::SenderKeyRequest: return QStringLiteral("sender-key-request");
    case ToDeviceBody::Op::SenderKeyUnavailable: return QStringLiteral("sender-key-unavailable");
    case ToDeviceBody::Op::SenderKey: break;
    }
    return QStringLiteral("sender-key");
}

std::optional<ToDeviceBody::Op> opOf(const QString& name)
{
    for (auto op :
        { ToDeviceBody::Op::SenderKey, ToDeviceBody::Op::SenderKeyRequest, ToDeviceBody::Op::SenderKeyUnavailable })
        if (opName(op) == name)
            return op;
    return std::nullopt;
}

// A JSON number that is a whole uint32.
std::optional<std::uint32_t> uint32Of(const QJsonValue& value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (d < 0 || d > 4294967295.0 || d != double(qint64(d)))
        return std::nullopt;
    return std::uint32_t(qint64(d));
}

} // namespace

QByteArray ToDeviceBody::encode() const
{
    QJsonObject o;
    o.insert(QStringLiteral("v"), 1);
    o.insert(QStringLiteral("op"), opName(op));
    o.insert(QStringLiteral("conversation"), conversationId);
    if (op == Op::SenderKey) {
        o.insert(QStringLiteral("key"), QString::fromLatin1(senderKey.toBase64()));
        if (!title.isEmpty())
            o.insert(QStringLiteral("title"), title);
        if (answers)
            o.insert(QStringLiteral("answers"), true);
    } else {
        o.insert(QStringLiteral("keyId"), qint64(keyId));
        if (op == Op::SenderKeyRequest)
            o.insert(QStringLiteral("iteration"), qint64(iteration));
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<ToDeviceBody> ToDeviceBody::decode(const QByteArray& bytes)
{
    QJsonParseError error {};
    const auto doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const auto o = doc.object();
    const auto op = opOf(o.value(QStringLiteral("op")).toString());
    if (o.value(QStringLiteral("v")).toInt() != 1 || !op)
        return std::nullopt;
    ToDeviceBody body;
    body.op = *op;
    body.conversationId = o.value(QStringLiteral("conversation")).toString();
    // Conversation ids are 16 bytes (32 hex digits).
    if (body.conversationId.size() != 32 || QByteArray::fromHex(body.conversationId.toLatin1()).size() != 16)
        return std::nullopt;
    if (body.op == Op::SenderKey) {
        body.senderKey = QByteArray::fromBase64(o.value(QStringLiteral("key")).toString().toLatin1());
        body.title = o.value(QStringLiteral("title")).toString();
        body.answers = o.value(QStringLiteral("answers")).toBool();
        return body.senderKey.isEmpty() ? std::nullopt : std::optional<ToDeviceBody>(body);
    }
    const auto keyId = uint32Of(o.value(QStringLiteral("keyId")));
    const auto iteration = body.op == Op::SenderKeyRequest ? uint32Of(o.value(QStringLiteral("iteration")))
                                                           : std::optional<std::uint32_t>(0);
    if (!keyId || !iteration)
        return std::nullopt;
    body.keyId = *keyId;
    body.iteration = *iteration;
    return body;
}

} // namespace tenchat::core::messaging
