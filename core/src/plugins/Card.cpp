// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/plugins/Card.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVariantList>

namespace tenchat::core::plugins {

namespace {

Unexpected<PluginError> invalid(const QString& why)
{
    return pluginError(PluginErrorCode::InvalidCard, why);
}

PluginOk knownKeys(const QJsonObject& o, const QStringList& keys, const QString& where)
{
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!keys.contains(it.key()))
            return invalid(QStringLiteral("unknown key '%1%2'").arg(where, it.key().left(40)));
    return {};
}

PluginExpected<QString> stringField(
    const QJsonObject& o, const QString& key, int max, bool required, const QString& where)
{
    if (!o.contains(key)) {
        if (required)
            return invalid(QStringLiteral("'%1%2' is required").arg(where, key));
        return QString();
    }
    if (!o.value(key).isString())
        return invalid(QStringLiteral("'%1%2' must be a string").arg(where, key));
    const QString s = o.value(key).toString();
    if (s.size() > max)
        return invalid(QStringLiteral("'%1%2' is longer than %3").arg(where, key).arg(max));
    return s;
}

PluginExpected<QJsonArray> array(const QJsonObject& o, const QString& key, int max)
{
    if (!o.contains(key))
        return QJsonArray {};
    if (!o.value(key).isArray())
        return invalid(QStringLiteral("'%1' must be an array").arg(key));
    const QJsonArray a = o.value(key).toArray();
    if (a.size() > max)
        return invalid(QStringLiteral("'%1' has more than %2 entries").arg(key).arg(max));
    return a;
}

} // namespace

PluginExpected<Card> Card::fromJson(const QJsonValue& value, const QSet<QString>& attachmentIds)
{
    if (!value.isObject())
        return invalid(QStringLiteral("a card must be an object"));
    const QJsonObject o = value.toObject();
    if (auto ok = knownKeys(o,
            { QStringLiteral("title"), QStringLiteral("text"), QStringLiteral("fields"), QStringLiteral("images"),
                QStringLiteral("buttons") },
            QString());
        !ok)
        return makeUnexpected(ok.error());
    Card card;
    auto title = stringField(o, QStringLiteral("title"), 200, false, QString());
    if (!title)
        return makeUnexpected(title.error());
    auto body = stringField(o, QStringLiteral("text"), 4000, false, QString());
    if (!body)
        return makeUnexpected(body.error());
    card.title = *title;
    card.text = *body;

    auto fields = array(o, QStringLiteral("fields"), 20);
    if (!fields)
        return makeUnexpected(fields.error());
    for (const QJsonValue& v : *fields) {
        if (!v.isObject())
            return invalid(QStringLiteral("fields[] must be objects"));
        const QJsonObject f = v.toObject();
        if (auto ok = knownKeys(f, { QStringLiteral("label"), QStringLiteral("value"), QStringLiteral("progress") },
                QStringLiteral("fields[]."));
            !ok)
            return makeUnexpected(ok.error());
        auto label = stringField(f, QStringLiteral("label"), 100, true, QStringLiteral("fields[]."));
        if (!label)
            return makeUnexpected(label.error());
        auto fieldValue = stringField(f, QStringLiteral("value"), 1000, false, QStringLiteral("fields[]."));
        if (!fieldValue)
            return makeUnexpected(fieldValue.error());
        Field field { *label, *fieldValue, std::nullopt };
        if (f.contains(QStringLiteral("progress"))) {
            const QJsonValue p = f.value(QStringLiteral("progress"));
            if (!p.isDouble() || !(p.toDouble() >= 0.0 && p.toDouble() <= 1.0))
                return invalid(QStringLiteral("fields[].progress must be a number in 0..1"));
            field.progress = p.toDouble();
        }
        card.fields.append(field);
    }

    auto images = array(o, QStringLiteral("images"), 4);
    if (!images)
        return makeUnexpected(images.error());
    for (const QJsonValue& v : *images) {
        if (!v.isString() || !attachmentIds.contains(v.toString()))
            return invalid(QStringLiteral("images[] must be ids of the message's own attachments"));
        card.imageAttachmentIds << v.toString();
    }

    auto buttons = array(o, QStringLiteral("buttons"), 8);
    if (!buttons)
        return makeUnexpected(buttons.error());
    for (const QJsonValue& v : *buttons) {
        if (!v.isObject())
            return invalid(QStringLiteral("buttons[] must be objects"));
        const QJsonObject b = v.toObject();
        if (auto ok = knownKeys(b, { QStringLiteral("label"), QStringLiteral("action") }, QStringLiteral("buttons[]."));
            !ok)
            return makeUnexpected(ok.error());
        auto label = stringField(b, QStringLiteral("label"), 60, true, QStringLiteral("buttons[]."));
        if (!label)
            return makeUnexpected(label.error());
        auto action = stringField(b, QStringLiteral("action"), 256, true, QStringLiteral("buttons[]."));
        if (!action)
            return makeUnexpected(action.error());
        if (label->trimmed().isEmpty())
            return invalid(QStringLiteral("buttons[].label must not be empty"));
        card.buttons.append({ *label, *action });
    }
    if (card.title.isEmpty() && card.text.isEmpty() && card.fields.isEmpty())
        return invalid(QStringLiteral("a card needs a title, a text or fields"));
    return card;
}

QString Card::fallbackText(const QString& body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body.toUtf8());
    if (doc.isObject() && doc.object().value(QStringLiteral("fallback")).isString())
        return doc.object().value(QStringLiteral("fallback")).toString().left(4000);
    return {};
}

Card Card::unsupportedCard(const QString& contentType, const QString& body)
{
    Card card;
    card.unsupported = true;
    card.fallback = fallbackText(body);
    card.title = QStringLiteral("Unsupported content");
    card.text = card.fallback.isEmpty()
        ? QStringLiteral("This message has content of type %1 that no installed plugin can show.")
              .arg(contentType.left(120))
        : card.fallback;
    return card;
}

QVariantMap Card::toVariantMap() const
{
    QVariantList fieldList;
    for (const Field& f : fields)
        fieldList << QVariantMap { { QStringLiteral("label"), f.label }, { QStringLiteral("value"), f.value },
            { QStringLiteral("progress"), f.progress ? QVariant(*f.progress) : QVariant(-1.0) } };
    QVariantList buttonList;
    for (const Button& b : buttons)
        buttonList << QVariantMap { { QStringLiteral("label"), b.label }, { QStringLiteral("action"), b.action } };
    return { { QStringLiteral("title"), title }, { QStringLiteral("text"), text },
        { QStringLiteral("fields"), fieldList }, { QStringLiteral("images"), imageAttachmentIds },
        { QStringLiteral("buttons"), buttonList }, { QStringLiteral("unsupported"), unsupported },
        { QStringLiteral("fallback"), fallback }, { QStringLiteral("plugin"), pluginName } };
}

} // namespace tenchat::core::plugins
