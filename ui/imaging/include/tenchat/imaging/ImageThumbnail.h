// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Reading an image about to be sent for its file message's manifest: its
// dimensions, a small decoded copy, and that copy as a JPEG within a size
// budget. What goes between (how transparency is flattened, the first JPEG
// quality) is the caller's.

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

#include <optional>

namespace tenchat::imaging {

struct ThumbnailSource {
    QSize size; // of the whole image as displayed (EXIF rotation applied)
    QImage image; // decoded at most `side` px on its longer side
};

// nullopt when `mimeType` is not an image type or the file does not decode.
// Large images are decoded at the reduced size where the format allows it.
std::optional<ThumbnailSource> readForThumbnail(const QString& path, const QString& mimeType, int side);

// `image` as the best JPEG of at most `maxBytes`, trying qualities from
// `firstQuality` down in steps of 15 (not below 20); empty when none fits.
QByteArray jpegWithin(const QImage& image, qsizetype maxBytes, int firstQuality);

} // namespace tenchat::imaging
