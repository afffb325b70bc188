// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat-cli send-file and fetch against the real relay: exit codes,
// progress, a byte-identical round trip, and an upload killed mid-way that
// resumes without sending the finished chunks again.
#include "CliProcess.h"
#include "MediaTestSupport.h"
#include "RelayProcess.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

// Blob files on the relay are named by 64 hex digits.
const QString kBlobName(64, QLatin1Char('?'));

} // namespace

using tenchat::testing::CliRun;

class MediaCliTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void usageAndFailures();
    void sendAndFetch();
    void imagesCarryDimensionsAndThumbnail();
    void killedUploadResumes();

private:
    CliRun cli(const QString& profile, const QStringList& args, int timeoutMs = 120000);
    QString receiveOne(const QString& profile);
    QTemporaryDir dir_;
    tenchat::testing::CliProcess cli_ { dir_.path(), QStringLiteral("media cli passphrase") };
    tenchat::testing::RelayProcess relay_;
};

void MediaCliTest::initTestCase()
{
    const QString missing = cli_.locate();
    QVERIFY2(missing.isEmpty(), qPrintable(missing));
    QVERIFY2(relay_.start(), qPrintable(relay_.error()));
    const QString url = relay_.url().toString();
    for (const QString& handle : { QStringLiteral("alice"), QStringLiteral("bob") }) {
        auto init = cli(
            handle, { QStringLiteral("init"), QStringLiteral("--relay"), url, QStringLiteral("--handle"), handle });
        QVERIFY2(init.exitCode == 0, init.err.constData());
    }
}

CliRun MediaCliTest::cli(const QString& profile, const QStringList& args, int timeoutMs)
{
    return cli_.run(profile, args, timeoutMs);
}

QString MediaCliTest::receiveOne(const QString& profile)
{
    auto listen = cli(profile,
        { QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("1"),
            QStringLiteral("--timeout"), QStringLiteral("60") });
    if (listen.exitCode != 0)
        return {};
    const auto o = QJsonDocument::fromJson(listen.out.trimmed()).object();
    if (o.value(QStringLiteral("contentType")).toString() != QStringLiteral("application/vnd.tenchat.file+json"))
        return {};
    return o.value(QStringLiteral("messageId")).toString();
}

void MediaCliTest::usageAndFailures()
{
    QCOMPARE(cli(QStringLiteral("alice"), { QStringLiteral("send-file"), QStringLiteral("@bob") }).exitCode, 1);
    QCOMPARE(
        cli(QStringLiteral("alice"), { QStringLiteral("send-file"), QStringLiteral("@bob"), dir_.filePath("nope") })
            .exitCode,
        1);
    QCOMPARE(cli(QStringLiteral("bob"), { QStringLiteral("fetch"), QStringLiteral("x") }).exitCode, 1);
    auto unknown
        = cli(QStringLiteral("bob"), { QStringLiteral("fetch"), QStringLiteral("01NOSUCHMESSAGE"), dir_.path() });
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.startsWith("tenchat-cli: "));
}

void MediaCliTest::sendAndFetch()
{
    const QString source = dir_.filePath(QStringLiteral("report.pdf"));
    QVERIFY(tenchat::testing::writeTestFile(source, 3 * (1 << 20) + 123, tenchat::testing::FillKind::Mixed, 4));
    auto sent = cli(QStringLiteral("alice"),
        { QStringLiteral("--json"), QStringLiteral("send-file"), QStringLiteral("@bob"), source });
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    QVERIFY(sent.err.contains("sending report.pdf: 100%"));
    const auto json = QJsonDocument::fromJson(sent.out.trimmed()).object();
    QCOMPARE(json.value(QStringLiteral("state")).toString(), QStringLiteral("sent"));
    QCOMPARE(json.value(QStringLiteral("chunks")).toInt(), 4);
    QCOMPARE(json.value(QStringLiteral("mimeType")).toString(), QStringLiteral("application/pdf"));
    const QString id = json.value(QStringLiteral("messageId")).toString();
    QCOMPARE(receiveOne(QStringLiteral("bob")), id);

    const QString dest = dir_.filePath(QStringLiteral("fetched.pdf"));
    auto fetched = cli(QStringLiteral("bob"), { QStringLiteral("--json"), QStringLiteral("fetch"), id, dest });
    QVERIFY2(fetched.exitCode == 0, fetched.err.constData());
    QVERIFY(fetched.err.contains("100%"));
    QCOMPARE(QJsonDocument::fromJson(fetched.out.trimmed()).object().value(QStringLiteral("path")).toString(), dest);
    QCOMPARE(tenchat::testing::fileHash(dest), tenchat::testing::fileHash(source));
    // The destination exists now: refused, and left alone.
    auto again = cli(QStringLiteral("bob"), { QStringLiteral("fetch"), id, dest });
    QCOMPARE(again.exitCode, 2);
    QVERIFY(again.err.contains("already exists"));
    QCOMPARE(tenchat::testing::fileHash(dest), tenchat::testing::fileHash(source));
    QCOMPARE(
        cli(QStringLiteral("bob"), { QStringLiteral("fetch"), QStringLiteral("--overwrite"), id, dest }).exitCode, 0);
}

void MediaCliTest::imagesCarryDimensionsAndThumbnail()
{
#ifndef TENCHAT_CLI_IMAGES
    QSKIP("tenchat-cli is built without Qt GUI (TENCHAT_BUILD_DESKTOP=OFF): no image inspection");
#endif
    const QString source = QStringLiteral(TENCHAT_TEST_DATA_DIR "/media/checker-240x160.png");
    auto sent = cli(QStringLiteral("alice"),
        { QStringLiteral("--json"), QStringLiteral("send-file"), QStringLiteral("@bob"), source });
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    const auto json = QJsonDocument::fromJson(sent.out.trimmed()).object();
    QCOMPARE(json.value(QStringLiteral("mimeType")).toString(), QStringLiteral("image/png"));
    QCOMPARE(json.value(QStringLiteral("width")).toInt(), 240);
    QCOMPARE(json.value(QStringLiteral("height")).toInt(), 160);
    const int thumbnail = json.value(QStringLiteral("thumbnailBytes")).toInt();
    QVERIFY2(thumbnail > 100 && thumbnail <= 16 * 1024, qPrintable(QString::number(thumbnail)));
    // Bob's copy of the message carries them (inside the encrypted body).
    auto listen = cli(QStringLiteral("bob"),
        { QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("1"),
            QStringLiteral("--timeout"), QStringLiteral("60") });
    QCOMPARE(listen.exitCode, 0);
    const auto message = QJsonDocument::fromJson(listen.out.trimmed()).object();
    const auto file = message.value(QStringLiteral("file")).toObject();
    QCOMPARE(file.value(QStringLiteral("width")).toInt(), 240);
    QCOMPARE(file.value(QStringLiteral("height")).toInt(), 160);
    QCOMPARE(file.value(QStringLiteral("thumbnailBytes")).toInt(), thumbnail);
    QCOMPARE(file.value(QStringLiteral("mimeType")).toString(), QStringLiteral("image/png"));
    // The manifest (with the per-file key) is never printed: only a summary.
    QVERIFY2(
        message.value(QStringLiteral("text")).toString().startsWith(QStringLiteral("[file] ")), listen.out.constData());
    QVERIFY2(!listen.out.contains("\"key\""), listen.out.constData());
}

void MediaCliTest::killedUploadResumes()
{
    const QString source = dir_.filePath(QStringLiteral("movie.bin"));
    QVERIFY(tenchat::testing::writeTestFile(source, 120 * (1 << 20), tenchat::testing::FillKind::Random, 12));
    const QString blobs = relay_.dataDir() + QStringLiteral("/blobs");
    const int storedBefore = tenchat::testing::countFiles(blobs, kBlobName);

    QProcess first;
    cli_.start(first, QStringLiteral("alice"), { QStringLiteral("send-file"), QStringLiteral("@bob"), source });
    first.setReadChannel(QProcess::StandardError); // progress is on stderr
    QVERIFY(first.waitForStarted());
    bool killed = false;
    QByteArray progress;
    while (!killed && first.state() == QProcess::Running && first.waitForReadyRead(60000)) {
        progress += first.readAllStandardError();
        for (int p = 25; p < 100 && !killed; p += 5) {
            if (progress.contains(QByteArray(": ") + QByteArray::number(p) + "%")) {
                first.kill(); // SIGKILL: no chance to clean up
                killed = true;
            }
        }
    }
    first.waitForFinished();
    QVERIFY2(killed, progress.constData());
    // Chunks already received by the relay may still be written: let it
    // settle (the count below only has to include them, not time them).
    QTest::qWait(300);
    const int storedAtKill = tenchat::testing::countFiles(blobs, kBlobName) - storedBefore;
    QVERIFY(storedAtKill > 0);

    auto resumed = cli(QStringLiteral("alice"),
        { QStringLiteral("--json"), QStringLiteral("send-file"), QStringLiteral("@bob"), source });
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    const auto json = QJsonDocument::fromJson(resumed.out.trimmed()).object();
    const int chunks = json.value(QStringLiteral("chunks")).toInt();
    const int sent = json.value(QStringLiteral("chunksSent")).toInt();
    const int skipped = json.value(QStringLiteral("chunksSkipped")).toInt();
    QCOMPARE(chunks, 120);
    QCOMPARE(sent + skipped, chunks);
    // Every chunk the relay confirmed before the kill was skipped; only the
    // few in flight at that moment (at most UploadJob::Options::maxInFlight,
    // 8) can have been sent twice.
    QVERIFY2(skipped >= storedAtKill - 8, qPrintable(QStringLiteral("%1 %2").arg(skipped).arg(storedAtKill)));
    QVERIFY(skipped > 0);
    // Plus the chunk list blob: 120 chunks are more than a manifest carries
    // inline (MediaManifest::kMaxInlineChunks = 64, manifest version 2).
    QVERIFY(chunks > 64);
    QCOMPARE(tenchat::testing::countFiles(blobs, kBlobName) - storedBefore, storedAtKill + sent + 1);

    const QString id = json.value(QStringLiteral("messageId")).toString();
    QCOMPARE(receiveOne(QStringLiteral("bob")), id);
    const QString dest = dir_.filePath(QStringLiteral("movie-fetched.bin"));
    auto fetched = cli(QStringLiteral("bob"), { QStringLiteral("fetch"), id, dest });
    QVERIFY2(fetched.exitCode == 0, fetched.err.constData());
    QCOMPARE(tenchat::testing::fileHash(dest), tenchat::testing::fileHash(source));
}

QTEST_GUILESS_MAIN(MediaCliTest)
#include "MediaCliTest.moc"
