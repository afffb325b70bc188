// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/plugins/MessageAttachment.h"

#include "tenchat/core/media/MediaManifest.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tenchat::core::plugins {

namespace {

const QString kAttachments = QStringLiteral("attachments");

media::MediaExpected<media::MediaManifest> manifestOf(const QJsonValue& entry)
{
    if (!entry.isObject())
        return media::mediaError(
            media::MediaErrorCode::InvalidManifest, QStringLiteral("an attachment must be a file manifest object"));
    return media::MediaManifest::fromJson(QJsonDocument(entry.toObject()).toJson(QJsonDocument::Compact));
}

} // namespace

QString MessageAttachment::idFor(const QString& messageId, int index)
{
    return QStringLiteral("%1:%2").arg(messageId).arg(index);
}

QList<MessageAttachment> MessageAttachment::ofMessage(const QString& messageId, const QString& body)
{
    QList<MessageAttachment> out;
    const QJsonDocument doc = QJsonDocument::fromJson(body.toUtf8());
    const QJsonArray entries = doc.object().value(kAttachments).toArray();
    for (int i = 0; i < entries.size() && i < kMaxPerMessage; ++i) {
        auto manifest = manifestOf(entries.at(i));
        if (!manifest)
            continue;
        MessageAttachment a;
        a.id = idFor(messageId, i);
        a.index = i;
        a.name = manifest->name;
        a.mimeType = manifest->mimeType;
        a.size = manifest->size;
        a.width = manifest->width;
        a.height = manifest->height;
        a.thumbnail = manifest->thumbnail;
        out.append(a);
    }
    return out;
}

PluginOk MessageAttachment::checkBody(const QJsonObject& body)
{
    if (!body.contains(kAttachments))
        return {};
    const QJsonValue value = body.value(kAttachments);
    if (!value.isArray())
        return pluginError(PluginErrorCode::InvalidArgument, QStringLiteral("'attachments' must be an array"));
    const QJsonArray entries = value.toArray();
    if (entries.size() > kMaxPerMessage)
        return pluginError(PluginErrorCode::InvalidArgument,
            QStringLiteral("'attachments' has more than %1 entries").arg(kMaxPerMessage));
    for (int i = 0; i < entries.size(); ++i) {
        if (auto manifest = manifestOf(entries.at(i)); !manifest)
            return pluginError(PluginErrorCode::InvalidArgument,
                QStringLiteral("attachments[%1] is not a file manifest: %2").arg(i).arg(manifest.error().message));
    }
    return {};
}

QVariantMap MessageAttachment::toVariantMap() const
{
    return { { QStringLiteral("id"), id }, { QStringLiteral("index"), index }, { QStringLiteral("name"), name },
        { QStringLiteral("mimeType"), mimeType }, { QStringLiteral("size"), size }, { QStringLiteral("width"), width },
        { QStringLiteral("height"), height }, { QStringLiteral("image"), isImage() } };
}

} // namespace tenchat::core::plugins
