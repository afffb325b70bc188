// SPDX-License-Identifier: GPL-3.0-or-later
// Card images in the desktop app: the image of a card (an attachment of its
// message) resolves to the media image provider (image://tenchatmedia/thumb/
// <message id>:<index>, the attachment's thumbnail decoded into the
// MediaImageStore), and PluginCard.qml draws it from there; an image without
// a thumbnail shows its name instead, and a fallback card shows no images.
// Screenshots (light and dark): screenshots/plugins-card-images-*.png.
#include "AttachmentSupport.h"
#include "ScreenshotHelpers.h"

#include "tenchat/core/plugins/Card.h"
#include "tenchat/ui/AppController.h"
#include "tenchat/ui/MediaImageProvider.h"
#include "tenchat/ui/MediaImageStore.h"
#include "tenchat/ui/PluginCardCache.h"

#include <QBuffer>
#include <QImage>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(TenChat_UiPlugin)
Q_IMPORT_QML_PLUGIN(TenChatPlugin)

using namespace tenchat::core::plugins;
using tenchat::ui::MediaImageProvider;
using tenchat::ui::MediaImageStore;
using tenchat::ui::PluginCardCache;

namespace {

const QString kMessage = QStringLiteral("01HCARDIMG");

QByteArray redJpeg(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(QColor(220, 20, 20));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 90);
    return bytes;
}

tenchat::core::store::Message galleryMessage()
{
    tenchat::core::store::Message m;
    m.id = kMessage;
    m.conversationId = QStringLiteral("c");
    m.contentType = QStringLiteral("application/vnd.test.gallery+json");
    m.body = tenchat::testing::bodyWithAttachments({ tenchat::testing::fileManifest(QStringLiteral("beach.jpg"),
                                                         QStringLiteral("image/jpeg"), redJpeg(64, 48), 1280, 960),
        tenchat::testing::fileManifest(QStringLiteral("scan.png"), QStringLiteral("image/png")) });
    return m;
}

// The card a plugin would return, validated as the host does, for QML.
QVariantMap renderedCard(const tenchat::core::store::Message& m, const QJsonArray& images)
{
    auto card = Card::fromJson(
        QJsonObject { { QStringLiteral("title"), QStringLiteral("Holiday") }, { QStringLiteral("images"), images } },
        { m.id, MessageAttachment::ofMessage(m.id, m.body) });
    if (!card)
        qFatal("card invalid: %s", qPrintable(card.error().describe()));
    card->pluginName = QStringLiteral("org.test.gallery");
    return card->toVariantMap();
}

QQuickItem* findByName(QQuickItem* item, const QString& name)
{
    if (item->objectName() == name)
        return item;
    const auto children = item->childItems();
    for (QQuickItem* child : children)
        if (QQuickItem* found = findByName(child, name))
            return found;
    return nullptr;
}

} // namespace

class PluginCardImagesTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QQuickStyle::setStyle(QStringLiteral("Basic")); }
    void sourceResolvesToTheProvider();
    void cardDelegateDrawsTheThumbnail();
};

void PluginCardImagesTest::sourceResolvesToTheProvider()
{
    auto store = std::make_shared<MediaImageStore>();
    const auto message = galleryMessage();
    const QVariantMap card = PluginCardCache::withImageSources(
        renderedCard(message,
            { kMessage + QStringLiteral(":0"),
                QJsonObject { { QStringLiteral("attachment"), kMessage + QStringLiteral(":1") },
                    { QStringLiteral("alt"), QStringLiteral("A scanned page") } } }),
        message, store.get());
    const QVariantList images = card.value(QStringLiteral("images")).toList();
    QCOMPARE(images.size(), 2);
    const QVariantMap first = images.at(0).toMap();
    QCOMPARE(
        first.value(QStringLiteral("source")).toString(), QStringLiteral("image://tenchatmedia/thumb/01HCARDIMG:0"));
    QCOMPARE(first.value(QStringLiteral("alt")).toString(), QStringLiteral("beach.jpg")); // none given: the name
    QCOMPARE(first.value(QStringLiteral("width")).toInt(), 1280);
    QCOMPARE(first.value(QStringLiteral("height")).toInt(), 960);
    // No thumbnail in its manifest: no source, the view shows the name.
    const QVariantMap second = images.at(1).toMap();
    QCOMPARE(second.value(QStringLiteral("source")).toString(), QString());
    QCOMPARE(second.value(QStringLiteral("name")).toString(), QStringLiteral("scan.png"));
    QCOMPARE(second.value(QStringLiteral("alt")).toString(), QStringLiteral("A scanned page"));

    // The provider serves exactly the attachment's thumbnail under that id.
    MediaImageProvider provider(store);
    QSize size;
    const QImage served = provider.requestImage(QStringLiteral("thumb/01HCARDIMG:0"), &size, {});
    QCOMPARE(size, QSize(64, 48));
    QVERIFY(qAbs(QColor(served.pixel(32, 24)).red() - 220) < 12);
    QVERIFY(provider.requestImage(QStringLiteral("thumb/01HCARDIMG:1"), &size, {}).isNull());

    // Without a store (no media side yet), no source; a card without images is untouched.
    const QVariantMap bare = PluginCardCache::withImageSources(
        renderedCard(message, { kMessage + QStringLiteral(":0") }), message, nullptr);
    QCOMPARE(bare.value(QStringLiteral("images")).toList().first().toMap().value(QStringLiteral("source")).toString(),
        QString());
    const QVariantMap plain = renderedCard(message, {});
    QCOMPARE(PluginCardCache::withImageSources(plain, message, store.get()), plain);
}

void PluginCardImagesTest::cardDelegateDrawsTheThumbnail()
{
    auto store = std::make_shared<MediaImageStore>();
    const auto message = galleryMessage();
    const QVariantMap card = PluginCardCache::withImageSources(
        renderedCard(message, { kMessage + QStringLiteral(":0") }), message, store.get());

    QQuickWindow window;
    window.resize(760, 420);
    QQmlEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.addImageProvider(QLatin1String(MediaImageProvider::kName), new MediaImageProvider(store));
    QQmlComponent component(&engine);
    component.setData("import TenChat\nPluginCard { width: 360 }", QUrl());
    std::unique_ptr<QObject> object(component.create());
    QVERIFY2(object, qPrintable(component.errorString()));
    auto* item = qobject_cast<QQuickItem*>(object.get());
    item->setParentItem(window.contentItem());
    item->setPosition({ 16, 16 });
    item->setProperty("card", card);
    // Two images, two to a row: the second has no thumbnail and shows its name.
    std::unique_ptr<QObject> pair(component.create());
    auto* pairItem = qobject_cast<QQuickItem*>(pair.get());
    pairItem->setParentItem(window.contentItem());
    pairItem->setPosition({ 392, 16 });
    pairItem->setProperty("card",
        PluginCardCache::withImageSources(
            renderedCard(message, { kMessage + QStringLiteral(":0"), kMessage + QStringLiteral(":1") }), message,
            store.get()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QQuickItem* image = nullptr;
    QTRY_VERIFY((image = findByName(item, QStringLiteral("cardImage"))));
    QCOMPARE(image->property("source").toUrl(), QUrl(QStringLiteral("image://tenchatmedia/thumb/01HCARDIMG:0")));
    QTRY_COMPARE_WITH_TIMEOUT(image->property("status").toInt(), 1, 10000); // Image.Ready
    QVERIFY(image->isVisible());
    QVERIFY(image->width() > 300); // one picture spans the card
    QVERIFY(findByName(item, QStringLiteral("cardImages"))->isVisible());
    auto* app = engine.singletonInstance<tenchat::ui::AppController*>(qmlTypeId("TenChat.Ui", 1, 0, "AppController"));
    QVERIFY(app);
    for (const bool dark : { false, true }) {
        app->setDarkTheme(dark);
        window.setColor(dark ? QColor(0x1b, 0x1d, 0x22) : QColor(Qt::white));
        QTest::qWait(250);
        const QImage shot = window.grabWindow();
        tenchat::testing::saveScreenshot(shot,
            dark ? QStringLiteral("plugins-card-images-dark.png") : QStringLiteral("plugins-card-images-light.png"));
        QVERIFY(tenchat::testing::distinctColours(shot) > 20);
    }

    // The plain-text fallback (no plugin for the type) shows no images.
    QVariantMap fallback = card;
    fallback.insert(QStringLiteral("unsupported"), true);
    item->setProperty("card", fallback);
    QTRY_VERIFY(!findByName(item, QStringLiteral("cardImages"))->isVisible());
}

QTEST_MAIN(PluginCardImagesTest)
#include "tst_plugin_card_images.moc"
