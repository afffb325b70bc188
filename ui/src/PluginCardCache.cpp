// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/PluginCardCache.h"

#include "tenchat/core/plugins/Card.h"
#include "tenchat/core/plugins/MessageAttachment.h"
#include "tenchat/ui/MediaImageProvider.h"
#include "tenchat/ui/PluginService.h"

#include <algorithm>

namespace tenchat::ui {

PluginCardCache::PluginCardCache(QObject* parent) : QObject(parent)
{ }

void PluginCardCache::setService(PluginService* service)
{
    service_ = service;
    invalidate();
}

QString PluginCardCache::keyOf(const core::store::Message& message)
{
    return QStringLiteral("%1/%2/%3").arg(message.id).arg(message.editedAt.value_or(0)).arg(qHash(message.body));
}

QVariantMap PluginCardCache::withImageSources(
    QVariantMap card, const core::store::Message& message, MediaImageStore* images)
{
    QVariantList shown = card.value(QStringLiteral("images")).toList();
    if (shown.isEmpty())
        return card;
    const auto attachments = core::plugins::MessageAttachment::ofMessage(message.id, message.body);
    const QString thumbPrefix = QStringLiteral("image://%1/thumb/").arg(QLatin1String(MediaImageProvider::kName));
    for (QVariant& entry : shown) {
        QVariantMap image = entry.toMap();
        const QString id = image.value(QStringLiteral("attachment")).toString();
        const auto it = std::find_if(attachments.begin(), attachments.end(),
            [&](const core::plugins::MessageAttachment& a) { return a.id == id; });
        if (it == attachments.end())
            continue; // the host validated the card against this message: cannot happen
        const bool decoded = it->isImage() && images && images->setThumbnail(id, it->thumbnail);
        image.insert(QStringLiteral("source"), decoded ? thumbPrefix + id : QString());
        image.insert(QStringLiteral("name"), it->name);
        image.insert(QStringLiteral("width"), it->width);
        image.insert(QStringLiteral("height"), it->height);
        if (image.value(QStringLiteral("alt")).toString().isEmpty())
            image.insert(QStringLiteral("alt"), it->name);
        entry = image;
    }
    card.insert(QStringLiteral("images"), shown);
    return card;
}

QVariantMap PluginCardCache::cardFor(const core::store::Message& message)
{
    const QString key = keyOf(message);
    const auto it = cards_.constFind(key);
    if (it != cards_.constEnd())
        return *it;
    if (!service_)
        return core::plugins::Card::unsupportedCard(message.contentType, message.body).toVariantMap();
    // An edited message keeps showing its previous card until the new one is
    // there (no flash of plain text on every vote).
    const auto previous = latest_.constFind(message.id);
    QVariantMap placeholder = previous != latest_.constEnd()
        ? *previous
        : core::plugins::Card::unsupportedCard(message.contentType, message.body).toVariantMap();
    placeholder.insert(QStringLiteral("pending"), true);
    if (pending_.contains(key))
        return placeholder;
    pending_.insert(key);
    const quint64 generation = generation_;
    service_->render(
        message, [this, key, message, generation, guard = QPointer<PluginCardCache>(this)](QVariantMap rendered) {
            if (!guard || generation != generation_)
                return;
            const QString& id = message.id;
            const QVariantMap card = withImageSources(std::move(rendered), message, images_.get());
            pending_.remove(key);
            if (cards_.size() >= kMaxCards) {
                cards_.clear();
                latest_.clear();
            }
            cards_.insert(key, card);
            latest_.insert(id, card);
            emit cardReady(id);
        });
    return placeholder;
}

void PluginCardCache::invalidate()
{
    ++generation_;
    cards_.clear();
    latest_.clear();
    pending_.clear();
    emit invalidated();
}

} // namespace tenchat::ui
