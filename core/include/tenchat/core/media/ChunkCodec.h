// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/media/MediaManifest.h"
#include "tenchat/crypto/SecretBytes.h"

#include <QByteArray>
#include <QByteArrayView>

#include <string>

namespace tenchat::core::media {

// Seals and opens single chunks; pure and thread-safe.
//
// A chunk is compressed with zstd when that makes it smaller (never for
// already-compressed media types), then encrypted as one XChaCha20-Poly1305
// secretstream message under the file key with a fresh random header:
//   ciphertext = header (24 B) || secretstream message (17 B + payload).
// The associated data binds the chunk to its position, the chunk count and
// its compression flag, so chunks cannot be reordered, dropped or swapped
// between files even before the manifest's ids are checked. A duplicated
// chunk fails at its second position, a truncated file at the first missing
// position (the count is in every chunk's associated data and in the
// manifest).
class ChunkCodec {
public:
    static constexpr int kOverhead = 24 + 17;

    struct Sealed {
        QByteArray ciphertext;
        ChunkRef ref;
    };

    static MediaExpected<Sealed> seal(
        const crypto::SecretBytes& key, quint64 index, quint64 count, QByteArrayView plain, bool tryCompress);
    // The same, sealed into `ciphertext` (resized), which can then be moved
    // into a protobuf request without a copy of the chunk.
    static MediaExpected<ChunkRef> seal(const crypto::SecretBytes& key, quint64 index, quint64 count,
        QByteArrayView plain, bool tryCompress, std::string& ciphertext);
    // Verifies the ciphertext against ref.id (Tampered), decrypts and
    // decompresses into exactly `plainSize` bytes.
    static MediaExpected<QByteArray> open(const crypto::SecretBytes& key, quint64 index, quint64 count,
        const ChunkRef& ref, QByteArrayView ciphertext, qint64 plainSize);

    // The chunk list of a large file (MediaManifest::packChunks) as a blob of
    // its own, sealed like a chunk under the file key but with the associated
    // data "TCL1" || chunk count, so it can be neither taken for a chunk nor
    // for the list of a file with another chunk count. Never compressed.
    static MediaExpected<Sealed> sealList(const crypto::SecretBytes& key, quint64 count, QByteArrayView packed);
    // Verifies the blob against ref (Tampered) and returns the packed list.
    static MediaExpected<QByteArray> openList(
        const crypto::SecretBytes& key, quint64 count, const ChunkRef& ref, QByteArrayView ciphertext);

    // BLAKE2b-256.
    static QByteArray chunkId(QByteArrayView ciphertext);
    // Media types whose bytes are already compressed (JPEG, video, zip...).
    static bool isCompressedType(const QString& mimeType);
};

} // namespace tenchat::core::media
