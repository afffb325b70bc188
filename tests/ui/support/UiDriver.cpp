// SPDX-License-Identifier: GPL-3.0-or-later
#include "UiDriver.h"

#include "ChatFixture.h"

#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/AppController.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/TimelineDecorator.h"
#include "tenchat/ui/Translations.h"

#include <QQuickStyle>
#include <QtQuickTest/quicktest.h>
#include <QtTest>

namespace tenchat::testing {

using tenchat::ui::AppController;
using tenchat::ui::SessionController;

QList<QQuickItem*> sceneItems(AppWindow& app)
{
    QQuickItem* root = app.window->contentItem();
    while (root->parentItem())
        root = root->parentItem();
    QList<QQuickItem*> items { root };
    for (int i = 0; i < items.size(); ++i)
        items += items[i]->childItems();
    return items;
}

QList<QQuickItem*> itemsNamed(AppWindow& app, const QString& name)
{
    QList<QQuickItem*> found;
    for (QQuickItem* item : sceneItems(app))
        if (item->objectName() == name)
            found << item;
    return found;
}

QQuickItem* visibleItem(AppWindow& app, const char* name)
{
    for (QQuickItem* item : itemsNamed(app, QLatin1String(name)))
        if (item->isVisible())
            return item;
    return nullptr;
}

void click(AppWindow& app, QQuickItem* item, Qt::MouseButton button)
{
    QVERIFY(item);
    QTRY_VERIFY(item->isVisible());
    // A menu entry: only once its menu has opened and been laid out.
    if (auto* menu = qvariant_cast<QObject*>(item->property("menu")))
        QTRY_VERIFY(menu->property("opened").toBool());
    // Laid out: a view or menu places its entries in the next polish.
    QVERIFY(QQuickTest::qWaitForPolish(app.window));
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(app.window, button, {}, centre.toPoint());
}

void click(AppWindow& app, const char* name)
{
    QTRY_VERIFY2(visibleItem(app, name), name);
    QQuickItem* item = visibleItem(app, name);
    QVERIFY2(item, name);
    QTRY_VERIFY(item->isVisible() && item->isEnabled());
    click(app, item);
}

QString newestBody(ui::ChatController* chat)
{
    if (chat->timeline()->count() == 0)
        return {};
    return chat->timeline()->index(0, 0).data(core::store::TimelineModel::BodyRole).toString();
}

void signUp(AppWindow& app, const QString& handle, const QUrl& relay)
{
    QVERIFY(app.window);
    QVERIFY(QTest::qWaitForWindowExposed(app.window));
    QCOMPARE(app.session.state(), SessionController::State::Onboarding);
    QCOMPARE(app.item("relayField")->property("text").toString(), relay.toString());
    app.type("handleField", handle);
    app.type("passphraseField", QString::fromLatin1(kSignUpPassphrase));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), SessionController::State::Ready, kNetworkTimeoutMs);
    QCOMPARE(app.session.handle(), handle);
    QTRY_COMPARE_WITH_TIMEOUT(app.app()->connectionState(), AppController::ConnectionState::Live, kNetworkTimeoutMs);
}

void prepareAppLike(const QUrl& relay)
{
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    tenchat::ui::installTranslations(*QCoreApplication::instance());
    AppController::setInitialRelayUrl(relay); // what `tenchat --relay URL` does
}

QString prepareScreenshotFixture(const QString& dir)
{
    // Nothing listens on port 9: the connection state shows offline, deterministically.
    prepareAppLike(QUrl(QStringLiteral("ws://127.0.0.1:9")));
    return ChatFixture::create(dir);
}

void unlockFixture(AppWindow& app)
{
    QVERIFY(app.window);
    QCOMPARE(app.session.state(), SessionController::State::Locked);
    QVERIFY(QTest::qWaitForWindowExposed(app.window));
    app.type("unlockField", QString::fromLatin1(ChatFixture::kPassphrase));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), SessionController::State::Ready, 20000);
    QTRY_VERIFY(app.session.chat()->conversations()->count() >= 5);
}

} // namespace tenchat::testing
