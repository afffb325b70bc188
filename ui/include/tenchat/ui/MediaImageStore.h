// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCache>
#include <QHash>
#include <QImage>
#include <QMutex>
#include <QSize>
#include <QString>

namespace tenchat::ui {

// Decoded pictures of media messages, keyed by message id, shared between
// the GUI thread (MediaController registers thumbnails and local files) and
// the image provider's loader threads. Thumbnails are decoded once from the
// manifest's encrypted-then-decrypted JPEG; full images are read from the
// verified local file scaled to the bubble's size, once, and kept in a
// cache bounded by bytes. Thread safe.
class MediaImageStore {
public:
    static constexpr qsizetype kMaxCacheBytes = 48ll << 20;
    static constexpr int kMaxSide = 1280; // never decode larger than this

    // Decodes and keeps a thumbnail (JPEG bytes); false if it does not decode.
    bool setThumbnail(const QString& messageId, const QByteArray& jpeg);
    bool hasThumbnail(const QString& messageId) const;
    // The verified local file of an image message.
    void setLocalFile(const QString& messageId, const QString& path);
    void forgetLocalFiles(); // the media folder was cleared

    // Loader side: "thumb/<id>" or "full/<id>", scaled to fit `requested`.
    QImage image(const QString& key, const QSize& requested);

private:
    mutable QMutex mutex_;
    QCache<QString, QImage> thumbnails_ { int(8ll << 20) }; // cost = bytes
    QCache<QString, QImage> full_ { int(kMaxCacheBytes) };
    QHash<QString, QString> files_;
};

} // namespace tenchat::ui
