// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/plugins/Card.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
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

// One entry of "images": an image attachment of the message the card is drawn for.
PluginExpected<Card::Image> image(const QJsonValue& v, int index, const Card::Context& context)
{
    const QString where = QStringLiteral("images[%1]").arg(index);
    Card::Image out;
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (auto ok = knownKeys(o, { QStringLiteral("attachment"), QStringLiteral("alt") }, where + QLatin1Char('.'));
            !ok)
            return makeUnexpected(ok.error());
        auto id = stringField(o, QStringLiteral("attachment"), 200, true, where + QLatin1Char('.'));
        if (!id)
            return makeUnexpected(id.error());
        auto alt = stringField(o, QStringLiteral("alt"), 200, false, where + QLatin1Char('.'));
        if (!alt)
            return makeUnexpected(alt.error());
        out = { *id, *alt };
    } else if (v.isString()) {
        out.attachmentId = v.toString();
    } else {
        return invalid(
            QStringLiteral("%1 must be an attachment id or { \"attachment\": id, \"alt\": text }").arg(where));
    }
    const QString& ref = out.attachmentId;
    static const QRegularExpression idSyntax(QStringLiteral("^([A-Za-z0-9_-]{1,128}):([0-9]{1,3})$"));
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*:"));
    const QRegularExpressionMatch m = idSyntax.match(ref);
    if (!m.hasMatch()) {
        const bool urlOrPath = ref.contains(QLatin1Char('/')) || ref.contains(QLatin1Char('\\'))
            || ref.startsWith(QLatin1Char('~')) || ref.startsWith(QLatin1Char('.')) || scheme.match(ref).hasMatch();
        return invalid(urlOrPath
                ? QStringLiteral("%1: URLs and paths are not allowed, only attachment ids of this message").arg(where)
                : QStringLiteral("%1: '%2' is not an attachment id (\"<message id>:<index>\")")
                      .arg(where, ref.left(40)));
    }
    if (m.captured(1) != context.messageId)
        return invalid(
            QStringLiteral("%1: '%2' is an attachment of another message; a card shows only its own message's")
                .arg(where, ref));
    for (const MessageAttachment& a : context.attachments) {
        if (a.id != ref)
            continue;
        if (!a.isImage())
            return invalid(QStringLiteral("%1: attachment '%2' is not an image (%3)").arg(where, ref, a.mimeType));
        return out;
    }
    return invalid(QStringLiteral("%1: this message has no attachment '%2' (it has %3)")
                       .arg(where, ref)
                       .arg(context.attachments.size()));
}

} // namespace

PluginExpected<Card> Card::fromJson(const QJsonValue& value, const Context& context)
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
    for (int i = 0; i < images->size(); ++i) {
        auto entry = image(images->at(i), i, context);
        if (!entry)
            return makeUnexpected(entry.error());
        card.images.append(*entry);
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
    QVariantList imageList;
    for (const Image& i : images)
        imageList << QVariantMap { { QStringLiteral("attachment"), i.attachmentId }, { QStringLiteral("alt"), i.alt } };
    QVariantList buttonList;
    for (const Button& b : buttons)
        buttonList << QVariantMap { { QStringLiteral("label"), b.label }, { QStringLiteral("action"), b.action } };
    return { { QStringLiteral("title"), title }, { QStringLiteral("text"), text },
        { QStringLiteral("fields"), fieldList }, { QStringLiteral("images"), imageList },
        { QStringLiteral("buttons"), buttonList }, { QStringLiteral("unsupported"), unsupported },
        { QStringLiteral("fallback"), fallback }, { QStringLiteral("plugin"), pluginName } };
}

} // namespace tenchat::core::plugins
