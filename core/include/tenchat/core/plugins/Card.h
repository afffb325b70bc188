// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/MessageAttachment.h"
#include "tenchat/core/plugins/PluginError.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QVariantMap>

#include <optional>

namespace tenchat::core::plugins {

// A declarative card: what a plugin returns to render a structured payload.
// TenChat's own QML components draw it (qml/ Card); a plugin never supplies
// QML, HTML, paths or URLs. fromJson() accepts exactly this schema:
//   { "title": str<=200, "text": str<=4000,
//     "fields": [ { "label": str<=100, "value": str<=1000, "progress": 0..1 } ] <=20,
//     "images": [ "<attachment id>" | { "attachment": "<attachment id>", "alt": str<=200 } ] <=4,
//     "buttons": [ { "label": str<=60, "action": str<=256 } ] <=8 }
// An image names an image attachment of the very message the card is drawn
// for (MessageAttachment, "<message id>:<index>"). Unknown keys, wrong types
// or sizes, URLs, paths and attachments of other messages are InvalidCard
// errors that say which entry is wrong and why.
struct Card {
    struct Field {
        QString label;
        QString value;
        std::optional<double> progress; // a bar, 0..1
    };
    struct Image {
        QString attachmentId; // MessageAttachment::id of this message
        QString alt; // what the picture shows (screen readers)
    };
    struct Button {
        QString label;
        QString action; // opaque data handed back to the plugin's callback
    };

    QString title;
    QString text;
    QList<Field> fields;
    QList<Image> images;
    QList<Button> buttons;
    bool unsupported = false; // no renderer: shows `fallback`
    QString fallback; // plain text for clients without the renderer
    QString pluginName; // who rendered it (button callbacks go there)

    // The message a card is drawn for: images may name its attachments only.
    struct Context {
        QString messageId;
        QList<MessageAttachment> attachments;
    };

    static PluginExpected<Card> fromJson(const QJsonValue& value, const Context& context = {});
    // The unsupported-content card: the payload's "fallback" text if it has
    // one, otherwise a generic note with the content type.
    static Card unsupportedCard(const QString& contentType, const QString& body);
    // The plain-text fallback of a structured body (its "fallback" string).
    static QString fallbackText(const QString& body);
    // For QML: title, text, fields[{label,value,progress}], images[{attachment,alt}], buttons[{label,action}],
    // unsupported, fallback.
    QVariantMap toVariantMap() const;
};

} // namespace tenchat::core::plugins
