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
    void tamperingIsDetected();
    void chunksAreBoundToTheirPosition();
    void compressedTypesAreRecognised();
    void manifestRoundTrip();
    void hostileManifestsAreRefused();
    void fileNamesAreMadeSafe();
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

QTEST_GUILESS_MAIN(MediaCodecTest)
#include "MediaCodecTest.moc"
