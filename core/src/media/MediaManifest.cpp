// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/media/MediaManifest.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tenchat::core::media {

namespace {

constexpr int kIdBytes = 32;
constexpr int kRecordBytes = kIdBytes + 4 + 1; // id, size (u32 LE), flags
constexpr qint64 kMaxFileSize = qint64(1) << 42; // 4 TiB: a sanity bound, not a policy
constexpr qsizetype kMaxThumbnailBytes = 64 * 1024;

// The chunk list, packed: 37 bytes per chunk instead of ~100 in JSON.
QByteArray packChunks(const QVector<ChunkRef>& chunks)
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

} // namespace

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
    QJsonObject o { { QStringLiteral("v"), 1 }, { QStringLiteral("name"), name },
        { QStringLiteral("size"), double(size) }, { QStringLiteral("mime"), mimeType },
        { QStringLiteral("key"), QString::fromLatin1(key.toBase64()) },
        { QStringLiteral("chunkSize"), double(chunkSize) },
        { QStringLiteral("chunks"), QString::fromLatin1(packChunks(chunks).toBase64()) } };
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
    if (o.value(QStringLiteral("v")).toInt() != 1)
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
    m.mimeType = o.value(QStringLiteral("mime")).toString().left(200);
    m.key = QByteArray::fromBase64(o.value(QStringLiteral("key")).toString().toLatin1());
    if (m.key.size() != 32)
        return invalid(QStringLiteral("bad key"));
    const QByteArray packed = QByteArray::fromBase64(o.value(QStringLiteral("chunks")).toString().toLatin1());
    const int count = chunkCountFor(m.size, m.chunkSize);
    if (packed.size() != qsizetype(count) * kRecordBytes)
        return invalid(QStringLiteral("the chunk list does not match the size"));
    m.chunks.reserve(count);
    for (int i = 0; i < count; ++i) {
        const char* r = packed.constData() + qsizetype(i) * kRecordBytes;
        ChunkRef c;
        c.id = QByteArray(r, kIdBytes);
        for (int b = 0; b < 4; ++b)
            c.size |= quint32(quint8(r[kIdBytes + b])) << (8 * b);
        const quint8 flags = quint8(r[kIdBytes + 4]);
        if (flags > 1)
            return invalid(QStringLiteral("unknown chunk flags"));
        c.compressed = flags == 1;
        // Ciphertext is never larger than the plaintext plus the overhead.
        if (c.size < 41 || qint64(c.size) > m.plainSizeOf(i) + 41)
            return invalid(QStringLiteral("bad chunk size"));
        m.chunks.append(c);
    }
    m.width = std::max(0, o.value(QStringLiteral("width")).toInt());
    m.height = std::max(0, o.value(QStringLiteral("height")).toInt());
    m.thumbnail = QByteArray::fromBase64(o.value(QStringLiteral("thumbnail")).toString().toLatin1());
    if (m.thumbnail.size() > kMaxThumbnailBytes)
        m.thumbnail.clear();
    return m;
}

} // namespace tenchat::core::media
