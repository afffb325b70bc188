// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/messaging/MessageBody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace tenchat::core::messaging {

namespace {

QString opName(MessageBody::Op op)
{
    switch (op) {
    case MessageBody::Op::Message: return QStringLiteral("message");
    case MessageBody::Op::Edit: return QStringLiteral("edit");
    case MessageBody::Op::Delete: return QStringLiteral("delete");
    case MessageBody::Op::Reaction: return QStringLiteral("reaction");
    case MessageBody::Op::Receipt: return QStringLiteral("receipt");
    }
    return {};
}

std::optional<MessageBody::Op> opFromName(const QString& name)
{
    for (auto op : { MessageBody::Op::Message, MessageBody::Op::Edit, MessageBody::Op::Delete,
             MessageBody::Op::Reaction, MessageBody::Op::Receipt })
        if (opName(op) == name)
            return op;
    return std::nullopt;
}

} // namespace

QByteArray MessageBody::encode() const
{
    QJsonObject o;
    o.insert(QStringLiteral("v"), 1);
    o.insert(QStringLiteral("op"), opName(op));
    o.insert(QStringLiteral("id"), messageId);
    o.insert(QStringLiteral("sentAt"), double(sentAt));
    if (lamport > 0)
        o.insert(QStringLiteral("lamport"), double(lamport));
    if (op == Op::Message || op == Op::Edit) {
        o.insert(QStringLiteral("type"), contentType);
        o.insert(QStringLiteral("text"), text);
    }
    if (!replyTo.isEmpty())
        o.insert(QStringLiteral("replyTo"), replyTo);
    if (!target.isEmpty())
        o.insert(QStringLiteral("target"), target);
    if (op == Op::Reaction) {
        o.insert(QStringLiteral("emoji"), emoji);
        o.insert(QStringLiteral("remove"), removeReaction);
    }
    if (op == Op::Receipt) {
        o.insert(QStringLiteral("receipt"), receipt);
        o.insert(QStringLiteral("targets"), QJsonArray::fromStringList(targets));
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<MessageBody> MessageBody::decode(const QByteArray& bytes)
{
    QJsonParseError error {};
    const auto doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const auto o = doc.object();
    if (o.value(QStringLiteral("v")).toInt() != 1)
        return std::nullopt;
    auto op = opFromName(o.value(QStringLiteral("op")).toString());
    if (!op)
        return std::nullopt;
    MessageBody body;
    body.op = *op;
    body.messageId = o.value(QStringLiteral("id")).toString();
    body.sentAt = qint64(o.value(QStringLiteral("sentAt")).toDouble());
    body.lamport = std::max<qint64>(0, qint64(o.value(QStringLiteral("lamport")).toDouble()));
    body.contentType = o.value(QStringLiteral("type")).toString(QStringLiteral("text/plain"));
    body.text = o.value(QStringLiteral("text")).toString();
    body.replyTo = o.value(QStringLiteral("replyTo")).toString();
    body.target = o.value(QStringLiteral("target")).toString();
    body.emoji = o.value(QStringLiteral("emoji")).toString();
    body.removeReaction = o.value(QStringLiteral("remove")).toBool();
    body.receipt = o.value(QStringLiteral("receipt")).toString();
    for (const auto& t : o.value(QStringLiteral("targets")).toArray())
        body.targets << t.toString();
    if (body.messageId.isEmpty())
        return std::nullopt;
    return body;
}

} // namespace tenchat::core::messaging
