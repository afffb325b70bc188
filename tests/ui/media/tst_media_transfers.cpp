// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop media path with two profiles on the real tenchat-relay (no
// window; the timelines are loaded as the views load them): alice attaches
// a PNG through the controller the views use, her placeholder shows the
// upload with its progress and is replaced by the file message; bob's
// timeline gets the file card with its thumbnail and downloads the picture
// by itself (under the limit) byte-identical, and saves a copy. Other files
// wait for a download. Cancelling an upload leaves no message at bob and no
// placeholder; cancelling a download leaves no partial file; a chunk
// tampered with on the relay ends the download with a clear error. Files the
// relay would refuse or that cannot be read are refused before anything is
// stored. Without the relay an upload shows why it waits and "Try again"
// completes it once the relay is back; a pending upload survives restarting
// the application.
#include "MediaTestSupport.h"
#include "RelayProcess.h"

#include "tenchat/core/media/MediaManifest.h"
#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/MediaController.h"
#include "tenchat/ui/MessagingService.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/TimelineDecorator.h"

#include <QPainter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using tenchat::core::media::MediaManifest;
using tenchat::core::store::TimelineModel;
using tenchat::ui::ChatController;
using tenchat::ui::MediaController;
using tenchat::ui::MessagingService;
using tenchat::ui::SessionController;
using State = tenchat::ui::MediaController::FileState;
using tenchat::testing::countFiles;
using tenchat::testing::fileHash;
using tenchat::testing::FillKind;
using tenchat::testing::writeTestFile;

namespace {
constexpr int kTimeoutMs = 60000;
constexpr qint64 kMaxFileBytes = 32ll << 20; // the relay's limit in this test
const QString kPassphrase = QStringLiteral("Seven bright Lanterns 42");
const QString kFileType = QLatin1String(MediaManifest::kFileContentType);
const QString kUploadType = QStringLiteral("application/vnd.tenchat.upload+json");

QModelIndex newest(ChatController* chat)
{
    return chat->timeline()->count() > 0 ? chat->timeline()->index(0, 0) : QModelIndex();
}

QString newestOfType(ChatController* chat, const QString& type)
{
    const QModelIndex index = newest(chat);
    return index.isValid() && index.data(TimelineModel::ContentTypeRole).toString() == type
        ? index.data(TimelineModel::IdRole).toString()
        : QString();
}

// Whether any row of the timeline mentions `text` in its body (a file's name).
bool timelineMentions(ChatController* chat, const QString& text)
{
    for (int row = 0; row < chat->timeline()->count(); ++row)
        if (chat->timeline()->index(row, 0).data(TimelineModel::BodyRole).toString().contains(text))
            return true;
    return false;
}

int stateOf(MediaController* media, const QString& id)
{
    return media->status(id).value(QStringLiteral("state")).toInt();
}

// Every state (and the furthest progress) the bubbles of one profile showed, per message id.
struct StateLog {
    explicit StateLog(MediaController* media)
    {
        connection = QObject::connect(media, &MediaController::fileChanged, media, [this, media](const QString& id) {
            const QVariantMap status = media->status(id);
            seen[id] << status.value(QStringLiteral("state")).toInt();
            progress[id] = std::max(progress.value(id), status.value(QStringLiteral("progress")).toDouble());
        });
    }
    ~StateLog() { QObject::disconnect(connection); }
    bool saw(const QString& id, State state) const { return seen.value(id).contains(int(state)); }
    // The first message seen in `state` (the placeholder of an upload).
    QString first(State state) const
    {
        for (auto it = seen.cbegin(); it != seen.cend(); ++it)
            if (it.value().contains(int(state)))
                return it.key();
        return {};
    }
    QHash<QString, QList<int>> seen;
    QHash<QString, double> progress;
    QMetaObject::Connection connection;
};
} // namespace

class MediaTransfersTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void imageArrivesWithThumbnailAndDownloadsItself();
    void otherFilesWaitForDownload();
    void downloadCancelLeavesNoPartialFile();
    void uploadCanBeCancelled();
    void tamperedChunkIsReported();
    void refusedFilesChangeNothing();
    void uploadWithoutRelayShowsErrorAndRetries();
    void pendingUploadResumesAfterRestart();
    void cleanupTestCase();

private:
    void startRelay();
    void signUp(SessionController& session, const QString& handle);
    // Opens the conversation in `chat` and loads its newest page, as the view does.
    void show(ChatController* chat);
    // The newest message of bob's open timeline once it is a file named `name`.
    QString receive(const QString& name);
    // Alice's placeholder of an upload started without the relay.
    QString sendWithoutRelay(const QString& path);
    // Bob downloads `id` on demand; its bytes match `original`.
    void downloadMatches(const QString& id, const QString& original);

    QTemporaryDir root_;
    tenchat::testing::RelayProcess relay_;
    int relayPort_ = 0;
    std::unique_ptr<SessionController> alice_;
    std::unique_ptr<SessionController> bob_;
    QString conversation_;
};

void MediaTransfersTest::initTestCase()
{
    QVERIFY(root_.isValid());
    startRelay();
    relayPort_ = relay_.url().port();
    bob_ = std::make_unique<SessionController>(root_.filePath(QStringLiteral("bob")));
    signUp(*bob_, QStringLiteral("bob"));
    alice_ = std::make_unique<SessionController>(root_.filePath(QStringLiteral("alice")));
    signUp(*alice_, QStringLiteral("alice"));
    alice_->chat()->startDirectChat(QStringLiteral("bob"));
    QTRY_VERIFY_WITH_TIMEOUT(!alice_->chat()->currentConversationId().isEmpty(), kTimeoutMs);
    conversation_ = alice_->chat()->currentConversationId();
    show(alice_->chat());
}

void MediaTransfersTest::cleanupTestCase()
{
    alice_.reset();
    bob_.reset();
}

void MediaTransfersTest::startRelay()
{
    QFile config(root_.filePath(QStringLiteral("relay.json")));
    QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
    config.write(QStringLiteral(R"({"maxBlobFileBytes": %1})").arg(kMaxFileBytes).toUtf8());
    config.close();
    QStringList args { QStringLiteral("--config"), config.fileName() };
    if (relayPort_ > 0) // the same address the profiles know
        args << QStringLiteral("--listen") << QStringLiteral("127.0.0.1:%1").arg(relayPort_);
    QVERIFY2(relay_.start(args), qPrintable(relay_.error()));
}

void MediaTransfersTest::signUp(SessionController& session, const QString& handle)
{
    session.createProfile(handle, relay_.url().toString(), kPassphrase);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionController::State::Ready, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(session.messaging()->state(), MessagingService::State::Live, kTimeoutMs);
}

void MediaTransfersTest::show(ChatController* chat)
{
    QTRY_VERIFY_WITH_TIMEOUT(chat->conversations()->rowOfId(conversation_) >= 0, kTimeoutMs);
    chat->openConversation(conversation_);
    chat->timeline()->fetchOlder(); // the newest page
    QTRY_VERIFY_WITH_TIMEOUT(!chat->timeline()->loading(), kTimeoutMs);
}

QString MediaTransfersTest::receive(const QString& name)
{
    ChatController* bob = bob_->chat();
    if (bob->currentConversationId() != conversation_)
        show(bob);
    QString id;
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(!(id = newestOfType(bob, kFileType)).isEmpty()
                && bob->media()
                        ->describe(id, kFileType, newest(bob).data(TimelineModel::BodyRole).toString())
                        .value(QStringLiteral("name"))
                        .toString()
                    == name,
            kTimeoutMs);
    }();
    return id;
}

void MediaTransfersTest::downloadMatches(const QString& id, const QString& original)
{
    MediaController* media = bob_->chat()->media();
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(media, id), int(State::Remote), kTimeoutMs);
    media->download(id);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(media, id), int(State::Complete), kTimeoutMs);
    QCOMPARE(fileHash(media->status(id).value(QStringLiteral("path")).toString()), fileHash(original));
}

void MediaTransfersTest::imageArrivesWithThumbnailAndDownloadsItself()
{
    ChatController* alice = alice_->chat();
    MediaController* media = alice->media();
    QImage picture(640, 400, QImage::Format_RGB32);
    picture.fill(QColor(0x2c, 0x6b, 0xed));
    QPainter(&picture).fillRect(100, 100, 200, 120, QColor(0xf2, 0x99, 0x4a));
    const QString path = root_.filePath(QStringLiteral("diagram.png"));
    QVERIFY(picture.save(path));

    StateLog log(media);
    media->sendFiles(conversation_, { QUrl::fromLocalFile(path) });
    // The placeholder shows the upload and its progress, then the file message replaces it.
    QTRY_VERIFY_WITH_TIMEOUT(!newestOfType(alice, kFileType).isEmpty(), kTimeoutMs);
    const QString sentId = newestOfType(alice, kFileType);
    const QString placeholder = log.first(State::Uploading);
    QVERIFY2(!placeholder.isEmpty(), "the upload was never shown");
    QVERIFY(placeholder != sentId);
    QCOMPARE(log.progress.value(placeholder), 1.0);
    QVERIFY(alice->timeline()->rowOfId(placeholder) < 0);
    QVERIFY(!timelineMentions(alice, QStringLiteral("\"path\"")));
    // Alice's own copy is the file she sent.
    QTRY_COMPARE(stateOf(media, sentId), int(State::Complete));
    QCOMPARE(media->status(sentId).value(QStringLiteral("path")).toString(), QFileInfo(path).absoluteFilePath());

    // Bob: the thumbnail from the manifest, then the picture downloaded by itself.
    const QString id = receive(QStringLiteral("diagram.png"));
    MediaController* bobMedia = bob_->chat()->media();
    const QVariantMap info
        = bobMedia->describe(id, kFileType, newest(bob_->chat()).data(TimelineModel::BodyRole).toString());
    QVERIFY(info.value(QStringLiteral("isImage")).toBool());
    QCOMPARE(info.value(QStringLiteral("width")).toInt(), 640);
    QCOMPARE(info.value(QStringLiteral("height")).toInt(), 400);
    QVERIFY(!info.value(QStringLiteral("thumbnail")).toString().isEmpty());
    const QImage thumb = bobMedia->images()->image(QStringLiteral("thumb/") + id, {});
    QCOMPARE(thumb.size(), QSize(160, 100));
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(bobMedia, id), int(State::Complete), kTimeoutMs);
    const QString local = bobMedia->status(id).value(QStringLiteral("path")).toString();
    QVERIFY(local.startsWith(bob_->profileDirectory()));
    QCOMPARE(fileHash(local), fileHash(path));
    // Scaled once to the size shown.
    QCOMPARE(bobMedia->images()->image(QStringLiteral("full/") + id, QSize(320, 320)).size(), QSize(320, 200));
    QVERIFY(!bobMedia->status(id).value(QStringLiteral("image")).toString().isEmpty());

    // Save as…: a copy of the verified file.
    QSignalSpy saved(bobMedia, &MediaController::saved);
    const QString copy = root_.filePath(QStringLiteral("saved-diagram.png"));
    bobMedia->saveAs(id, QUrl::fromLocalFile(copy));
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, kTimeoutMs);
    QCOMPARE(saved.first().at(1).toString(), copy);
    QCOMPARE(fileHash(copy), fileHash(path));

    // The storage page counts the downloaded picture.
    bobMedia->refreshStorage();
    QTRY_VERIFY(!bobMedia->storageBusy());
    QCOMPARE(bobMedia->storageFiles(), 1);
    QCOMPARE(bobMedia->storageBytes(), QFileInfo(path).size());
}

void MediaTransfersTest::otherFilesWaitForDownload()
{
    const QString path = root_.filePath(QStringLiteral("notes.bin"));
    QVERIFY(writeTestFile(path, 3 * 1024 * 1024 + 17, FillKind::Random, 7));
    alice_->chat()->media()->sendFiles(conversation_, { QUrl::fromLocalFile(path) });
    const QString id = receive(QStringLiteral("notes.bin"));
    MediaController* media = bob_->chat()->media();
    const QVariantMap info
        = media->describe(id, kFileType, newest(bob_->chat()).data(TimelineModel::BodyRole).toString());
    QVERIFY(!info.value(QStringLiteral("isImage")).toBool());
    QCOMPARE(info.value(QStringLiteral("sizeText")).toString(), QStringLiteral("3.1 MB"));
    QCOMPARE(info.value(QStringLiteral("icon")).toString(), QStringLiteral("📄"));

    StateLog log(media);
    downloadMatches(id, path);
    QVERIFY(log.saw(id, State::Downloading));
}

void MediaTransfersTest::downloadCancelLeavesNoPartialFile()
{
    const QString path = root_.filePath(QStringLiteral("footage.bin"));
    QVERIFY(writeTestFile(path, 16 * 1024 * 1024, FillKind::Random, 5));
    alice_->chat()->media()->sendFiles(conversation_, { QUrl::fromLocalFile(path) });
    const QString id = receive(QStringLiteral("footage.bin"));
    MediaController* media = bob_->chat()->media();
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(media, id), int(State::Remote), kTimeoutMs);
    bool cancelled = false;
    const auto connection = connect(media, &MediaController::fileChanged, this, [&](const QString& changed) {
        if (!cancelled && changed == id && stateOf(media, id) == int(State::Downloading)) {
            cancelled = true;
            media->cancel(id); // as the bubble's ✕ does
        }
    });
    media->download(id);
    QTRY_VERIFY_WITH_TIMEOUT(cancelled, kTimeoutMs);
    disconnect(connection);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(media, id), int(State::Remote), kTimeoutMs);
    QCOMPARE(countFiles(QDir(bob_->profileDirectory()).filePath(QStringLiteral("media/") + id)), 0);
    // Downloading again still works.
    downloadMatches(id, path);
}

void MediaTransfersTest::uploadCanBeCancelled()
{
    ChatController* alice = alice_->chat();
    MediaController* media = alice->media();
    const QString path = root_.filePath(QStringLiteral("big-archive.bin"));
    QVERIFY(writeTestFile(path, 24 * 1024 * 1024, FillKind::Random, 11));
    QString placeholder;
    const auto connection = connect(media, &MediaController::fileChanged, this, [&](const QString& id) {
        if (placeholder.isEmpty() && stateOf(media, id) == int(State::Uploading)) {
            placeholder = id;
            media->cancel(id); // as the bubble's ✕ does
        }
    });
    media->sendFiles(conversation_, { QUrl::fromLocalFile(path) });
    QTRY_VERIFY_WITH_TIMEOUT(!placeholder.isEmpty(), kTimeoutMs);
    disconnect(connection);
    QTRY_VERIFY_WITH_TIMEOUT(alice->timeline()->rowOfId(placeholder) < 0, kTimeoutMs);
    // No file message for it, here or at bob (a later file arrives, this one never).
    const QString later = root_.filePath(QStringLiteral("after-cancel.txt"));
    QVERIFY(writeTestFile(later, 100, FillKind::Random, 13));
    media->sendFiles(conversation_, { QUrl::fromLocalFile(later) });
    receive(QStringLiteral("after-cancel.txt"));
    QVERIFY(!timelineMentions(alice, QStringLiteral("big-archive.bin")));
    QVERIFY(!timelineMentions(bob_->chat(), QStringLiteral("big-archive.bin")));
}

void MediaTransfersTest::tamperedChunkIsReported()
{
    const QString path = root_.filePath(QStringLiteral("ledger.csv"));
    QVERIFY(writeTestFile(path, 200 * 1024, FillKind::Random, 3));
    alice_->chat()->media()->sendFiles(conversation_, { QUrl::fromLocalFile(path) });
    const QString id = receive(QStringLiteral("ledger.csv"));
    auto manifest = MediaManifest::fromJson(newest(bob_->chat()).data(TimelineModel::BodyRole).toString().toUtf8());
    QVERIFY(manifest.hasValue());
    QCOMPARE(manifest->chunks.size(), 1);
    const QString hex = QString::fromLatin1(manifest->chunks.first().id.toHex());
    QFile blob(QStringLiteral("%1/blobs/%2/%3/%4").arg(relay_.dataDir(), hex.left(2), hex.mid(2, 2), hex));
    QVERIFY2(blob.open(QIODevice::ReadWrite), qPrintable(blob.fileName()));
    blob.seek(blob.size() / 2);
    char byte = 0;
    QVERIFY(blob.getChar(&byte));
    blob.seek(blob.size() / 2);
    QVERIFY(blob.putChar(char(byte ^ 0x40)));
    blob.close();

    MediaController* media = bob_->chat()->media();
    QTRY_COMPARE(stateOf(media, id), int(State::Remote));
    media->download(id);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(media, id), int(State::Failed), kTimeoutMs);
    QVERIFY2(media->status(id).value(QStringLiteral("error")).toString().contains(QStringLiteral("altered")),
        qPrintable(media->status(id).value(QStringLiteral("error")).toString()));
    QVERIFY(media->status(id).value(QStringLiteral("path")).toString().isEmpty());
    // Retry downloads again: still refused, still no file.
    StateLog log(media);
    media->retry(id);
    QTRY_VERIFY_WITH_TIMEOUT(log.saw(id, State::Downloading), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(media, id), int(State::Failed), kTimeoutMs);
    QCOMPARE(countFiles(QDir(bob_->profileDirectory()).filePath(QStringLiteral("media/") + id)), 0);
}

void MediaTransfersTest::refusedFilesChangeNothing()
{
    ChatController* alice = alice_->chat();
    MediaController* media = alice->media();
    const int rows = alice->timeline()->count();
    const QString newestId = newest(alice).data(TimelineModel::IdRole).toString();
    QSignalSpy errors(media, &MediaController::errorOccurred);
    StateLog log(media);

    // Larger than the relay accepts (sparse: nothing is written).
    QFile huge(root_.filePath(QStringLiteral("disk-image.iso")));
    QVERIFY(huge.open(QIODevice::WriteOnly) && huge.resize(kMaxFileBytes + (1 << 20)));
    huge.close();
    media->sendFiles(conversation_, { QUrl::fromLocalFile(huge.fileName()) });
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, kTimeoutMs);
    QString error = errors.takeFirst().at(1).toString();
    QVERIFY2(error.contains(QStringLiteral("disk-image.iso")) && error.contains(QStringLiteral("too large"))
            && error.contains(QStringLiteral("(35 MB)")) && error.contains(QStringLiteral("up to 34 MB")),
        qPrintable(error));

    // Not a file, and a file that is gone.
    const QString folder = root_.filePath(QStringLiteral("holiday.jpg"));
    QVERIFY(QDir().mkpath(folder));
    media->sendFiles(conversation_,
        { QUrl::fromLocalFile(folder), QUrl::fromLocalFile(root_.filePath(QStringLiteral("vanished.pdf"))) });
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 2, kTimeoutMs);
    error = errors.takeFirst().at(1).toString();
    QVERIFY2(error.contains(QStringLiteral("holiday.jpg")) && error.contains(QStringLiteral("is a folder")),
        qPrintable(error));
    error = errors.takeFirst().at(1).toString();
    QVERIFY2(error.contains(QStringLiteral("vanished.pdf")) && error.contains(QStringLiteral("no longer exists")),
        qPrintable(error));

    // Nothing was queued: no placeholder, no upload, no message at bob.
    QVERIFY2(log.seen.isEmpty(), "a placeholder was shown");
    QCOMPARE(alice->timeline()->count(), rows);
    QCOMPARE(newest(alice).data(TimelineModel::IdRole).toString(), newestId);
    QVERIFY(!timelineMentions(bob_->chat(), QStringLiteral("disk-image.iso")));
}

QString MediaTransfersTest::sendWithoutRelay(const QString& path)
{
    relay_.stop();
    [&] { QTRY_VERIFY_WITH_TIMEOUT(alice_->messaging()->state() != MessagingService::State::Live, kTimeoutMs); }();
    ChatController* alice = alice_->chat();
    alice->media()->sendFiles(conversation_, { QUrl::fromLocalFile(path) });
    QString placeholder;
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(!(placeholder = newestOfType(alice, kUploadType)).isEmpty(), kTimeoutMs);
        // It says why it waits, with "Try again".
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(alice->media(), placeholder), int(State::Waiting), kTimeoutMs);
        QVERIFY(alice->media()
                    ->status(placeholder)
                    .value(QStringLiteral("error"))
                    .toString()
                    .contains(QStringLiteral("No connection")));
    }();
    return placeholder;
}

void MediaTransfersTest::uploadWithoutRelayShowsErrorAndRetries()
{
    const QString path = root_.filePath(QStringLiteral("offline-note.txt"));
    QVERIFY(writeTestFile(path, 5000, FillKind::Random, 17));
    const QString placeholder = sendWithoutRelay(path);
    QVERIFY(!placeholder.isEmpty());
    startRelay();
    QTRY_COMPARE_WITH_TIMEOUT(alice_->messaging()->state(), MessagingService::State::Live, kTimeoutMs);
    alice_->chat()->media()->retry(placeholder); // as "Try again" does
    const QString id = receive(QStringLiteral("offline-note.txt"));
    QTRY_VERIFY_WITH_TIMEOUT(alice_->chat()->timeline()->rowOfId(placeholder) < 0, kTimeoutMs);
    downloadMatches(id, path);
}

void MediaTransfersTest::pendingUploadResumesAfterRestart()
{
    const QString path = root_.filePath(QStringLiteral("resume.bin"));
    QVERIFY(writeTestFile(path, 2 * 1024 * 1024 + 5, FillKind::Random, 19));
    const QString placeholder = sendWithoutRelay(path);
    QVERIFY(!placeholder.isEmpty());
    // The application quits with the upload pending, and starts again.
    const QString dir = alice_->profileDirectory();
    alice_.reset();
    startRelay();
    alice_ = std::make_unique<SessionController>(dir);
    alice_->unlock(kPassphrase);
    QTRY_COMPARE_WITH_TIMEOUT(alice_->state(), SessionController::State::Ready, kTimeoutMs);
    show(alice_->chat());
    const QString id = receive(QStringLiteral("resume.bin"));
    QTRY_VERIFY_WITH_TIMEOUT(alice_->chat()->timeline()->rowOfId(placeholder) < 0, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!newestOfType(alice_->chat(), kFileType).isEmpty(), kTimeoutMs);
    downloadMatches(id, path);
}

QTEST_MAIN(MediaTransfersTest)
#include "tst_media_transfers.moc"
