// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/media/MediaError.h"

#include <QByteArray>
#include <QString>
#include <QVector>

namespace tenchat::core::media {

// One encrypted chunk: its id on the relay (BLAKE2b-256 of the ciphertext),
// the ciphertext size and whether the plaintext was zstd-compressed.
struct ChunkRef {
    QByteArray id; // 32 bytes
    quint32 size = 0;
    bool compressed = false;

    bool operator==(const ChunkRef& other) const = default;
};

// Everything a recipient needs to fetch, verify and decrypt a file. It is
// the body of a message with content type kFileContentType and so travels
// only inside the end-to-end encryption: the relay never sees it.
struct MediaManifest {
    static constexpr const char* kFileContentType = "application/vnd.tenchat.file+json";
    static constexpr qint64 kDefaultChunkSize = 1 << 20;

    QString name; // file name only, no folders
    qint64 size = 0; // plaintext bytes
    QString mimeType;
    QByteArray key; // 32-byte per-file key (secret)
    qint64 chunkSize = kDefaultChunkSize;
    QVector<ChunkRef> chunks;
    int width = 0; // images only
    int height = 0;
    QByteArray thumbnail; // small JPEG preview of an image, may be empty

    // Plaintext bytes of chunk `index`.
    qint64 plainSizeOf(int index) const;
    // The number of chunks a file of `size` bytes is cut into (at least one).
    static int chunkCountFor(qint64 size, qint64 chunkSize);

    QByteArray toJson() const;
    // Checks every field (sizes, counts, id lengths) so that a hostile
    // manifest cannot make the downloader misbehave.
    static MediaExpected<MediaManifest> fromJson(const QByteArray& json);
    // A file name safe to create in a folder: no separators, no leading dots.
    static QString safeFileName(const QString& name);
};

} // namespace tenchat::core::media
