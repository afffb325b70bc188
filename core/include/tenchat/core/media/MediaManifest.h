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
    // Up to this many chunks the chunk list travels in the manifest itself
    // (version 1, 37 bytes per chunk). Above it the list is an encrypted blob
    // of its own and the manifest only references it (version 2): a 4 GiB
    // file's inline list would be 200 KB, sent once per recipient device in
    // one append, past the relay's 1 MiB frame limit at 5 devices.
    static constexpr int kMaxInlineChunks = 64;
    // Bytes of one packed chunk record: id, ciphertext size (u32 LE), flags.
    static constexpr int kChunkRecordBytes = 32 + 4 + 1;

    QString name; // file name only, no folders
    qint64 size = 0; // plaintext bytes
    QString mimeType;
    QByteArray key; // 32-byte per-file key (secret)
    qint64 chunkSize = kDefaultChunkSize;
    // The chunk list. Empty after parsing a version 2 manifest until the
    // list blob (`chunkList`) has been fetched and set with setChunkList().
    QVector<ChunkRef> chunks;
    // Version 2 only: the encrypted chunk list blob (ChunkCodec::sealList).
    ChunkRef chunkList;
    int width = 0; // images only
    int height = 0;
    QByteArray thumbnail; // small JPEG preview of an image, may be empty

    // Plaintext bytes of chunk `index`.
    qint64 plainSizeOf(int index) const;
    // The number of chunks a file of `size` bytes is cut into (at least one).
    static int chunkCountFor(qint64 size, qint64 chunkSize);
    int chunkCount() const { return chunkCountFor(size, chunkSize); }
    // True when the chunk list is stored as a blob (version 2).
    bool hasExternalChunkList() const { return !chunkList.id.isEmpty(); }
    // Ciphertext bytes of the list blob of a file with `count` chunks.
    static qint64 chunkListBlobSize(int count);

    // The chunk list, packed (kChunkRecordBytes per chunk).
    static QByteArray packChunks(const QVector<ChunkRef>& chunks);
    // Parses and checks a packed list against this manifest's size and chunk
    // size and sets `chunks` (InvalidManifest when it does not fit).
    MediaOk setChunkList(QByteArrayView packed);

    QByteArray toJson() const;
    // Checks every field (sizes, counts, id lengths) so that a hostile
    // manifest cannot make the downloader misbehave.
    static MediaExpected<MediaManifest> fromJson(const QByteArray& json);
    // A file name safe to create in a folder: no separators, no leading dots.
    static QString safeFileName(const QString& name);
};

} // namespace tenchat::core::media
