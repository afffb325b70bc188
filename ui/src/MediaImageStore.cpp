// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/MediaImageStore.h"

#include <QImageReader>
#include <QMutexLocker>

namespace tenchat::ui {

namespace {
int costOf(const QImage& image)
{
    return int(std::max<qsizetype>(1, image.sizeInBytes()));
}
} // namespace

bool MediaImageStore::setThumbnail(const QString& messageId, const QByteArray& jpeg)
{
    {
        QMutexLocker lock(&mutex_);
        if (thumbnails_.contains(messageId))
            return true;
    }
    QImage image;
    if (jpeg.isEmpty() || !image.loadFromData(jpeg, "JPEG") || image.width() > 512 || image.height() > 512)
        return false;
    QMutexLocker lock(&mutex_);
    const int cost = costOf(image);
    thumbnails_.insert(messageId, new QImage(std::move(image)), cost);
    return true;
}

bool MediaImageStore::hasThumbnail(const QString& messageId) const
{
    QMutexLocker lock(&mutex_);
    return thumbnails_.contains(messageId);
}

void MediaImageStore::setLocalFile(const QString& messageId, const QString& path)
{
    QMutexLocker lock(&mutex_);
    if (files_.value(messageId) != path)
        full_.remove(messageId);
    files_.insert(messageId, path);
}

void MediaImageStore::forgetLocalFiles()
{
    QMutexLocker lock(&mutex_);
    files_.clear();
    full_.clear();
}

QImage MediaImageStore::image(const QString& key, const QSize& requested)
{
    const QString kind = key.section(QLatin1Char('/'), 0, 0);
    const QString id = key.section(QLatin1Char('/'), 1, 1);
    QString path;
    {
        QMutexLocker lock(&mutex_);
        if (kind == QLatin1String("thumb")) {
            const QImage* thumb = thumbnails_.object(id);
            return thumb ? *thumb : QImage();
        }
        if (const QImage* cached = full_.object(id))
            return *cached;
        path = files_.value(id);
    }
    if (path.isEmpty())
        return {};
    // Decoded at the size shown (bounded), once; the cache keeps it.
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QSize size = reader.size();
    if (!size.isValid())
        return {};
    QSize bound = requested.isValid() && !requested.isEmpty() ? requested : QSize(kMaxSide, kMaxSide);
    bound = bound.boundedTo(QSize(kMaxSide, kMaxSide));
    if (size.width() > bound.width() || size.height() > bound.height())
        reader.setScaledSize(size.scaled(bound, Qt::KeepAspectRatio).expandedTo({ 1, 1 }));
    QImage image = reader.read();
    if (image.isNull())
        return {};
    QMutexLocker lock(&mutex_);
    full_.insert(id, new QImage(image), costOf(image));
    return image;
}

} // namespace tenchat::ui
