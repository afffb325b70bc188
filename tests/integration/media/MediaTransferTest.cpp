// SPDX-License-Identifier: GPL-3.0-or-later
// The media pipeline end to end with in-process clients and the real relay:
// byte-identical round trips, tampered and missing chunks, membership,
// limits, no plaintext on the relay, a relay restart mid-upload, automatic
// download of small images.
#include "MediaTestSupport.h"
#include "MessagingTestClient.h"
#include "RelayProcess.h"

#include "tenchat/core/media/MediaService.h"
#include "tenchat/core/messaging/RelayClient.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace tenchat::core;
using tenchat::testing::MessagingTestClient;
using tenchat::testing::RelayProcess;

namespace {

constexpr int kTimeoutMs = 60000;

struct Peer {
    std::unique_ptr<MessagingTestClient> client;
    std::unique_ptr<media::MediaService> media;
    QTemporaryDir mediaDir;
};

} // namespace

class MediaTransferTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void roundTrips_data();
    void roundTrips();
    void tamperedOrMissingChunkLeavesNoFile();
    void nonMemberCannotDownload();
    void noPlaintextReachesTheRelay();
    void relayRestartMidUploadCompletes();
    void smallImagesDownloadAutomatically();
    void sizeAndQuotaLimits();

private:
    bool makePeer(Peer& peer, const QUrl& relay, const QString& handle);
    media::MediaExpected<media::MediaService::SentFile> send(
        Peer& from, const QString& conversation, const QString& path, media::UploadJob** job = nullptr);
    media::MediaExpected<QString> fetch(Peer& to, const QString& messageId, const QString& destination);
    bool waitForMessage(Peer& peer, const QString& messageId);

    RelayProcess relay_;
    QTemporaryDir files_;
    Peer alice_, bob_, carol_;
    QString conversation_;
};

bool MediaTransferTest::makePeer(Peer& peer, const QUrl& relay, const QString& handle)
{
    QString error;
    peer.client = MessagingTestClient::create(relay, handle, &error);
    if (!peer.client) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    peer.media = std::make_unique<media::MediaService>(peer.client->messenger(), peer.mediaDir.path());
    peer.client->start();
    return peer.client->waitLive();
}

void MediaTransferTest::initTestCase()
{
    QVERIFY2(relay_.start(), qPrintable(relay_.error()));
    QVERIFY(makePeer(alice_, relay_.url(), QStringLiteral("alice")));
    QVERIFY(makePeer(bob_, relay_.url(), QStringLiteral("bob")));
    QVERIFY(makePeer(carol_, relay_.url(), QStringLiteral("carol")));
    conversation_ = alice_.client->openDirect(QStringLiteral("bob"));
    QVERIFY(!conversation_.isEmpty());
}

media::MediaExpected<media::MediaService::SentFile> MediaTransferTest::send(
    Peer& from, const QString& conversation, const QString& path, media::UploadJob** job)
{
    std::optional<media::MediaExpected<media::MediaService::SentFile>> result;
    auto* started = from.media->sendFile(
        conversation, path, [&](media::MediaExpected<media::MediaService::SentFile> r) { result = std::move(r); });
    if (job)
        *job = started;
    if (!QTest::qWaitFor([&] { return result.has_value(); }, kTimeoutMs * 2))
        return media::mediaError(media::MediaErrorCode::Network, QStringLiteral("test timeout"));
    return std::move(*result);
}

media::MediaExpected<QString> MediaTransferTest::fetch(Peer& to, const QString& messageId, const QString& destination)
{
    std::optional<media::MediaExpected<QString>> result;
    to.media->fetch(messageId, destination, [&](media::MediaExpected<QString> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, kTimeoutMs * 2))
        return media::mediaError(media::MediaErrorCode::Network, QStringLiteral("test timeout"));
    return std::move(*result);
}

bool MediaTransferTest::waitForMessage(Peer& peer, const QString& messageId)
{
    return QTest::qWaitFor(
        [&] {
            auto m = peer.client->store().messages().get(messageId);
            return m && m->has_value();
        },
        kTimeoutMs);
}

void MediaTransferTest::roundTrips_data()
{
    QTest::addColumn<qint64>("size");
    QTest::addColumn<int>("kind");
    QTest::newRow("0 B") << qint64(0) << int(tenchat::testing::FillKind::Random);
    QTest::newRow("1 B") << qint64(1) << int(tenchat::testing::FillKind::Random);
    QTest::newRow("one chunk") << qint64(1 << 20) << int(tenchat::testing::FillKind::Text);
    QTest::newRow("one chunk + 1 B") << qint64((1 << 20) + 1) << int(tenchat::testing::FillKind::Random);
    QTest::newRow("100 MB mixed") << qint64(100'000'000) << int(tenchat::testing::FillKind::Mixed);
}

void MediaTransferTest::roundTrips()
{
    QFETCH(qint64, size);
    QFETCH(int, kind);
    const QString source = files_.filePath(QStringLiteral("round-%1.bin").arg(size));
    QVERIFY(tenchat::testing::writeTestFile(source, size, tenchat::testing::FillKind(kind), quint64(size) + 7));
    auto sent = send(alice_, conversation_, source);
    QVERIFY2(sent, qPrintable(sent ? QString() : sent.error().message));
    QCOMPARE(sent->manifest.size, size);
    QCOMPARE(sent->manifest.chunks.size(), qsizetype(media::MediaManifest::chunkCountFor(size, 1 << 20)));
    if (kind == int(tenchat::testing::FillKind::Text))
        QVERIFY(sent->manifest.chunks.first().compressed);
    if (kind == int(tenchat::testing::FillKind::Random) && size > 0)
        QVERIFY(!sent->manifest.chunks.first().compressed);
    QVERIFY(waitForMessage(bob_, sent->messageId));

    QTemporaryDir out;
    auto saved = fetch(bob_, sent->messageId, out.path()); // a folder: the sender's name inside it
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message));
    QCOMPARE(QFileInfo(*saved).fileName(), QFileInfo(source).fileName());
    QCOMPARE(QFileInfo(*saved).size(), size);
    QCOMPARE(tenchat::testing::fileHash(*saved), tenchat::testing::fileHash(source));
    // Nothing else left in the folder (no temporary file).
    QCOMPARE(tenchat::testing::countFiles(out.path()), 1);

    // Above kMaxInlineChunks the chunk list is a blob of its own and the
    // message stays small (manifest version 2); that blob is verified too.
    const bool external = sent->manifest.chunks.size() > media::MediaManifest::kMaxInlineChunks;
    QCOMPARE(sent->manifest.hasExternalChunkList(), external);
    if (external) {
        QVERIFY(sent->manifest.toJson().size() < 1024);
        const QString hex = QString::fromLatin1(sent->manifest.chunkList.id.toHex());
        QFile list(QStringLiteral("%1/blobs/%2/%3/%4").arg(relay_.dataDir(), hex.left(2), hex.mid(2, 2), hex));
        QVERIFY(list.open(QIODevice::ReadWrite));
        QVERIFY(list.seek(60));
        char byte = 0;
        QVERIFY(list.getChar(&byte));
        QVERIFY(list.seek(60));
        QVERIFY(list.putChar(char(byte ^ 0x01)));
        list.close();
        QTemporaryDir again;
        auto refused = fetch(bob_, sent->messageId, again.filePath(QStringLiteral("again.bin")));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, media::MediaErrorCode::Tampered);
        QVERIFY(refused.error().message.contains(QStringLiteral("chunk list")));
        QCOMPARE(tenchat::testing::countFiles(again.path()), 0);
    }
    QFile::remove(source);
}

void MediaTransferTest::tamperedOrMissingChunkLeavesNoFile()
{
    const QString source = files_.filePath(QStringLiteral("tamper.bin"));
    QVERIFY(tenchat::testing::writeTestFile(source, 3 * (1 << 20) + 500, tenchat::testing::FillKind::Random, 99));
    auto sent = send(alice_, conversation_, source);
    QVERIFY2(sent, qPrintable(sent ? QString() : sent.error().message));
    QVERIFY(waitForMessage(bob_, sent->messageId));

    const auto blobPath = [&](int index) {
        const QString hex = QString::fromLatin1(sent->manifest.chunks[index].id.toHex());
        return QStringLiteral("%1/blobs/%2/%3/%4").arg(relay_.dataDir(), hex.left(2), hex.mid(2, 2), hex);
    };
    // One flipped byte in the third chunk stored on the relay.
    QFile blob(blobPath(2));
    QVERIFY(blob.open(QIODevice::ReadWrite));
    QVERIFY(blob.seek(100));
    char byte = 0;
    QVERIFY(blob.getChar(&byte));
    QVERIFY(blob.seek(100));
    QVERIFY(blob.putChar(char(byte ^ 0x01)));
    blob.close();

    QTemporaryDir out;
    const QString dest = out.filePath(QStringLiteral("tampered.bin"));
    auto saved = fetch(bob_, sent->messageId, dest);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, media::MediaErrorCode::Tampered);
    QVERIFY(saved.error().message.contains(QStringLiteral("chunk 2")));
    QVERIFY(!QFileInfo::exists(dest));
    QCOMPARE(tenchat::testing::countFiles(out.path()), 0);

    // A chunk that vanished from the relay.
    QVERIFY(QFile::remove(blobPath(1)));
    const QString dest2 = out.filePath(QStringLiteral("missing.bin"));
    auto missing = fetch(bob_, sent->messageId, dest2);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, media::MediaErrorCode::Missing);
    QVERIFY(!QFileInfo::exists(dest2));
    QCOMPARE(tenchat::testing::countFiles(out.path()), 0);
}

void MediaTransferTest::nonMemberCannotDownload()
{
    const QString source = files_.filePath(QStringLiteral("private.bin"));
    QVERIFY(tenchat::testing::writeTestFile(source, 200'000, tenchat::testing::FillKind::Random, 5));
    auto sent = send(alice_, conversation_, source);
    QVERIFY2(sent, qPrintable(sent ? QString() : sent.error().message));
    // Carol somehow learned the whole manifest (ids and key): the relay
    // still refuses her the chunks, she is in no conversation holding them.
    QTemporaryDir out;
    const QString dest = out.filePath(QStringLiteral("stolen.bin"));
    auto* carol = carol_.client.get();
    media::DownloadJob job([carol] { return &carol->messenger().sync().client(); }, sent->manifest, dest, {});
    std::optional<media::MediaOk> result;
    job.start([&](media::MediaOk r) { result = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), kTimeoutMs);
    QVERIFY(!*result);
    QCOMPARE(result->error().code, media::MediaErrorCode::Forbidden);
    QVERIFY(!QFileInfo::exists(dest));
    QCOMPARE(tenchat::testing::countFiles(out.path()), 0);
    // Nor can she upload into a conversation she is not in.
    auto intrusion = send(carol_, conversation_, source);
    QVERIFY(!intrusion);
    QCOMPARE(intrusion.error().code, media::MediaErrorCode::Forbidden);
}

void MediaTransferTest::noPlaintextReachesTheRelay()
{
    const QByteArray marker = "TENCHAT-PLAINTEXT-MARKER-7f3a9c";
    // Once incompressible (a zip is never compressed: the marker would sit
    // in the chunk as is without encryption), once highly compressible.
    for (const QString& name : { QStringLiteral("marker-secret.zip"), QStringLiteral("marker-secret.txt") }) {
        const QString source = files_.filePath(name);
        QVERIFY(tenchat::testing::writeTestFile(source, 2 * (1 << 20) + 77, tenchat::testing::FillKind::Random, 11));
        QFile file(source);
        QVERIFY(file.open(QIODevice::ReadWrite));
        for (qint64 at = 0; at + marker.size() < file.size(); at += 4096) {
            QVERIFY(file.seek(at));
            file.write(marker);
        }
        file.close();
        auto sent = send(alice_, conversation_, source);
        QVERIFY2(sent, qPrintable(sent ? QString() : sent.error().message));
        QVERIFY(waitForMessage(bob_, sent->messageId));
    }
    QVERIFY(QFileInfo::exists(relay_.dataDir() + QStringLiteral("/blobs/blobs.db")));
    QVERIFY(!tenchat::testing::treeContains(relay_.dataDir(), marker));
    QVERIFY(!tenchat::testing::treeContains(relay_.dataDir(), "marker-secret"));
}

void MediaTransferTest::relayRestartMidUploadCompletes()
{
    const QString source = files_.filePath(QStringLiteral("restart.bin"));
    QVERIFY(tenchat::testing::writeTestFile(source, 60 * (1 << 20), tenchat::testing::FillKind::Random, 21));
    const quint16 port = quint16(relay_.url().port());
    std::optional<media::MediaExpected<media::MediaService::SentFile>> result;
    media::UploadJob::Options options;
    options.maxInFlight = 1; // slow enough to be caught in the middle
    auto* job = alice_.media->sendFile(
        conversation_, source, [&](media::MediaExpected<media::MediaService::SentFile> r) { result = std::move(r); },
        options);
    QVERIFY(job);
    bool killed = false;
    connect(job, &media::UploadJob::progress, this, [&](qint64 done, qint64 total) {
        if (!killed && done > total / 4) {
            killed = true;
            relay_.stop(true); // SIGKILL
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(killed || result.has_value(), kTimeoutMs);
    QVERIFY2(killed, "the upload finished before the relay could be killed");
    QVERIFY2(relay_.start({ QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port) }),
        qPrintable(relay_.error()));
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), kTimeoutMs * 2);
    QVERIFY2(*result, qPrintable(*result ? QString() : result->error().message));
    QVERIFY(waitForMessage(bob_, (*result)->messageId));
    QTemporaryDir out;
    auto saved = fetch(bob_, (*result)->messageId, out.filePath(QStringLiteral("restart.bin")));
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message));
    QCOMPARE(tenchat::testing::fileHash(*saved), tenchat::testing::fileHash(source));
}

void MediaTransferTest::smallImagesDownloadAutomatically()
{
    QVERIFY(bob_.media->setAutoDownloadLimit(1 << 20));
    const QString small = files_.filePath(QStringLiteral("photo.png"));
    const QString large = files_.filePath(QStringLiteral("poster.png"));
    for (const auto& [path, size] : { std::pair { small, qint64(300'000) }, std::pair { large, qint64(1'500'000) } }) {
        QVERIFY(tenchat::testing::writeTestFile(path, size, tenchat::testing::FillKind::Random, 3));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.write("\x89PNG\r\n\x1a\n", 8);
    }
    QStringList downloaded;
    auto c = connect(bob_.media.get(), &media::MediaService::autoDownloaded, this,
        [&](const QString&, const QString& path) { downloaded << path; });
    auto first = send(alice_, conversation_, small);
    QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
    QCOMPARE(first->manifest.mimeType, QStringLiteral("image/png"));
    auto second = send(alice_, conversation_, large);
    QVERIFY(second);
    QTRY_COMPARE_WITH_TIMEOUT(downloaded.size(), 1, kTimeoutMs);
    QCOMPARE(tenchat::testing::fileHash(downloaded.first()), tenchat::testing::fileHash(small));
    QVERIFY(downloaded.first().startsWith(bob_.media->mediaDir()));
    // The larger one waits for the user; give it time to arrive first.
    QVERIFY(waitForMessage(bob_, second->messageId));
    QTest::qWait(300);
    QCOMPARE(downloaded.size(), 1);
    QVERIFY(bob_.media->storageBytes() >= 300'000);
    QVERIFY(bob_.media->clearStorage());
    QCOMPARE(bob_.media->storageBytes(), 0);
    disconnect(c);
}

void MediaTransferTest::sizeAndQuotaLimits()
{
    QTemporaryDir configDir;
    const QString config = configDir.filePath(QStringLiteral("relay.json"));
    QFile f(config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"maxBlobFileBytes": 3000000, "blobQuotaBytes": 5000000})");
    f.close();
    RelayProcess limited;
    QVERIFY2(limited.start({ QStringLiteral("--config"), config }), qPrintable(limited.error()));
    Peer dave, erin;
    QVERIFY(makePeer(dave, limited.url(), QStringLiteral("dave")));
    QVERIFY(makePeer(erin, limited.url(), QStringLiteral("erin")));
    const QString conversation = dave.client->openDirect(QStringLiteral("erin"));
    QVERIFY(!conversation.isEmpty());

    const QString big = files_.filePath(QStringLiteral("big.bin"));
    QVERIFY(tenchat::testing::writeTestFile(big, 4'000'000, tenchat::testing::FillKind::Random, 8));
    auto tooLarge = send(dave, conversation, big);
    QVERIFY(!tooLarge);
    QCOMPARE(tooLarge.error().code, media::MediaErrorCode::TooLarge);
    QVERIFY2(tooLarge.error().message.contains(QStringLiteral("3000000")), qPrintable(tooLarge.error().message));

    const QString part1 = files_.filePath(QStringLiteral("part1.bin"));
    const QString part2 = files_.filePath(QStringLiteral("part2.bin"));
    QVERIFY(tenchat::testing::writeTestFile(part1, 2'600'000, tenchat::testing::FillKind::Random, 9));
    QVERIFY(tenchat::testing::writeTestFile(part2, 2'600'000, tenchat::testing::FillKind::Random, 10));
    auto ok = send(dave, conversation, part1);
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message));
    auto over = send(dave, conversation, part2);
    QVERIFY(!over);
    QCOMPARE(over.error().code, media::MediaErrorCode::QuotaExceeded);
    QVERIFY2(over.error().message.contains(QStringLiteral("quota")), qPrintable(over.error().message));
    // Another account has its own quota.
    auto erinsTurn = send(erin, conversation, part2);
    QVERIFY2(erinsTurn, qPrintable(erinsTurn ? QString() : erinsTurn.error().message));
}

QTEST_GUILESS_MAIN(MediaTransferTest)
#include "MediaTransferTest.moc"
