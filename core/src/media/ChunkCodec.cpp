// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/media/ChunkCodec.h"

#include "tenchat/crypto/Hash.h"
#include "tenchat/crypto/SecretStreamDecryptor.h"
#include "tenchat/crypto/SecretStreamEncryptor.h"

#include <zstd.h>

#include <array>
#include <cstring>
#include <memory>
#include <span>

namespace tenchat::core::media {

namespace {

constexpr int kZstdLevel = 3;
// Compression is tried on a sample first: a chunk whose first 64 KiB do not
// shrink by at least 3% is sent as is (random or already-compressed bytes).
constexpr qsizetype kSampleBytes = 64 * 1024;
constexpr double kSampleRatio = 0.97;

struct CctxDeleter {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DctxDeleter {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

ZSTD_CCtx* compressionContext()
{
    thread_local std::unique_ptr<ZSTD_CCtx, CctxDeleter> ctx(ZSTD_createCCtx());
    return ctx.get();
}

ZSTD_DCtx* decompressionContext()
{
    thread_local std::unique_ptr<ZSTD_DCtx, DctxDeleter> ctx(ZSTD_createDCtx());
    return ctx.get();
}

// "TCM1" || index (u64 LE) || count (u64 LE) || flags (u8).
std::array<std::uint8_t, 21> associatedData(quint64 index, quint64 count, bool compressed)
{
    std::array<std::uint8_t, 21> ad {};
    std::memcpy(ad.data(), "TCM1", 4);
    for (int i = 0; i < 8; ++i) {
        ad[std::size_t(4 + i)] = std::uint8_t(index >> (8 * i));
        ad[std::size_t(12 + i)] = std::uint8_t(count >> (8 * i));
    }
    ad[20] = compressed ? 1 : 0;
    return ad;
}

// "TCL1" || count (u64 LE): the chunk list blob of a file.
std::array<std::uint8_t, 12> listAssociatedData(quint64 count)
{
    std::array<std::uint8_t, 12> ad {};
    std::memcpy(ad.data(), "TCL1", 4);
    for (int i = 0; i < 8; ++i)
        ad[std::size_t(4 + i)] = std::uint8_t(count >> (8 * i));
    return ad;
}

crypto::ByteView view(QByteArrayView bytes)
{
    return { reinterpret_cast<const std::uint8_t*>(bytes.data()), std::size_t(bytes.size()) };
}

std::span<std::uint8_t> span(QByteArray& bytes, qsizetype offset = 0)
{
    return { reinterpret_cast<std::uint8_t*>(bytes.data()) + offset, std::size_t(bytes.size() - offset) };
}

// Compressed bytes when they are smaller than `plain`, otherwise empty.
QByteArray compress(QByteArrayView plain)
{
    if (plain.size() < 64)
        return {};
    ZSTD_CCtx* ctx = compressionContext();
    if (!ctx)
        return {};
    if (plain.size() > kSampleBytes * 2) {
        QByteArray sample(qsizetype(ZSTD_compressBound(std::size_t(kSampleBytes))), Qt::Uninitialized);
        const std::size_t n = ZSTD_compressCCtx(
            ctx, sample.data(), std::size_t(sample.size()), plain.data(), std::size_t(kSampleBytes), 1);
        if (ZSTD_isError(n) || double(n) > double(kSampleBytes) * kSampleRatio)
            return {};
    }
    QByteArray out(qsizetype(ZSTD_compressBound(std::size_t(plain.size()))), Qt::Uninitialized);
    const std::size_t n = ZSTD_compressCCtx(
        ctx, out.data(), std::size_t(out.size()), plain.data(), std::size_t(plain.size()), kZstdLevel);
    if (ZSTD_isError(n) || qsizetype(n) >= plain.size())
        return {};
    out.truncate(qsizetype(n));
    return out;
}

} // namespace

QByteArray ChunkCodec::chunkId(QByteArrayView ciphertext)
{
    auto digest = crypto::blake2b(view(ciphertext), crypto::kBlake2bBytes);
    if (!digest)
        return {};
    return QByteArray(reinterpret_cast<const char*>(digest->data()), qsizetype(digest->size()));
}

bool ChunkCodec::isCompressedType(const QString& mimeType)
{
    const QString m = mimeType.toLower();
    if (m.startsWith(QLatin1String("video/")))
        return true;
    if (m.startsWith(QLatin1String("audio/")))
        return !m.contains(QLatin1String("wav")) && !m.contains(QLatin1String("aiff"));
    static const char* const kCompressed[] = { "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic",
        "image/heif", "image/avif", "application/zip", "application/gzip", "application/x-gzip",
        "application/x-7z-compressed", "application/x-rar-compressed", "application/vnd.rar", "application/x-xz",
        "application/x-bzip2", "application/zstd", "application/x-zstd", "application/epub+zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text", "application/java-archive",
        "application/vnd.android.package-archive" };
    for (const char* type : kCompressed)
        if (m == QLatin1String(type))
            return true;
    return false;
}

namespace {

// header (24) || one final secretstream message of `payload` under `ad`,
// written to `out` (exactly payload.size() + ChunkCodec::kOverhead bytes).
MediaOk sealPayloadInto(const crypto::SecretBytes& key, QByteArrayView payload, std::span<const std::uint8_t> ad,
    std::span<std::uint8_t> out)
{
    auto encryptor = crypto::SecretStreamEncryptor::create(key);
    if (!encryptor)
        return mediaError(MediaErrorCode::InvalidArgument, QStringLiteral("bad file key"));
    const auto& header = encryptor->header();
    std::memcpy(out.data(), header.data(), header.size());
    if (!encryptor->push(view(payload), out.subspan(header.size()), true, ad))
        return mediaError(MediaErrorCode::Io, QStringLiteral("encryption failed"));
    return {};
}

MediaExpected<QByteArray> sealPayload(
    const crypto::SecretBytes& key, QByteArrayView payload, std::span<const std::uint8_t> ad)
{
    QByteArray ciphertext(payload.size() + ChunkCodec::kOverhead, Qt::Uninitialized);
    if (auto sealed = sealPayloadInto(key, payload, ad, span(ciphertext)); !sealed)
        return Unexpected<MediaError>(sealed.error());
    return ciphertext;
}

// Checks the size and the id, then decrypts the payload.
MediaExpected<QByteArray> openPayload(const crypto::SecretBytes& key, const ChunkRef& ref, QByteArrayView ciphertext,
    std::span<const std::uint8_t> ad, const QString& what)
{
    const auto tampered = [&what](const char* why) {
        return mediaError(MediaErrorCode::Tampered, QStringLiteral("%1 %2").arg(what, QLatin1String(why)));
    };
    if (ciphertext.size() != qsizetype(ref.size) || ciphertext.size() < ChunkCodec::kOverhead)
        return tampered("has the wrong size");
    if (!crypto::constantTimeEquals(view(ChunkCodec::chunkId(ciphertext)), view(ref.id)))
        return tampered("does not match its id (modified on the relay or in transit)");
    auto decryptor = crypto::SecretStreamDecryptor::create(key, view(ciphertext.first(24)));
    if (!decryptor)
        return tampered("has a bad header");
    QByteArray payload(ciphertext.size() - ChunkCodec::kOverhead, Qt::Uninitialized);
    auto n = decryptor->pull(view(ciphertext.sliced(24)), span(payload), ad);
    if (!n || !decryptor->finished())
        return tampered("does not decrypt");
    return payload;
}

} // namespace

MediaExpected<ChunkCodec::Sealed> ChunkCodec::seal(
    const crypto::SecretBytes& key, quint64 index, quint64 count, QByteArrayView plain, bool tryCompress)
{
    const QByteArray compressed = tryCompress ? compress(plain) : QByteArray();
    const bool isCompressed = !compressed.isEmpty();
    const QByteArrayView payload = isCompressed ? QByteArrayView(compressed) : plain;
    const auto ad = associatedData(index, count, isCompressed);
    auto ciphertext = sealPayload(key, payload, ad);
    if (!ciphertext)
        return Unexpected<MediaError>(ciphertext.error());
    Sealed sealed;
    sealed.ciphertext = std::move(*ciphertext);
    sealed.ref.id = chunkId(sealed.ciphertext);
    sealed.ref.size = quint32(sealed.ciphertext.size());
    sealed.ref.compressed = isCompressed;
    return sealed;
}

MediaExpected<ChunkRef> ChunkCodec::seal(const crypto::SecretBytes& key, quint64 index, quint64 count,
    QByteArrayView plain, bool tryCompress, std::string& ciphertext)
{
    const QByteArray compressed = tryCompress ? compress(plain) : QByteArray();
    const bool isCompressed = !compressed.isEmpty();
    const QByteArrayView payload = isCompressed ? QByteArrayView(compressed) : plain;
    const auto ad = associatedData(index, count, isCompressed);
    ciphertext.resize(std::size_t(payload.size() + kOverhead));
    const std::span<std::uint8_t> out(reinterpret_cast<std::uint8_t*>(ciphertext.data()), ciphertext.size());
    if (auto sealed = sealPayloadInto(key, payload, ad, out); !sealed)
        return Unexpected<MediaError>(sealed.error());
    ChunkRef ref;
    ref.id = chunkId(QByteArrayView(ciphertext.data(), qsizetype(ciphertext.size())));
    ref.size = quint32(ciphertext.size());
    ref.compressed = isCompressed;
    return ref;
}

MediaExpected<ChunkCodec::Sealed> ChunkCodec::sealList(
    const crypto::SecretBytes& key, quint64 count, QByteArrayView packed)
{
    const auto ad = listAssociatedData(count);
    auto ciphertext = sealPayload(key, packed, ad);
    if (!ciphertext)
        return Unexpected<MediaError>(ciphertext.error());
    Sealed sealed;
    sealed.ciphertext = std::move(*ciphertext);
    sealed.ref.id = chunkId(sealed.ciphertext);
    sealed.ref.size = quint32(sealed.ciphertext.size());
    return sealed;
}

MediaExpected<QByteArray> ChunkCodec::openList(
    const crypto::SecretBytes& key, quint64 count, const ChunkRef& ref, QByteArrayView ciphertext)
{
    if (ref.compressed)
        return mediaError(MediaErrorCode::Tampered, QStringLiteral("the chunk list is flagged compressed"));
    const auto ad = listAssociatedData(count);
    return openPayload(key, ref, ciphertext, ad, QStringLiteral("the chunk list"));
}

MediaExpected<QByteArray> ChunkCodec::open(const crypto::SecretBytes& key, quint64 index, quint64 count,
    const ChunkRef& ref, QByteArrayView ciphertext, qint64 plainSize)
{
    const auto tampered = [index](const char* what) {
        return mediaError(MediaErrorCode::Tampered, QStringLiteral("chunk %1 %2").arg(index).arg(QLatin1String(what)));
    };
    const auto ad = associatedData(index, count, ref.compressed);
    auto opened = openPayload(key, ref, ciphertext, ad, QStringLiteral("chunk %1").arg(index));
    if (!opened)
        return Unexpected<MediaError>(opened.error());
    QByteArray payload = std::move(*opened);
    if (!ref.compressed) {
        if (payload.size() != plainSize)
            return tampered("has the wrong plaintext size");
        return payload;
    }
    QByteArray plain(plainSize, Qt::Uninitialized);
    ZSTD_DCtx* ctx = decompressionContext();
    if (!ctx)
        return mediaError(MediaErrorCode::Io, QStringLiteral("out of memory"));
    const std::size_t got = ZSTD_decompressDCtx(
        ctx, plain.data(), std::size_t(plain.size()), payload.data(), std::size_t(payload.size()));
    if (ZSTD_isError(got) || qint64(got) != plainSize)
        return tampered("does not decompress to its size");
    return plain;
}

} // namespace tenchat::core::media
