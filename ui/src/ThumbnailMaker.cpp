// SPDX-License-Identifier: GPL-3.0-or-later
#include "ThumbnailMaker.h"

#include <QBuffer>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>

namespace tenchat::ui {

namespace {
constexpr int kThumbnailSide = 160;
constexpr qsizetype kMaxThumbnailBytes = 16 * 1024;
} // namespace

std::optional<core::media::ImageInfo> ThumbnailMaker::inspect(const QString& path, const QString& mimeType)
{
    if (!mimeType.startsWith(QLatin1String("image/")))
        return std::nullopt;
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QSize size = reader.size();
    if (!size.isValid())
        return std::nullopt;
    // Large images are decoded at a reduced size where the format allows it.
    reader.setScaledSize(size.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio).expandedTo({ 1, 1 }));
    QImage image = reader.read();
    if (image.isNull())
        return std::nullopt;
    if (reader.transformation() & QImageIOHandler::TransformationRotate90)
        size.transpose();
    if (image.hasAlphaChannel()) {
        // JPEG has no alpha: flatten onto white, as most viewers show it.
        QImage flat(image.size(), QImage::Format_RGB32);
        flat.fill(Qt::white);
        QPainter(&flat).drawImage(0, 0, image);
        image = flat;
    }
    core::media::ImageInfo info;
    info.width = size.width();
    info.height = size.height();
    for (int quality = 75; quality >= 20; quality -= 15) {
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, "jpeg");
        writer.setQuality(quality);
        if (!writer.write(image))
            break;
        if (jpeg.size() <= kMaxThumbnailBytes) {
            info.thumbnailJpeg = jpeg;
            break;
        }
    }
    return info;
}

} // namespace tenchat::ui
