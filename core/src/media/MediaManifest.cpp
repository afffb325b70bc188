// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/media/MediaManifest.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tenchat::core::media {

namespace {

constexpr int kIdBytes = 32;
constexpr int kRecordBytes = MediaManifest::kChunkRecordBytes; // id, size (u32 LE), flags
constexpr qint64 kMaxFileSize = qint64(1) << 42; // 4 TiB: a sanity bound, not a policy
constexpr qsizetype kMaxThumbnailBytes = 64 * 1024;
// 64 GiB in 1 MiB chunks; keeps every count and list size far from overflow.
constexpr qint64 kMaxChunks = qint64(1) << 16;

constexpr int kOverhead = 41; // ChunkCodec::kOverhead (header + secretstream tag)

} // namespace

QByteArray MediaManifest::packChunks(const QVector<ChunkRef>& chunks)
{
    QByteArray out;
    out.reserve(chunks.size() * kRecordBytes);
    for (const auto& c : chunks) {
        out.append(c.id);
        for (int i = 0; i < 4; ++i)
            out.append(char((c.size >> (8 * i)) & 0xff));
        out.append(char(c.compressed ? 1 : 0));
    }
    return out;
}

qint64 MediaManifest::chunkListBlobSize(int count)
{
    return qint64(count) * kRecordBytes + kOverhead;
}

MediaOk MediaManifest::setChunkList(QByteArrayView packed)
{
    const auto invalid = [](const QString& why) {
        return mediaError(MediaErrorCode::InvalidManifest, QStringLiteral("not a valid file message: %1").arg(why));
    };
    const int count = chunkCount();
    if (packed.size() != qsizetype(count) * kRecordBytes)
        return invalid(QStringLiteral("the chunk list does not match the size"));
    QVector<ChunkRef> list;
    list.reserve(count);
    for (int i = 0; i < count; ++i) {
        const char* r = packed.data() + qsizetype(i) * kRecordBytes;
        ChunkRef c;
        c.id = QByteArray(r, kIdBytes);
        for (int b = 0; b < 4; ++b)
            c.size |= quint32(quint8(r[kIdBytes + b])) << (8 * b);
        const quint8 flags = quint8(r[kIdBytes + 4]);
        if (flags > 1)
            return invalid(QStringLiteral("unknown chunk flags"));
        c.compressed = flags == 1;
        // Ciphertext is never larger than the plaintext plus the overhead.
        if (c.size < quint32(kOverhead) || qint64(c.size) > plainSizeOf(i) + kOverhead)
            return invalid(QStringLiteral("bad chunk size"));
        list.append(c);
    }
    chunks = std::move(list);
    return {};
}

qint64 MediaManifest::plainSizeOf(int index) const
{
    const qint64 start = qint64(index) * chunkSize;
    return std::max<qint64>(0, std::min(chunkSize, size - start));
}

int MediaManifest::chunkCountFor(qint64 size, qint64 chunkSize)
{
    if (size <= 0 || chunkSize <= 0)
        return 1;
    return int((size + chunkSize - 1) / chunkSize);
}

QString MediaManifest::safeFileName(const QString& name)
{
    QString out;
    for (const QChar c : name) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\') || c == QLatin1Char(':')
            || c.category() == QChar::Other_Control)
            out.append(QLatin1Char('_'));
        else
            out.append(c);
    }
    while (out.startsWith(QLatin1Char('.')))
        out.remove(0, 1);
    out = out.trimmed().left(200);
    return out.isEmpty() ? QStringLiteral("file") : out;
}

QByteArray MediaManifest::toJson() const
{
    QJsonObject o { { QStringLiteral("name"), name }, { QStringLiteral("size"), double(size) },
        { QStringLiteral("mime"), mimeType }, { QStringLiteral("key"), QString::fromLatin1(key.toBase64()) },
        { QStringLiteral("chunkSize"), double(chunkSize) } };
    if (hasExternalChunkList()) {
        o.insert(QStringLiteral("v"), 2);
        o.insert(QStringLiteral("chunkList"), QString::fromLatin1(packChunks({ chunkList }).toBase64()));
    } else {
        o.insert(QStringLiteral("v"), 1);
        o.insert(QStringLiteral("chunks"), QString::fromLatin1(packChunks(chunks).toBase64()));
    }
    if (width > 0 && height > 0) {
        o.insert(QStringLiteral("width"), width);
        o.insert(QStringLiteral("height"), height);
    }
    if (!thumbnail.isEmpty())
        o.insert(QStringLiteral("thumbnail"), QString::fromLatin1(thumbnail.toBase64()));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

MediaExpected<MediaManifest> MediaManifest::fromJson(const QByteArray& json)
{
    const auto invalid = [](const QString& why) {
        return mediaError(MediaErrorCode::InvalidManifest, QStringLiteral("not a valid file message: %1").arg(why));
    };
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return invalid(QStringLiteral("not JSON"));
    const QJsonObject o = doc.object();
    const int version = o.value(QStringLiteral("v")).toInt();
    if (version != 1 && version != 2)
        return invalid(QStringLiteral("unknown version"));
    MediaManifest m;
    m.name = safeFileName(o.value(QStringLiteral("name")).toString());
    const double size = o.value(QStringLiteral("size")).toDouble(-1);
    const double chunkSize = o.value(QStringLiteral("chunkSize")).toDouble(-1);
    if (size < 0 || size > double(kMaxFileSize) || size != double(qint64(size)))
        return invalid(QStringLiteral("bad size"));
    if (chunkSize < 1024 || chunkSize > double(16 << 20) || chunkSize != double(qint64(chunkSize)))
        return invalid(QStringLiteral("bad chunk size"));
    m.size = qint64(size);
    m.chunkSize = qint64(chunkSize);
    if ((m.size + m.chunkSize - 1) / m.chunkSize > kMaxChunks)
        return invalid(QStringLiteral("too many chunks"));
    m.mimeType = o.value(QStringLiteral("mime")).toString().left(200);
    m.key = QByteArray::fromBase64(o.value(QStringLiteral("key")).toString().toLatin1());
    if (m.key.size() != 32)
        return invalid(QStringLiteral("bad key"));
    if (version == 1) {
        const QByteArray packed = QByteArray::fromBase64(o.value(QStringLiteral("chunks")).toString().toLatin1());
        if (auto set = m.setChunkList(packed); !set)
            return Unexpected<MediaError>(set.error());
    } else {
        // The list blob: one record, never compressed, exactly the size of
        // the sealed list of this many chunks.
        const QByteArray packed = QByteArray::fromBase64(o.value(QStringLiteral("chunkList")).toString().toLatin1());
        if (packed.size() != kRecordBytes || packed.at(kRecordBytes - 1) != 0)
            return invalid(QStringLiteral("bad chunk list reference"));
        m.chunkList.id = packed.left(kIdBytes);
        for (int b = 0; b < 4; ++b)
            m.chunkList.size |= quint32(quint8(packed.at(kIdBytes + b))) << (8 * b);
        if (qint64(m.chunkList.size) != chunkListBlobSize(m.chunkCount()))
            return invalid(QStringLiteral("the chunk list reference does not match the size"));
    }
    m.width = std::max(0, o.value(QStringLiteral("width")).toInt());
    m.height = std::max(0, o.value(QStringLiteral("height")).toInt());
    m.thumbnail = QByteArray::fromBase64(o.value(QStringLiteral("thumbnail")).toString().toLatin1());
    if (m.thumbnail.size() > kMaxThumbnailBytes)
        m.thumbnail.clear();
    return m;
}

} // namespace tenchat::core::media
