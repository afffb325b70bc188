// SPDX-License-Identifier: GPL-3.0-or-later
// Screenshots of files in a chat (light and dark) and of the storage page.
// The fixture profile stays offline (its relay never answers): a received
// image shows its encrypted thumbnail with a download button (offline, no
// automatic download), a received PDF shows its file card, and a file
// attached through the controller shows as an upload waiting for the
// connection, with its progress bar, the reason, "Try again" and cancel; a
// file that cannot be sent shows its error above the composer. Cancelling
// the upload removes it.
#include "AppWindow.h"
#include "ChatFixture.h"

#include "tenchat/core/media/MediaManifest.h"
#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/core/store/Ulid.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/MediaController.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/TimelineDecorator.h"
#include "tenchat/ui/Translations.h"

#include <QBuffer>
#include <QDateTime>
#include <QLinearGradient>
#include <QPainter>
#include <QQuickStyle>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(TenChat_UiPlugin)
Q_IMPORT_QML_PLUGIN(TenChatPlugin)

using tenchat::core::media::ChunkRef;
using tenchat::core::media::MediaManifest;
using tenchat::testing::AppWindow;
using tenchat::testing::ChatFixture;
using tenchat::ui::MediaController;
using tenchat::ui::SessionController;
using namespace tenchat::core::store;

namespace {

QImage sunset(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    QPainter p(&image);
    QLinearGradient sky(0, 0, 0, height);
    sky.setColorAt(0, QColor(0x1e, 0x3c, 0x72));
    sky.setColorAt(0.6, QColor(0xf2, 0x99, 0x4a));
    sky.setColorAt(1, QColor(0xeb, 0x57, 0x57));
    p.fillRect(image.rect(), sky);
    p.setBrush(QColor(0xff, 0xe0, 0x82));
    p.setPen(Qt::NoPen);
    p.drawEllipse(QPoint(width / 2, height * 2 / 3), width / 8, width / 8);
    p.fillRect(0, height * 3 / 4, width, height / 4, QColor(0x10, 0x2a, 0x43));
    return image;
}

QString manifest(const QString& name, const QString& mime, qint64 size, const QImage& thumbnail = {})
{
    MediaManifest m;
    m.name = name;
    m.mimeType = mime;
    m.size = size;
    m.key = QByteArray(32, '\x42');
    for (int i = 0; i < MediaManifest::chunkCountFor(size, m.chunkSize); ++i)
        m.chunks.append(ChunkRef { QByteArray(32, char(i + 1)), 0, false });
    for (int i = 0; i < m.chunks.size(); ++i)
        m.chunks[i].size = quint32(m.plainSizeOf(i) + 41); // secretstream header and tag
    if (!thumbnail.isNull()) {
        m.width = thumbnail.width() * 10;
        m.height = thumbnail.height() * 10;
        QBuffer buffer(&m.thumbnail);
        buffer.open(QIODevice::WriteOnly);
        thumbnail.save(&buffer, "JPEG", 70);
    }
    return QString::fromUtf8(m.toJson());
}

// Adds a received image and a received PDF to the fixture's chat with Alice.
QString addFiles(const QString& dir)
{
    ProfileStore::Options options;
    options.kdf = tenchat::crypto::Argon2Params::forTests();
    auto store = ProfileStore::open(dir, ChatFixture::kPassphrase, options);
    if (!store)
        return store.error().message;
    UlidGenerator ulids;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    int seq = 1000;
    const auto add = [&](const QString& body, qint64 minutesAgo) -> QString {
        Message m;
        m.id = ulids.next(quint64(now - minutesAgo * 60000));
        m.conversationId = QString::fromLatin1(ChatFixture::kAlice);
        m.senderUserId = QStringLiteral("alice");
        m.senderDeviceId = 1;
        m.serverSeq = ++seq;
        m.lamport = seq;
        m.sentAt = now - minutesAgo * 60000;
        m.receivedAt = m.sentAt;
        m.contentType = QLatin1String(MediaManifest::kFileContentType);
        m.body = body;
        m.delivery = DeliveryState::Delivered;
        auto inserted = (*store)->messages().insert(m);
        return inserted ? QString() : inserted.error().message;
    };
    QString error = add(
        manifest(QStringLiteral("harbour-sunset.jpg"), QStringLiteral("image/jpeg"), 2400000, sunset(160, 100)), 8);
    if (error.isEmpty())
        error = add(
            manifest(QStringLiteral("quarterly-report-2026-Q3.pdf"), QStringLiteral("application/pdf"), 1250000), 7);
    return error;
}

// Whether one of the items called `name` shows (bubbles are reused: hidden ones exist too).
bool anyVisible(QQuickItem* item, const QString& name)
{
    if (!item->isVisible())
        return false;
    if (item->objectName() == name)
        return true;
    const auto children = item->childItems();
    return std::any_of(
        children.begin(), children.end(), [&name](QQuickItem* child) { return anyVisible(child, name); });
}

bool anyVisible(QQuickWindow* window, const char* name)
{
    return anyVisible(window->contentItem(), QLatin1String(name));
}

} // namespace

class MediaScreensTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void chatWithFilesLightAndDark();

private:
    QTemporaryDir root_;
    QString fixtureDir_;
};

void MediaScreensTest::initTestCase()
{
    QVERIFY(root_.isValid());
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    QVERIFY(tenchat::ui::installTranslations(*QCoreApplication::instance())); // plural forms, as desktop_main
    tenchat::ui::AppController::setInitialRelayUrl(QUrl(QStringLiteral("ws://127.0.0.1:9")));
    fixtureDir_ = root_.filePath(QStringLiteral("fixture"));
    QString error = ChatFixture::create(fixtureDir_);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = addFiles(fixtureDir_);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void MediaScreensTest::chatWithFilesLightAndDark()
{
    AppWindow app(fixtureDir_);
    QVERIFY(app.window);
    app.setDark(false);
    QVERIFY(QTest::qWaitForWindowExposed(app.window));
    app.type("unlockField", QString::fromLatin1(ChatFixture::kPassphrase));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), SessionController::State::Ready, 20000);
    auto* chat = app.session.chat();
    MediaController* media = chat->media();
    QVERIFY(media);
    chat->openConversation(QString::fromLatin1(ChatFixture::kAlice));
    QTRY_VERIFY(chat->timeline()->count() >= 7);

    // The received image: described from its manifest, thumbnail decoded.
    const QModelIndex image = chat->timeline()->index(1, 0);
    const QString imageId = image.data(TimelineModel::IdRole).toString();
    const QVariantMap info = media->describe(
        imageId, image.data(TimelineModel::ContentTypeRole).toString(), image.data(TimelineModel::BodyRole).toString());
    QCOMPARE(info.value(QStringLiteral("name")).toString(), QStringLiteral("harbour-sunset.jpg"));
    QVERIFY(info.value(QStringLiteral("isImage")).toBool());
    QCOMPARE(info.value(QStringLiteral("sizeText")).toString(), QStringLiteral("2.4 MB"));
    QVERIFY(
        info.value(QStringLiteral("thumbnail")).toString().startsWith(QStringLiteral("image://tenchatmedia/thumb/")));
    QCOMPARE(media->images()->image(QStringLiteral("thumb/") + imageId, {}).size(), QSize(160, 100));
    QVERIFY(!image.data(tenchat::ui::TimelineDecorator::UnsupportedRole).toBool());
    // The PDF: a file card, not downloaded (offline, and not an image).
    const QModelIndex pdf = chat->timeline()->index(0, 0);
    QTRY_COMPARE(media->status(pdf.data(TimelineModel::IdRole).toString()).value(QStringLiteral("state")).toInt(),
        int(MediaController::FileState::Remote));

    // Attach a picture through the controller: an upload waiting for the connection.
    const QString picture = root_.filePath(QStringLiteral("whiteboard.png"));
    QVERIFY(sunset(800, 500).save(picture));
    media->sendFiles(QString::fromLatin1(ChatFixture::kAlice), { QUrl::fromLocalFile(picture) });
    QTRY_VERIFY(chat->timeline()->count() >= 8);
    const QString uploadId = chat->timeline()->index(0, 0).data(TimelineModel::IdRole).toString();
    QTRY_COMPARE(
        media->status(uploadId).value(QStringLiteral("state")).toInt(), int(MediaController::FileState::Waiting));
    QTRY_VERIFY(app.item("timeline")->property("count").toInt() >= 8);
    QTRY_VERIFY(anyVisible(app.window, "transferProgress"));
    // Why it waits, with "Try again".
    QTRY_VERIFY(anyVisible(app.window, "transferError"));
    QVERIFY(anyVisible(app.window, "retryButton"));
    // A file that cannot be sent: the reason above the composer, nothing queued.
    media->sendFiles(
        QString::fromLatin1(ChatFixture::kAlice), { QUrl::fromLocalFile(root_.filePath(QStringLiteral("gone.pdf"))) });
    QTRY_VERIFY(anyVisible(app.window, "errorBanner"));
    QVERIFY(app.item("errorText")->property("text").toString().contains(QStringLiteral("gone.pdf")));
    QCOMPARE(chat->timeline()->index(0, 0).data(TimelineModel::IdRole).toString(), uploadId);
    QTRY_VERIFY(anyVisible(app.window, "imagePreview"));
    QVERIFY(anyVisible(app.window, "fileName"));
    QVERIFY(anyVisible(app.window, "downloadButton"));

    const QImage light = app.grab(QStringLiteral("media-chat-light.png"));
    QVERIFY(tenchat::testing::distinctColours(light) > 60);
    // The sunset thumbnail and the local picture are on screen (orange of the sky).
    QVERIFY2(tenchat::testing::shareOfColour(light, QColor(0xf2, 0x99, 0x4a), 40) > 0.002, "no image preview");
    app.setDark(true);
    const QImage dark = app.grab(QStringLiteral("media-chat-dark.png"));
    QVERIFY2(tenchat::testing::shareOfColour(dark, QColor(0x16, 0x18, 0x1c), 2) > 0.3, "no dark background");
    app.setDark(false);

    // The storage page, from the settings page's entry.
    QTest::keyClick(app.window, Qt::Key_Comma, Qt::ControlModifier);
    auto* settings = app.window->findChild<QObject*>(QStringLiteral("settingsPage"));
    QTRY_VERIFY(settings && settings->property("opened").toBool());
    QQuickItem* storageButton = app.item("storageButton");
    QVERIFY(storageButton);
    QMetaObject::invokeMethod(storageButton, "clicked");
    QObject* storage = nullptr;
    QTRY_VERIFY((storage = app.window->findChild<QObject*>(QStringLiteral("storagePage")))
        && storage->property("opened").toBool());
    // The pasted-image cache is empty and nothing was downloaded yet.
    QTRY_VERIFY(!media->storageBusy());
    QCOMPARE(media->storageFiles(), 0);
    QCOMPARE(media->autoDownloadLimitMb(), 8);
    // The count with its plural form (qsTr %n) and the size in human units.
    const QString summary = app.item("storageSummary")->property("text").toString();
    QVERIFY2(summary == QStringLiteral("0 files, 0 B"), qPrintable(summary));
    const QImage page = app.grab(QStringLiteral("storage-light.png"));
    QVERIFY(tenchat::testing::distinctColours(page) > 20);
    app.setDark(true);
    app.grab(QStringLiteral("storage-dark.png"));
    app.setDark(false);
    QMetaObject::invokeMethod(storage, "close");

    // Cancelling the waiting upload removes its placeholder.
    media->cancel(uploadId);
    QTRY_VERIFY(chat->timeline()->rowOfId(uploadId) < 0);
}

QTEST_MAIN(MediaScreensTest)
#include "tst_media_screens.moc"
