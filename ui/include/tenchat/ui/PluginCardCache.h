// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreTypes.h"
#include "tenchat/ui/MediaImageStore.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QVariantMap>

#include <memory>

namespace tenchat::ui {

class PluginService;

// The cards of structured messages in the timeline, as the running plugins
// render them (Card::toVariantMap()). A message's card is rendered once per
// version of the message (id, edit time, body): an edit — a poll's owner
// counting a vote — renders it again, so the card updates live. Until the
// plugin answers, the card is the message's previous card, or the plain-text
// fallback, marked `pending`. Card images (attachments of the message) get a
// `source` on the media image provider (image://tenchatmedia/thumb/<id>, the
// attachment's thumbnail decoded into the MediaImageStore).
class PluginCardCache : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxCards = 500;

    explicit PluginCardCache(QObject* parent = nullptr);
    void setService(PluginService* service);
    // Where card images are decoded (MediaController::images()).
    void setImages(std::shared_ptr<MediaImageStore> images) { images_ = std::move(images); }

    // Adds to each of the card's images (Card::toVariantMap()) what the view
    // draws: `source` (the provider URL, "" when there is no picture to show),
    // `name`, `width`, `height`, and `alt` (the file name when the plugin gave none).
    static QVariantMap withImageSources(QVariantMap card, const core::store::Message& message, MediaImageStore* images);

    // The card to draw now (cached, or the pending fallback while it renders).
    QVariantMap cardFor(const core::store::Message& message);
    // Forgets every card (the set of running plugins changed).
    void invalidate();

Q_SIGNALS:
    void cardReady(const QString& messageId);
    void invalidated();

private:
    static QString keyOf(const core::store::Message& message);

    QPointer<PluginService> service_;
    std::shared_ptr<MediaImageStore> images_;
    QHash<QString, QVariantMap> cards_; // by keyOf()
    QHash<QString, QVariantMap> latest_; // the newest card of each message id
    QSet<QString> pending_;
    quint64 generation_ = 0; // renders started before an invalidate() are dropped
};

} // namespace tenchat::ui
