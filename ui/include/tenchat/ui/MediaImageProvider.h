// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/ui/MediaImageStore.h"

#include <QQuickImageProvider>

#include <memory>

namespace tenchat::ui {

// image://tenchatmedia/thumb/<message id> and image://tenchatmedia/full/<message id>:
// pictures of media messages from the MediaImageStore, loaded off the GUI thread.
class MediaImageProvider : public QQuickImageProvider {
public:
    static constexpr const char* kName = "tenchatmedia";

    explicit MediaImageProvider(std::shared_ptr<MediaImageStore> store)
        : QQuickImageProvider(QQuickImageProvider::Image, QQmlImageProviderBase::ForceAsynchronousImageLoading),
          store_(std::move(store))
    { }

    QImage requestImage(const QString& id, QSize* size, const QSize& requestedSize) override
    {
        QImage image = store_->image(id, requestedSize);
        if (size)
            *size = image.size();
        return image;
    }

private:
    std::shared_ptr<MediaImageStore> store_;
};

} // namespace tenchat::ui
