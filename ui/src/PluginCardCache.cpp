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
    QVariantMap placeholder = core::plugins::Card::unsupportedCard(message.contentType, message.body).toVariantMap();
    if (!service_)
        return placeholder;
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
        if (cards_.size() >= kMaxCards)
            cards_.clear();
        cards_.insert(key, card);
        emit cardReady(id);
    });
    return placeholder;
}

void PluginCardCache::invalidate()
{
    ++generation_;
    cards_.clear();
    pending_.clear();
    emit invalidated();
}

} // namespace tenchat::ui
