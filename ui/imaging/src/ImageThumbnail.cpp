// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/imaging/ImageThumbnail.h"

#include <QBuffer>
#include <QImageReader>
#include <QImageWriter>

namespace tenchat::imaging {

std::optional<ThumbnailSource> readForThumbnail(const QString& path, const QString& mimeType, int side)
{
    if (!mimeType.startsWith(QLatin1String("image/")))
        return std::nullopt;
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QSize size = reader.size();
    if (!size.isValid())
        return std::nullopt;
    reader.setScaledSize(size.scaled(side, side, Qt::KeepAspectRatio).expandedTo({ 1, 1 }));
    QImage image = reader.read();
    if (image.isNull())
        return std::nullopt;
    if (reader.transformation() & QImageIOHandler::TransformationRotate90)
        size.transpose();
    return ThumbnailSource { size, std::move(image) };
}

QByteArray jpegWithin(const QImage& image, qsizetype maxBytes, int firstQuality)
{
    for (int quality = firstQuality; quality >= 20; quality -= 15) {
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, "jpeg");
        writer.setQuality(quality);
        if (!writer.write(image))
            break;
        if (jpeg.size() <= maxBytes)
            return jpeg;
    }
    return {};
}

} // namespace tenchat::imaging
