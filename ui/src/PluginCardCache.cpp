// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/PluginCardCache.h"

#include "tenchat/core/plugins/Card.h"
#include "tenchat/ui/PluginService.h"

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
    const QString id = message.id;
    const quint64 generation = generation_;
    service_->render(message, [this, key, id, generation, guard = QPointer<PluginCardCache>(this)](QVariantMap card) {
        if (!guard || generation != generation_)
            return;
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
