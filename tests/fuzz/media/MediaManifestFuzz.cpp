// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: a file manifest (the body of a file message, written by the
// sender) and a chunk (from the relay) as the receiving client handles them.
#include "tenchat/core/media/ChunkCodec.h"
#include "tenchat/core/media/MediaManifest.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace tenchat::core::media;
    if (size > (1u << 20))
        return 0;
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    auto manifest = MediaManifest::fromJson(bytes);
    if (manifest) {
        // Whatever parses is self-consistent: an inline list (version 1) of
        // exactly the chunk count, or (version 2) a list blob reference of
        // exactly the list's size and no chunks until the list is fetched.
        const int count = manifest->chunkCount();
        if (manifest->hasExternalChunkList()) {
            if (!manifest->chunks.isEmpty()
                || qint64(manifest->chunkList.size) != MediaManifest::chunkListBlobSize(count))
                __builtin_trap();
            // The same bytes as a fetched list: accepted only at the exact size.
            MediaManifest withList = *manifest;
            if (withList.setChunkList(bytes) && withList.chunks.size() != count)
                __builtin_trap();
        } else if (manifest->chunks.size() != count) {
            __builtin_trap();
        }
        if (manifest->key.size() != 32)
            __builtin_trap();
        for (int i = 0; i < manifest->chunks.size(); ++i)
            if (manifest->plainSizeOf(i) < 0 || manifest->plainSizeOf(i) > manifest->chunkSize)
                __builtin_trap();
        (void)MediaManifest::fromJson(manifest->toJson());
    }
    // The same bytes as a chunk, under a fixed key, against its own id (so
    // that decryption and decompression are reached) and a wrong one.
    static const tenchat::crypto::SecretBytes key(
        tenchat::crypto::ByteView(reinterpret_cast<const std::uint8_t*>("0123456789abcdef0123456789abcdef"), 32));
    ChunkRef ref;
    ref.id = ChunkCodec::chunkId(bytes);
    ref.size = quint32(bytes.size());
    for (const bool compressed : { false, true }) {
        ref.compressed = compressed;
        (void)ChunkCodec::open(key, 0, 1, ref, bytes, qint64(size % 4096));
    }
    ref.compressed = false;
    (void)ChunkCodec::openList(key, 1, ref, bytes);
    return 0;
}
