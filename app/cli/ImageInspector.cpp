// SPDX-License-Identifier: GPL-3.0-or-later
#include "ImageInspector.h"

#include "tenchat/imaging/ImageThumbnail.h"

namespace tenchat::cli {

namespace {

constexpr int kThumbnailSide = 160;
constexpr qsizetype kMaxThumbnailBytes = 16 * 1024;
constexpr int kFirstJpegQuality = 70;

} // namespace

std::optional<core::media::ImageInfo> inspectImage(const QString& path, const QString& mimeType)
{
    auto source = imaging::readForThumbnail(path, mimeType, kThumbnailSide);
    if (!source)
        return std::nullopt;
    QImage image = std::move(source->image);
    if (image.hasAlphaChannel())
        image = image.convertToFormat(QImage::Format_RGB32); // JPEG has no alpha
    return core::media::ImageInfo { source->size.width(), source->size.height(),
        imaging::jpegWithin(image, kMaxThumbnailBytes, kFirstJpegQuality) };
}

} // namespace tenchat::cli
