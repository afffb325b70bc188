// SPDX-License-Identifier: GPL-3.0-or-later
// Linking a second device end to end, through the desktop UI and the real
// tenchat-relay. Device A signs up as @carol. Device B chooses "Link to an
// existing account" on the first-run screen and shows the one-time code; A
// enters it in Settings > Devices and approves. B opens the main window as
// @carol and receives a message @dave sends to @carol. A lists both devices,
// then revokes B after confirming. Screenshots: the code screen and the
// devices section, light and dark.
#include "AppWindow.h"
#include "RelayProcess.h"
#include "UiDriver.h"

#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/AppController.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/DeviceListModel.h"
#include "tenchat/ui/SessionController.h"

#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(TenChat_UiPlugin)
Q_IMPORT_QML_PLUGIN(TenChatPlugin)

using tenchat::core::store::TimelineModel;
using tenchat::testing::AppWindow;
using tenchat::ui::AppController;
using tenchat::ui::DeviceListModel;
using tenchat::ui::SessionController;

namespace {
constexpr int kNetworkTimeoutMs = 45000;
const QString kPassphrase = QStringLiteral("Seven bright Lanterns 42");

void click(QQuickItem* item)
{
    QVERIFY(item);
    QVERIFY(item->isVisible());
    QVERIFY(item->isEnabled());
    QMetaObject::invokeMethod(item, "clicked");
}
} // namespace

class LinkDeviceTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void secondDeviceLinksReceivesAndIsRevoked();

private:
    void signUp(AppWindow& app, const QString& handle);
    QTemporaryDir root_;
    tenchat::testing::RelayProcess relay_;
};

void LinkDeviceTest::initTestCase()
{
    QVERIFY(root_.isValid());
    QVERIFY2(relay_.start(), qPrintable(relay_.error()));
    tenchat::testing::prepareAppLike(relay_.url());
}

void LinkDeviceTest::signUp(AppWindow& app, const QString& handle)
{
    QVERIFY(app.window);
    QVERIFY(QTest::qWaitForWindowExposed(app.window));
    app.type("handleField", handle);
    app.type("passphraseField", kPassphrase);
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), SessionController::State::Ready, kNetworkTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(app.app()->connectionState(), AppController::ConnectionState::Live, kNetworkTimeoutMs);
}

void LinkDeviceTest::secondDeviceLinksReceivesAndIsRevoked()
{
    AppWindow first(root_.filePath(QStringLiteral("carol-1")));
    signUp(first, QStringLiteral("carol"));
    if (QTest::currentTestFailed())
        return;

    // Device B: "Link to an existing account", handle and a local passphrase.
    AppWindow second(root_.filePath(QStringLiteral("carol-2")));
    QVERIFY(second.window);
    QVERIFY(QTest::qWaitForWindowExposed(second.window));
    click(second.item("linkModeButton"));
    QTRY_COMPARE(second.item("createProfileButton")->property("text").toString(), QStringLiteral("Link this device"));
    second.type("handleField", QStringLiteral("carol"));
    second.type("passphraseField", kPassphrase);
    QTest::keyClick(second.window, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(second.session.linking(), kNetworkTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!second.session.linkCode().isEmpty(), kNetworkTimeoutMs);
    const QString code = second.session.linkCode();
    QCOMPARE(second.session.linkCodeGroups().size(), 5); // XXXX-XXXX-XXXX-XXXX-XXXX
    QVERIFY(second.item("linkPanel")->isVisible());
    QVERIFY(!second.item("handleField")->isVisible());
    QVERIFY(tenchat::testing::distinctColours(second.grab(QStringLiteral("onboarding-link-code-light.png"))) > 20);
    second.setDark(true);
    const QImage darkCode = second.grab(QStringLiteral("onboarding-link-code-dark.png"));
    QVERIFY2(tenchat::testing::shareOfColour(darkCode, QColor(0xff, 0xff, 0xff), 2) < 0.02, "white left in dark mode");
    second.setDark(false);

    // Device A: Settings > Devices, enter the code, approve.
    auto* devices = first.session.devices();
    auto* page = first.window->findChild<QObject*>(QStringLiteral("settingsPage"));
    QVERIFY(page);
    QMetaObject::invokeMethod(page, "open");
    QTRY_VERIFY(page->property("opened").toBool());
    QTRY_COMPARE_WITH_TIMEOUT(devices->rowCount(), 1, kNetworkTimeoutMs); // refreshed on open
    first.type("linkCodeField", code.toLower()); // case and dashes do not matter
    click(first.item("approveLinkButton"));
    QVERIFY(devices->busy());
    QTRY_COMPARE_WITH_TIMEOUT(devices->statusKind(), DeviceListModel::StatusKind::Success, kNetworkTimeoutMs);
    QVERIFY2(devices->status().contains(QStringLiteral("device 2")), qPrintable(devices->status()));

    // B is now @carol and opens the main window.
    QTRY_COMPARE_WITH_TIMEOUT(second.session.state(), SessionController::State::Ready, kNetworkTimeoutMs);
    QCOMPARE(second.session.handle(), QStringLiteral("carol"));
    QVERIFY(!second.session.linking());
    QTRY_COMPARE_WITH_TIMEOUT(second.app()->connectionState(), AppController::ConnectionState::Live, kNetworkTimeoutMs);

    // A lists both devices, itself first.
    QTRY_COMPARE_WITH_TIMEOUT(devices->rowCount(), 2, kNetworkTimeoutMs);
    QVERIFY(devices->index(0).data(DeviceListModel::CurrentRole).toBool());
    QCOMPARE(devices->index(1).data(DeviceListModel::DeviceIdRole).toInt(), 2);
    QVERIFY(devices->index(1).data(DeviceListModel::NameRole).toString().startsWith(QStringLiteral("TenChat on")));
    QMetaObject::invokeMethod(page, "reveal", Q_ARG(QVariant, QVariant::fromValue<QObject*>(first.item("device2"))));
    QVERIFY(tenchat::testing::distinctColours(first.grab(QStringLiteral("settings-devices-light.png"))) > 20);
    first.setDark(true);
    const QImage darkDevices = first.grab(QStringLiteral("settings-devices-dark.png"));
    QVERIFY2(tenchat::testing::shareOfColour(darkDevices, QColor(0xff, 0xff, 0xff), 2) < 0.02, "white in dark mode");
    first.setDark(false);

    // @dave writes to @carol: the linked device receives it.
    AppWindow dave(root_.filePath(QStringLiteral("dave")));
    signUp(dave, QStringLiteral("dave"));
    if (QTest::currentTestFailed())
        return;
    auto* daveChat = dave.session.chat();
    daveChat->startDirectChat(QStringLiteral("carol"));
    QTRY_VERIFY_WITH_TIMEOUT(!daveChat->currentConversationId().isEmpty(), kNetworkTimeoutMs);
    const QString hello = QStringLiteral("Hello Carol, on every device");
    QVERIFY(daveChat->send(hello));
    auto* secondChat = second.session.chat();
    QTRY_COMPARE_WITH_TIMEOUT(secondChat->conversations()->count(), 1, kNetworkTimeoutMs);
    secondChat->openConversation(secondChat->conversations()->idAt(0));
    QTRY_VERIFY_WITH_TIMEOUT(secondChat->timeline()->count() >= 1, kNetworkTimeoutMs);
    QCOMPARE(secondChat->timeline()->index(0, 0).data(TimelineModel::BodyRole).toString(), hello);

    // A revokes B, after confirming.
    click(first.item("revokeButton2"));
    auto* confirm = first.window->findChild<QObject*>(QStringLiteral("revokeConfirm"));
    QVERIFY(confirm);
    QTRY_VERIFY(confirm->property("opened").toBool());
    first.grab(QStringLiteral("settings-devices-revoke-confirm.png"));
    click(first.item("confirmRevokeButton"));
    QTRY_COMPARE_WITH_TIMEOUT(devices->statusKind(), DeviceListModel::StatusKind::Success, kNetworkTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(devices->index(1).data(DeviceListModel::RevokedRole).toBool(), kNetworkTimeoutMs);
    QVERIFY(!first.item("revokeButton2")->isVisible());
}

QTEST_MAIN(LinkDeviceTest)
#include "tst_link_device.moc"
