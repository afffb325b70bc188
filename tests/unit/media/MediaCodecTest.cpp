// SPDX-License-Identifier: GPL-3.0-or-later
// ChunkCodec and MediaManifest: sealing and opening, compression choice,
// tamper detection, position binding, strict manifest parsing.
#include "tenchat/core/media/ChunkCodec.h"
#include "tenchat/core/media/MediaManifest.h"
#include "tenchat/crypto/Hash.h"
#include "tenchat/crypto/SecretStreamEncryptor.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cstring>

using namespace tenchat::core::media;
using tenchat::crypto::SecretBytes;

namespace {

QByteArray randomData(qsizetype size)
{
    const auto bytes = tenchat::crypto::randomBytes(std::size_t(size));
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), size);
}

QByteArray textData(qsizetype size)
{
    QByteArray out;
    while (out.size() < size)
        out += "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ";
    return out.left(size);
}

} // namespace

class MediaCodecTest : public QObject {
    Q_OBJECT

private slots:
    void roundTripAndCompressionChoice();
    void idIsTheHashOfTheCiphertext();
    void sealIntoAStringOpensLikeTheOther();
    void tamperingIsDetected();
    void chunksAreBoundToTheirPosition();
    void compressedTypesAreRecognised();
    void manifestRoundTrip();
    void hostileManifestsAreRefused();
    void fileNamesAreMadeSafe();
    void versionOneManifestStillDecodes();
    void largeFileManifestReferencesItsChunkList();
    void chunkListIsBoundToItsFile();
    void reorderedDuplicatedOrTruncatedChunksAreRefused();
    void hostileVersionTwoManifestsAreRefused();
};

void MediaCodecTest::roundTripAndCompressionChoice()
{
    const SecretBytes key = tenchat::crypto::newSecretStreamKey();
    struct Case {
        QByteArray plain;
        bool tryCompress;
        bool expectCompressed;
    };
    const Case cases[] = { { QByteArray(), true, false }, { QByteArray("x"), true, false },
        { textData(1 << 20), true, true }, { textData(1 << 20), false, false }, { randomData(1 << 20), true, false },
        { randomData(1000), true, false } };
    for (const auto& c : cases) {
        auto sealed = ChunkCodec::seal(key, 3, 9, c.plain, c.tryCompress);
        QVERIFY(sealed);
        QCOMPARE(sealed->ref.compressed, c.expectCompressed);
        if (!c.expectCompressed)
            QCOMPARE(sealed->ciphertext.size(), c.plain.size() + ChunkCodec::kOverhead);
        else
            QVERIFY(sealed->ciphertext.size() < c.plain.size() / 4);
        auto opened = ChunkCodec::open(key, 3, 9, sealed->ref, sealed->ciphertext, c.plain.size());
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        QCOMPARE(*opened, c.plain);
    }
}

// The upload's seal into a std::string (moved into the put request) gives
// the same format: same size and flags, the id is its hash, it opens, and the
// buffer is resized whatever it held before.
void MediaCodecTest::sealIntoAStringOpensLikeTheOther()
{
    const auto key = tenchat::crypto::newSecretStreamKey();
    std::string ciphertext(5 << 20, 'x'); // larger than any chunk below
    for (const QByteArray& plain : { textData(1 << 20), randomData(1 << 20), randomData(1000), QByteArray() }) {
        auto ref = ChunkCodec::seal(key, 2, 7, plain, true, ciphertext);
        QVERIFY(ref);
        auto other = ChunkCodec::seal(key, 2, 7, plain, true);
        QVERIFY(other);
        const QByteArrayView bytes(ciphertext.data(), qsizetype(ciphertext.size()));
        QCOMPARE(bytes.size(), other->ciphertext.size());
        QCOMPARE(qsizetype(ref->size), bytes.size());
        QCOMPARE(ref->compressed, other->ref.compressed);
        QCOMPARE(ref->id, ChunkCodec::chunkId(bytes));
        QVERIFY(ref->id != other->ref.id); // a fresh header each time
        auto opened = ChunkCodec::open(key, 2, 7, *ref, bytes, plain.size());
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        QCOMPARE(*opened, plain);
        QVERIFY(!ChunkCodec::open(key, 3, 7, *ref, bytes, plain.size()));
    }
}

void MediaCodecTest::idIsTheHashOfTheCiphertext()
{
    const SecretBytes key = tenchat::crypto::newSecretStreamKey();
    auto a = ChunkCodec::seal(key, 0, 1, QByteArray("same plaintext"), true);
    auto b = ChunkCodec::seal(key, 0, 1, QByteArray("same plaintext"), true);
    QVERIFY(a && b);
    QCOMPARE(a->ref.id.size(), 32);
    QCOMPARE(a->ref.id, ChunkCodec::chunkId(a->ciphertext));
    // A fresh header per chunk: equal plaintexts do not give equal ids.
    QVERIFY(a->ref.id != b->ref.id);
}

void MediaCodecTest::tamperingIsDetected()
{
    const SecretBytes key = tenchat::crypto::newSecretStreamKey();
    const QByteArray plain = textData(100'000);
    auto sealed = ChunkCodec::seal(key, 1, 2, plain, true);
    QVERIFY(sealed);
    for (qsizetype at : { qsizetype(0), qsizetype(30), sealed->ciphertext.size() - 1 }) {
        QByteArray bad = sealed->ciphertext;
        bad[at] = char(bad[at] ^ 0x40);
        auto opened = ChunkCodec::open(key, 1, 2, sealed->ref, bad, plain.size());
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, MediaErrorCode::Tampered);
        // Even with an id that matches the modified bytes, it does not decrypt.
        ChunkRef forged = sealed->ref;
        forged.id = ChunkCodec::chunkId(bad);
        QVERIFY(!ChunkCodec::open(key, 1, 2, forged, bad, plain.size()));
    }
    // Truncated.
    QVERIFY(!ChunkCodec::open(key, 1, 2, sealed->ref, sealed->ciphertext.left(50), plain.size()));
    // Another key.
    const SecretBytes other = tenchat::crypto::newSecretStreamKey();
    QVERIFY(!ChunkCodec::open(other, 1, 2, sealed->ref, sealed->ciphertext, plain.size()));
    // A wrong expected size (a manifest lying about the file size).
    QVERIFY(!ChunkCodec::open(key, 1, 2, sealed->ref, sealed->ciphertext, plain.size() - 1));
}

void MediaCodecTest::chunksAreBoundToTheirPosition()
{
    const SecretBytes key = tenchat::crypto::newSecretStreamKey();
    auto sealed = ChunkCodec::seal(key, 4, 10, QByteArray("chunk four"), false);
    QVERIFY(sealed);
    QVERIFY(ChunkCodec::open(key, 4, 10, sealed->ref, sealed->ciphertext, 10));
    QVERIFY(!ChunkCodec::open(key, 5, 10, sealed->ref, sealed->ciphertext, 10)); // moved
    QVERIFY(!ChunkCodec::open(key, 4, 5, sealed->ref, sealed->ciphertext, 10)); // file truncated
    ChunkRef flipped = sealed->ref;
    flipped.compressed = true; // the flag is authenticated too
    QVERIFY(!ChunkCodec::open(key, 4, 10, flipped, sealed->ciphertext, 10));
}

void MediaCodecTest::compressedTypesAreRecognised()
{
    QVERIFY(ChunkCodec::isCompressedType(QStringLiteral("image/jpeg")));
    QVERIFY(ChunkCodec::isCompressedType(QStringLiteral("video/mp4")));
    QVERIFY(ChunkCodec::isCompressedType(QStringLiteral("application/zip")));
    QVERIFY(ChunkCodec::isCompressedType(QStringLiteral("audio/ogg")));
    QVERIFY(!ChunkCodec::isCompressedType(QStringLiteral("audio/x-wav")));
    QVERIFY(!ChunkCodec::isCompressedType(QStringLiteral("text/plain")));
    QVERIFY(!ChunkCodec::isCompressedType(QStringLiteral("image/bmp")));
}

void MediaCodecTest::manifestRoundTrip()
{
    MediaManifest m;
    m.name = QStringLiteral("holiday.jpg");
    m.size = 2 * (1 << 20) + 5;
    m.mimeType = QStringLiteral("image/jpeg");
    m.key = QByteArray(32, 'k');
    m.width = 4000;
    m.height = 3000;
    m.thumbnail = QByteArray("\xff\xd8 tiny jpeg", 11);
    for (int i = 0; i < 3; ++i)
        m.chunks.append(ChunkRef { QByteArray(32, char('a' + i)), quint32(m.plainSizeOf(i) + 41), i == 1 });
    auto parsed = MediaManifest::fromJson(m.toJson());
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    QCOMPARE(parsed->name, m.name);
    QCOMPARE(parsed->size, m.size);
    QCOMPARE(parsed->mimeType, m.mimeType);
    QCOMPARE(parsed->key, m.key);
    QCOMPARE(parsed->chunks, m.chunks);
    QCOMPARE(parsed->width, 4000);
    QCOMPARE(parsed->height, 3000);
    QCOMPARE(parsed->thumbnail, m.thumbnail);
    QCOMPARE(parsed->plainSizeOf(2), qint64(5));
    QCOMPARE(MediaManifest::chunkCountFor(0, 1 << 20), 1);
    QCOMPARE(MediaManifest::chunkCountFor(1 << 20, 1 << 20), 1);
    QCOMPARE(MediaManifest::chunkCountFor((1 << 20) + 1, 1 << 20), 2);
}

void MediaCodecTest::hostileManifestsAreRefused()
{
    MediaManifest m;
    m.name = QStringLiteral("a");
    m.size = 10;
    m.key = QByteArray(32, 'k');
    m.chunks.append(ChunkRef { QByteArray(32, 'x'), 51, false });
    const QJsonObject good = QJsonDocument::fromJson(m.toJson()).object();
    QVERIFY(MediaManifest::fromJson(m.toJson()));
    const auto with = [&](const QString& key, const QJsonValue& value) {
        QJsonObject o = good;
        o.insert(key, value);
        return MediaManifest::fromJson(QJsonDocument(o).toJson());
    };
    QVERIFY(!MediaManifest::fromJson("not json"));
    QVERIFY(!with(QStringLiteral("v"), 2));
    QVERIFY(!with(QStringLiteral("size"), -1));
    QVERIFY(!with(QStringLiteral("size"), 5'000'000)); // more chunks than listed
    QVERIFY(!with(QStringLiteral("chunkSize"), 0));
    QVERIFY(!with(QStringLiteral("chunkSize"), 1e12));
    QVERIFY(!with(QStringLiteral("key"), QStringLiteral("c2hvcnQ=")));
    QVERIFY(!with(QStringLiteral("chunks"), QStringLiteral("AAAA")));
    QCOMPARE(with(QStringLiteral("size"), 10)->size, qint64(10));
    auto bad = with(QStringLiteral("chunks"), QString::fromLatin1(QByteArray(37, '\x7f').toBase64()));
    QVERIFY(!bad); // unknown flags and an impossible size
    QCOMPARE(bad.error().code, MediaErrorCode::InvalidManifest);
}

void MediaCodecTest::fileNamesAreMadeSafe()
{
    QCOMPARE(MediaManifest::safeFileName(QStringLiteral("../../etc/passwd")), QStringLiteral("_.._etc_passwd"));
    QCOMPARE(MediaManifest::safeFileName(QStringLiteral(".bashrc")), QStringLiteral("bashrc"));
    QCOMPARE(MediaManifest::safeFileName(QString()), QStringLiteral("file"));
    QCOMPARE(MediaManifest::safeFileName(QStringLiteral("C:\\x.txt")), QStringLiteral("C__x.txt"));
    QCOMPARE(MediaManifest::safeFileName(QStringLiteral("photo 1.jpg")), QStringLiteral("photo 1.jpg"));
}

void MediaCodecTest::versionOneManifestStillDecodes()
{
    // Written by hand in the version 1 format (inline packed chunk list), as
    // clients before the chunk list blob sent it.
    QByteArray record(32, 'x');
    record += QByteArray("\x33\x00\x00\x00\x00", 5); // 51 bytes of ciphertext, not compressed
    const QByteArray json = "{\"v\":1,\"name\":\"a.txt\",\"size\":10,\"mime\":\"text/plain\",\"key\":\""
        + QByteArray(32, 'k').toBase64() + "\",\"chunkSize\":1048576,\"chunks\":\"" + record.toBase64() + "\"}";
    auto parsed = MediaManifest::fromJson(json);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    QVERIFY(!parsed->hasExternalChunkList());
    QCOMPARE(parsed->chunks.size(), qsizetype(1));
    QCOMPARE(parsed->chunks[0], (ChunkRef { QByteArray(32, 'x'), 51, false }));
    // Small files are still written as version 1 (readable by older clients).
    QCOMPARE(QJsonDocument::fromJson(parsed->toJson()).object().value(QStringLiteral("v")).toInt(), 1);
}

void MediaCodecTest::largeFileManifestReferencesItsChunkList()
{
    // 4 GiB in 1 MiB chunks: the inline list alone is 4,096 x 37 bytes,
    // ~200 KB in base64, and a direct message carries one copy per recipient
    // device in one append: 20 devices would need ~4 MB, four times the
    // relay's 1 MiB frame limit.
    const SecretBytes key = tenchat::crypto::newSecretStreamKey();
    MediaManifest m;
    m.name = QStringLiteral("disk.img");
    m.size = qint64(4) << 30;
    m.key = QByteArray(reinterpret_cast<const char*>(key.data()), 32);
    const int count = m.chunkCount();
    QCOMPARE(count, 4096);
    for (int i = 0; i < count; ++i) {
        QByteArray id(32, '\0');
        std::memcpy(id.data(), &i, sizeof i);
        m.chunks.append(ChunkRef { id, quint32(m.plainSizeOf(i) + 41), i % 3 == 0 });
    }
    QVERIFY(m.toJson().size() * 20 > (1 << 20)); // the inline form does not fit
    const QByteArray packed = MediaManifest::packChunks(m.chunks);
    auto list = ChunkCodec::sealList(key, quint64(count), packed);
    QVERIFY(list);
    QCOMPARE(qint64(list->ciphertext.size()), MediaManifest::chunkListBlobSize(count));
    m.chunkList = list->ref;
    const QByteArray json = m.toJson();
    QVERIFY2(json.size() < 512, json.constData());
    QVERIFY(json.size() * 20 < (1 << 20) / 100);
    QCOMPARE(QJsonDocument::fromJson(json).object().value(QStringLiteral("v")).toInt(), 2);

    auto parsed = MediaManifest::fromJson(json);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    QVERIFY(parsed->hasExternalChunkList());
    QVERIFY(parsed->chunks.isEmpty()); // until the list blob is fetched
    QCOMPARE(parsed->chunkList, list->ref);
    auto opened = ChunkCodec::openList(key, quint64(count), parsed->chunkList, list->ciphertext);
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    QVERIFY(parsed->setChunkList(*opened));
    QCOMPARE(parsed->chunks, m.chunks);
}

void MediaCodecTest::chunkListIsBoundToItsFile()
{
    const SecretBytes key = tenchat::crypto::newSecretStreamKey();
    const QByteArray packed = randomData(100 * 37);
    auto list = ChunkCodec::sealList(key, 100, packed);
    QVERIFY(list);
    QCOMPARE(*ChunkCodec::openList(key, 100, list->ref, list->ciphertext), packed);
    // The list of a file with another chunk count (truncated or extended).
    QVERIFY(!ChunkCodec::openList(key, 99, list->ref, list->ciphertext));
    QVERIFY(!ChunkCodec::openList(key, 101, list->ref, list->ciphertext));
    // Another file's key.
    QVERIFY(!ChunkCodec::openList(tenchat::crypto::newSecretStreamKey(), 100, list->ref, list->ciphertext));
    // One flipped byte.
    QByteArray flipped = list->ciphertext;
    flipped[500] = char(flipped[500] ^ 1);
    auto tampered = ChunkCodec::openList(key, 100, list->ref, flipped);
    QVERIFY(!tampered);
    QCOMPARE(tampered.error().code, MediaErrorCode::Tampered);
    // A list is not a chunk and a chunk is not a list, whatever the ref says.
    QVERIFY(!ChunkCodec::open(key, 0, 100, list->ref, list->ciphertext, packed.size()));
    auto chunk = ChunkCodec::seal(key, 0, 100, packed, false);
    QVERIFY(chunk);
    QVERIFY(!ChunkCodec::openList(key, 100, chunk->ref, chunk->ciphertext));
}

void MediaCodecTest::reorderedDuplicatedOrTruncatedChunksAreRefused()
{
    // A four-chunk file (small chunk size), opened the way DownloadJob does:
    // position i with the list's entry i.
    const SecretBytes key = tenchat::crypto::newSecretStreamKey();
    MediaManifest m;
    m.size = 4 * 1024 - 10;
    m.chunkSize = 1024;
    m.key = QByteArray(reinterpret_cast<const char*>(key.data()), 32);
    const QByteArray plain = randomData(m.size);
    QVector<QByteArray> stored;
    for (int i = 0; i < m.chunkCount(); ++i) {
        auto sealed = ChunkCodec::seal(key, quint64(i), quint64(m.chunkCount()),
            QByteArrayView(plain).sliced(qsizetype(i) * 1024, m.plainSizeOf(i)), false);
        QVERIFY(sealed);
        m.chunks.append(sealed->ref);
        stored.append(sealed->ciphertext);
    }
    const auto openAll = [&](const QVector<ChunkRef>& refs, const QVector<QByteArray>& blobs) {
        QByteArray out;
        for (int i = 0; i < m.chunkCount(); ++i) {
            auto opened = ChunkCodec::open(
                key, quint64(i), quint64(m.chunkCount()), refs.value(i), blobs.value(i), m.plainSizeOf(i));
            if (!opened)
                return opened.error().code == MediaErrorCode::Tampered ? QByteArray("tampered") : QByteArray("other");
            out += *opened;
        }
        return out;
    };
    QCOMPARE(openAll(m.chunks, stored), plain);
    // Reordered: chunks 1 and 2 swapped (list and blobs consistently).
    QVector<ChunkRef> refs = m.chunks;
    QVector<QByteArray> blobs = stored;
    std::swap(refs[1], refs[2]);
    std::swap(blobs[1], blobs[2]);
    QCOMPARE(openAll(refs, blobs), QByteArray("tampered"));
    // Duplicated: chunk 1 in place of chunk 2.
    refs = m.chunks;
    blobs = stored;
    refs[2] = refs[1];
    blobs[2] = blobs[1];
    QCOMPARE(openAll(refs, blobs), QByteArray("tampered"));
    // Truncated: the first three chunks sealed as a file of three chunks
    // cannot pass for this one, and a list with three entries is refused.
    QVector<ChunkRef> three;
    for (int i = 0; i < 3; ++i) {
        auto sealed
            = ChunkCodec::seal(key, quint64(i), 3, QByteArrayView(plain).sliced(qsizetype(i) * 1024, 1024), false);
        QVERIFY(sealed);
        QVERIFY(!ChunkCodec::open(key, quint64(i), 4, sealed->ref, sealed->ciphertext, 1024));
        three.append(sealed->ref);
    }
    MediaManifest copy = m;
    auto cut = copy.setChunkList(MediaManifest::packChunks(three));
    QVERIFY(!cut);
    QCOMPARE(cut.error().code, MediaErrorCode::InvalidManifest);
    QCOMPARE(copy.chunks, m.chunks); // unchanged by a refused list
    QVERIFY(copy.setChunkList(MediaManifest::packChunks(m.chunks)));
}

void MediaCodecTest::hostileVersionTwoManifestsAreRefused()
{
    MediaManifest m;
    m.name = QStringLiteral("big");
    m.size = qint64(100) << 20;
    m.key = QByteArray(32, 'k');
    m.chunkList = ChunkRef { QByteArray(32, 'l'), quint32(MediaManifest::chunkListBlobSize(100)), false };
    QVERIFY(MediaManifest::fromJson(m.toJson()));
    const QJsonObject good = QJsonDocument::fromJson(m.toJson()).object();
    const auto with = [&](const QString& key, const QJsonValue& value) {
        QJsonObject o = good;
        o.insert(key, value);
        return MediaManifest::fromJson(QJsonDocument(o).toJson());
    };
    const auto reference = [](quint32 size, char flags) {
        QByteArray r(32, 'l');
        for (int i = 0; i < 4; ++i)
            r.append(char((size >> (8 * i)) & 0xff));
        r.append(flags);
        return QString::fromLatin1(r.toBase64());
    };
    QVERIFY(with(QStringLiteral("chunkList"), reference(quint32(MediaManifest::chunkListBlobSize(100)), 0)));
    // A list size that does not match the file's chunk count.
    QVERIFY(!with(QStringLiteral("chunkList"), reference(quint32(MediaManifest::chunkListBlobSize(99)), 0)));
    QVERIFY(!with(QStringLiteral("size"), double(qint64(101) << 20)));
    // Flags on the list, a short reference, none at all.
    QVERIFY(!with(QStringLiteral("chunkList"), reference(quint32(MediaManifest::chunkListBlobSize(100)), 1)));
    QVERIFY(!with(QStringLiteral("chunkList"), QStringLiteral("AAAA")));
    QJsonObject none = good;
    none.remove(QStringLiteral("chunkList"));
    QVERIFY(!MediaManifest::fromJson(QJsonDocument(none).toJson()));
    // Absurd chunk counts are refused before anything is sized by them.
    QVERIFY(!with(QStringLiteral("size"), double(qint64(1) << 40)));
    QVERIFY(!with(QStringLiteral("v"), 3));
}

QTEST_GUILESS_MAIN(MediaCodecTest)
#include "MediaCodecTest.moc"
