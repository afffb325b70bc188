// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/PluginError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QVariantMap>

namespace tenchat::core::plugins {

// A file that travels with a structured (plugin content type) message: the
// message body's "attachments" array holds file manifests, each the same
// JSON as the body of a file message (docs/media.md), so the file's key
// travels inside the message's end-to-end encryption like any other file.
// An attachment is named "<message id>:<index>"; a card drawn for the
// message may show the images among them (Card "images"), and nothing else.
struct MessageAttachment {
    static constexpr int kMaxPerMessage = 8;

    QString id; // "<message id>:<index>"
    int index = 0;
    QString name;
    QString mimeType;
    qint64 size = 0;
    int width = 0;
    int height = 0;
    QByteArray thumbnail; // small JPEG preview of an image, may be empty

    bool isImage() const { return mimeType.startsWith(QLatin1String("image/")); }
    static QString idFor(const QString& messageId, int index);
    // The attachments of a structured message. Entries that are not valid
    // manifests are left out (their ids name nothing).
    static QList<MessageAttachment> ofMessage(const QString& messageId, const QString& body);
    // Checked when a plugin sends a structured body: "attachments", if
    // present, is an array of at most kMaxPerMessage valid file manifests
    // (InvalidArgument naming the first bad entry otherwise).
    static PluginOk checkBody(const QJsonObject& body);
    // What a renderer sees (ctx.attachments[]): id, index, name, mimeType,
    // size, width, height, image. Never the key or the chunk list.
    QVariantMap toVariantMap() const;
};

} // namespace tenchat::core::plugins
