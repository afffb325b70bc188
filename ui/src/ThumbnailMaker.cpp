// SPDX-License-Identifier: GPL-3.0-or-later
#include "ThumbnailMaker.h"

#include "tenchat/imaging/ImageThumbnail.h"

#include <QPainter>

namespace tenchat::ui {

namespace {
constexpr int kThumbnailSide = 160;
constexpr qsizetype kMaxThumbnailBytes = 16 * 1024;
constexpr int kFirstJpegQuality = 75;
} // namespace

std::optional<core::media::ImageInfo> ThumbnailMaker::inspect(const QString& path, const QString& mimeType)
{
    auto source = imaging::readForThumbnail(path, mimeType, kThumbnailSide);
    if (!source)
        return std::nullopt;
    QImage image = std::move(source->image);
    if (image.hasAlphaChannel()) {
        // JPEG has no alpha: flatten onto white, as most viewers show it.
        QImage flat(image.size(), QImage::Format_RGB32);
        flat.fill(Qt::white);
        QPainter(&flat).drawImage(0, 0, image);
        image = flat;
    }
    return core::media::ImageInfo { source->size.width(), source->size.height(),
        imaging::jpegWithin(image, kMaxThumbnailBytes, kFirstJpegQuality) };
}

} // namespace tenchat::ui
