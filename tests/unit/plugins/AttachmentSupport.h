// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Structured message bodies that carry file attachments (file manifests,
// docs/plugins.md "Images from attachments").

#include "tenchat/core/media/MediaManifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tenchat::testing {

// A valid one-chunk file manifest (the body of a file message) as JSON.
inline QJsonObject fileManifest(
    const QString& name, const QString& mimeType, const QByteArray& thumbnail = {}, int width = 0, int height = 0)
{
    core::media::MediaManifest m;
    m.name = name;
    m.size = 1000;
    m.mimeType = mimeType;
    m.key = QByteArray(32, 'k');
    m.width = width;
    m.height = height;
    m.thumbnail = thumbnail;
    m.chunks.append({ QByteArray(32, 'c'), quint32(m.size + 41), false });
    return QJsonDocument::fromJson(m.toJson()).object();
}

// A structured payload: its fallback, extra fields and the attachments.
inline QString bodyWithAttachments(const QJsonArray& attachments, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("fallback"), QStringLiteral("Photos"));
    fields.insert(QStringLiteral("attachments"), attachments);
    return QString::fromUtf8(QJsonDocument(fields).toJson(QJsonDocument::Compact));
}

} // namespace tenchat::testing
