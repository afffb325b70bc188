// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop client's screens rendered offscreen with fixture data, driven
// the way a user drives them (typing, Enter), saved as PNG under the build
// tree (screenshots/) and checked for what they must show.
#include "ChatFixture.h"
#include "FakeKeychain.h"
#include "RelayProcess.h"
#include "ScreenshotHelpers.h"
#include "UiDriver.h"

#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/AppController.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/ContactController.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/SearchModel.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/SettingsController.h"
#include "tenchat/ui/TimelineDecorator.h"

#include <QFile>
#include <QQmlApplicationEngine>
#include <QQmlExpression>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(TenChat_UiPlugin)
Q_IMPORT_QML_PLUGIN(TenChatPlugin)

using tenchat::testing::ChatFixture;
using tenchat::ui::SessionController;

using tenchat::testing::AppWindow;
using tenchat::testing::typeText;
using tenchat::testing::unlockFixture;

class ChatScreensTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void onboardingRejectsWeakPassphraseThenCreates();
    void unlockReportsWrongPassphraseAndChangesNothing();
    void firstRunAndUnlockScreensLightAndDark();
    void chatScreensLightAndDark();
    void composerSendsWithEnterAndKeepsDrafts();
    void refusedInputShowsTheErrorBanner();
    void contactPageShowsAFailedVerification();
    void sidebarFilterAndKeyboardSwitching();
    void searchOpensMessageInContext();
    void settingsScreenLightAndDark();
    void settingsReachableInSmallWindow();

private:
    QTemporaryDir root_;
    QString fixtureDir_;
};

void ChatScreensTest::initTestCase()
{
    QVERIFY(root_.isValid());
    fixtureDir_ = root_.filePath(QStringLiteral("fixture"));
    const QString error = tenchat::testing::prepareScreenshotFixture(fixtureDir_);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void ChatScreensTest::onboardingRejectsWeakPassphraseThenCreates()
{
    const QString dir = root_.filePath(QStringLiteral("new-profile"));
    AppWindow app(dir);
    QVERIFY(app.window);
    QVERIFY(QTest::qWaitForWindowExposed(app.window));
    QCOMPARE(app.session.state(), SessionController::State::Onboarding);
    QVERIFY(app.item("relayField"));
    QCOMPARE(app.item("relayField")->property("text").toString(), QStringLiteral("ws://127.0.0.1:9"));

    app.type("handleField", QStringLiteral("alice"));
    app.type("passphraseField", QStringLiteral("abc123"));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_VERIFY(!app.session.errorText().isEmpty());
    QCOMPARE(app.session.state(), SessionController::State::Onboarding);
    QVERIFY(!tenchat::core::store::ProfileStore::exists(dir));
    const QImage weak = app.grab(QStringLiteral("onboarding-weak-passphrase.png"));
    QVERIFY(tenchat::testing::distinctColours(weak) > 20);

    app.type("passphraseField", QStringLiteral("Seven bright Lanterns 42"));
    const QImage strong = app.grab(QStringLiteral("onboarding.png"));
    QVERIFY2(tenchat::testing::distinctColours(strong) > 20, "the onboarding screen rendered nearly blank");
    // The strength meter shows green for a strong passphrase.
    QVERIFY(tenchat::testing::shareOfColour(strong, QColor(0x2e, 0x7d, 0x32)) > 0.0005);

    // The default relay (port 9) does not answer: the profile is created,
    // the registration fails with a clear message and the first run goes on.
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(app.session.profileOpen() && !app.session.busy(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(app.session.errorText().contains(QStringLiteral("not reachable")), 30000);
    QCOMPARE(app.session.state(), SessionController::State::Onboarding);
    QVERIFY(tenchat::core::store::ProfileStore::exists(dir));
    QVERIFY(!app.item("passphraseField")->isVisible()); // not asked again
    app.grab(QStringLiteral("onboarding-relay-unreachable.png"));

    // With the real relay the same profile registers and opens.
    tenchat::testing::RelayProcess relay;
    QVERIFY2(relay.start(), qPrintable(relay.error()));
    app.type("relayField", relay.url().toString());
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), SessionController::State::Ready, 30000);
    QCOMPARE(app.session.handle(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(app.app()->connectionState(), tenchat::ui::AppController::ConnectionState::Live, 30000);
    const QImage empty = app.grab(QStringLiteral("chat-empty.png"));
    QVERIFY(tenchat::testing::distinctColours(empty) > 10);
}

void ChatScreensTest::unlockReportsWrongPassphraseAndChangesNothing()
{
    QFile header(tenchat::core::store::ProfileStore::headerPath(fixtureDir_));
    QVERIFY(header.open(QIODevice::ReadOnly));
    const QByteArray before = header.readAll();
    header.close();

    AppWindow app(fixtureDir_);
    QVERIFY(app.window);
    QVERIFY(QTest::qWaitForWindowExposed(app.window));
    QCOMPARE(app.session.state(), SessionController::State::Locked);
    const QImage locked = app.grab(QStringLiteral("unlock.png"));
    QVERIFY(tenchat::testing::distinctColours(locked) > 15);

    app.type("unlockField", QStringLiteral("not the passphrase"));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!app.session.errorText().isEmpty(), 20000);
    QVERIFY(!app.session.busy());
    QCOMPARE(app.session.state(), SessionController::State::Locked);
    QVERIFY(app.session.errorText().contains(QStringLiteral("not correct")));
    QTRY_VERIFY(app.item("unlockError")->isVisible());
    const QImage wrong = app.grab(QStringLiteral("unlock-wrong-passphrase.png"));
    // The error is shown in the danger colour.
    QVERIFY(tenchat::testing::shareOfColour(wrong, QColor(0xc5, 0x22, 0x1f), 30) > 0.0002);

    QVERIFY(header.open(QIODevice::ReadOnly));
    QCOMPARE(header.readAll(), before);
    header.close();

    app.type("unlockField", QString::fromLatin1(ChatFixture::kPassphrase));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), SessionController::State::Ready, 20000);
    QVERIFY(app.session.errorText().isEmpty());
}

// The first-run screen's two ways in and the unlock screen with "Remember on
// this device" (offered because the fake keychain works), light and dark.
void ChatScreensTest::firstRunAndUnlockScreensLightAndDark()
{
    const auto checkDark = [](const QImage& image, const char* what) {
        QVERIFY2(tenchat::testing::shareOfColour(image, QColor(0xff, 0xff, 0xff), 2) < 0.02, what);
    };
    {
        AppWindow app(root_.filePath(QStringLiteral("first-run-screens")));
        QVERIFY(app.window);
        QVERIFY(QTest::qWaitForWindowExposed(app.window));
        app.session.setKeychain(std::make_unique<tenchat::testing::FakeKeychain>(
            std::make_shared<tenchat::testing::FakeKeychain::State>()));
        QTRY_VERIFY(app.item("rememberCheck")->isVisible());
        QVERIFY(app.item("createModeButton")->property("selected").toBool());
        app.grab(QStringLiteral("onboarding-create-light.png"));
        app.setDark(true);
        checkDark(app.grab(QStringLiteral("onboarding-create-dark.png")), "onboarding dark");
        QMetaObject::invokeMethod(app.item("linkModeButton"), "clicked");
        QTRY_VERIFY(app.item("linkModeButton")->property("selected").toBool());
        QVERIFY(!app.item("createModeButton")->property("selected").toBool());
        QCOMPARE(app.item("createProfileButton")->property("text").toString(), QStringLiteral("Link this device"));
        checkDark(app.grab(QStringLiteral("onboarding-link-dark.png")), "link dark");
        app.setDark(false);
        app.grab(QStringLiteral("onboarding-link-light.png"));
    }
    AppWindow app(fixtureDir_);
    QVERIFY(app.window);
    QVERIFY(QTest::qWaitForWindowExposed(app.window));
    QVERIFY(!app.item("rememberCheck")->isVisible()); // no keychain: not offered
    app.session.setKeychain(
        std::make_unique<tenchat::testing::FakeKeychain>(std::make_shared<tenchat::testing::FakeKeychain::State>()));
    QTRY_VERIFY(app.item("rememberCheck")->isVisible());
    QVERIFY(!app.item("rememberCheck")->property("checked").toBool());
    app.grab(QStringLiteral("unlock-remember-light.png"));
    app.setDark(true);
    checkDark(app.grab(QStringLiteral("unlock-remember-dark.png")), "unlock dark");
    app.setDark(false);
    // A keychain that fails (no Secret Service) hides the option again.
    auto broken = std::make_shared<tenchat::testing::FakeKeychain::State>();
    broken->broken = true;
    QSignalSpy probed(&app.session, &SessionController::keychainChanged);
    app.session.setKeychain(std::make_unique<tenchat::testing::FakeKeychain>(broken));
    QTRY_VERIFY(probed.count() >= 2); // installed, then the probe failed
    QVERIFY(!app.item("rememberCheck")->isVisible());
}

void ChatScreensTest::chatScreensLightAndDark()
{
    AppWindow app(fixtureDir_);
    app.setDark(false);
    unlockFixture(app);
    auto* chat = app.session.chat();
    // Pinned first, then by recency.
    QCOMPARE(chat->conversations()->idAt(0), QString::fromLatin1(ChatFixture::kChannel));
    QCOMPARE(chat->conversations()->idAt(1), QString::fromLatin1(ChatFixture::kGroup));

    chat->openConversation(QString::fromLatin1(ChatFixture::kGroup));
    QTRY_COMPARE(chat->timeline()->count(), ChatFixture::kGroupMessages);
    QTRY_COMPARE(chat->currentMemberCount(), 4);
    QTRY_VERIFY(app.item("timeline")->property("count").toInt() == ChatFixture::kGroupMessages);

    const QImage light = app.grab(QStringLiteral("chat-light.png"));
    QVERIFY2(tenchat::testing::distinctColours(light) > 40, "the chat rendered nearly blank");
    QVERIFY2(tenchat::testing::shareOfColour(light, QColor(0xff, 0xff, 0xff), 2) > 0.3, "no light background");
    QVERIFY2(tenchat::testing::shareOfColour(light, QColor(0x2c, 0x6b, 0xed), 4) > 0.005, "no outgoing bubbles");
    QVERIFY2(tenchat::testing::shareOfColour(light, QColor(0xee, 0xf0, 0xf3), 2) > 0.005, "no incoming bubbles");

    app.setDark(true);
    const QImage dark = app.grab(QStringLiteral("chat-dark.png"));
    QVERIFY(tenchat::testing::distinctColours(dark) > 40);
    QVERIFY2(tenchat::testing::shareOfColour(dark, QColor(0xff, 0xff, 0xff), 2) < 0.02, "white left in dark mode");
    QVERIFY2(tenchat::testing::shareOfColour(dark, QColor(0x16, 0x18, 0x1c), 2) > 0.3, "no dark background");
    QVERIFY(tenchat::testing::shareOfColour(dark, QColor(0x3b, 0x6f, 0xd6), 4) > 0.005);
    app.setDark(false);
}

// Enter on a composer holding only spaces: the banner above the composer
// says why nothing was sent (light and dark), the close button dismisses it.
void ChatScreensTest::refusedInputShowsTheErrorBanner()
{
    AppWindow app(fixtureDir_);
    app.setDark(false);
    unlockFixture(app);
    auto* chat = app.session.chat();
    chat->openConversation(QString::fromLatin1(ChatFixture::kAlice));
    QTRY_VERIFY(app.item("composerInput") && app.item("composerInput")->isVisible());
    QQuickItem* banner = app.item("errorBanner");
    QVERIFY(banner);
    QVERIFY(!banner->isVisible());
    app.type("composerInput", QStringLiteral("   "));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_VERIFY(banner->isVisible());
    QCOMPARE(chat->lastErrorKind(), tenchat::ui::InputError::EmptyMessage);
    QCOMPARE(app.item("errorText")->property("text").toString(), chat->lastError());
    QVERIFY(banner->height() >= 32);
    const QImage light = app.grab(QStringLiteral("chat-error-light.png"));
    QVERIFY(tenchat::testing::distinctColours(light) > 30);
    app.setDark(true);
    const QImage dark = app.grab(QStringLiteral("chat-error-dark.png"));
    QVERIFY2(tenchat::testing::shareOfColour(dark, QColor(0xff, 0xff, 0xff), 2) < 0.02, "white left in dark mode");
    app.setDark(false);
    tenchat::testing::click(app, app.item("dismissErrorButton"));
    QTRY_VERIFY(!banner->isVisible());
    QVERIFY(chat->lastError().isEmpty());
}

// "Mark as verified" that the engine refuses (the fixture's relay never
// answers, so nothing about the contact is settled): the contact page says
// why in its own banner, the trust state is unchanged, Close dismisses it.
void ChatScreensTest::contactPageShowsAFailedVerification()
{
    AppWindow app(fixtureDir_);
    app.setDark(false);
    unlockFixture(app);
    auto* chat = app.session.chat();
    chat->openConversation(QString::fromLatin1(ChatFixture::kAlice));
    auto* contact = chat->contact();
    QTRY_VERIFY(!contact->handle().isEmpty());
    auto* page = app.window->findChild<QObject*>(QStringLiteral("contactPage"));
    QVERIFY(page);
    QMetaObject::invokeMethod(page, "open");
    QQuickItem* banner = app.item("contactErrorBanner");
    QVERIFY(banner);
    QVERIFY(!banner->isVisible());
    const auto trustBefore = contact->trust();
    contact->markVerified();
    QTRY_VERIFY_WITH_TIMEOUT(!contact->lastError().isEmpty(), 20000);
    QVERIFY2(contact->lastError().startsWith(QStringLiteral("Could not mark @%1 as verified: ").arg(contact->handle())),
        qPrintable(contact->lastError()));
    QTRY_VERIFY(banner->isVisible());
    QCOMPARE(contact->trust(), trustBefore);
    const QImage shot = app.grab(QStringLiteral("contact-error-light.png"));
    QVERIFY(tenchat::testing::distinctColours(shot) > 30);
    auto* dismiss = banner->findChild<QQuickItem*>(QStringLiteral("dismissErrorButton"));
    QVERIFY(dismiss);
    tenchat::testing::click(app, dismiss);
    QTRY_VERIFY(!banner->isVisible());
    QVERIFY(contact->lastError().isEmpty());
    QMetaObject::invokeMethod(page, "close");
}

void ChatScreensTest::composerSendsWithEnterAndKeepsDrafts()
{
    AppWindow app(fixtureDir_);
    unlockFixture(app);
    auto* chat = app.session.chat();
    chat->openConversation(QString::fromLatin1(ChatFixture::kAlice));
    QTRY_VERIFY(chat->timeline()->count() >= 4);
    const int before = chat->timeline()->count();

    // Shift+Enter adds a line; Enter sends.
    app.type("composerInput", QStringLiteral("See you"));
    QTest::keyClick(app.window, Qt::Key_Return, Qt::ShiftModifier);
    typeText(app.window, QStringLiteral("in five"));
    QCOMPARE(app.item("composerInput")->property("text").toString(), QStringLiteral("See you\nin five"));
    QCOMPARE(chat->timeline()->count(), before);
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE(chat->timeline()->count(), before + 1);
    const QModelIndex newest = chat->timeline()->index(0, 0);
    QCOMPARE(newest.data(tenchat::core::store::TimelineModel::BodyRole).toString(), QStringLiteral("See you\nin five"));
    QVERIFY(newest.data(tenchat::core::store::TimelineModel::OutgoingRole).toBool());
    QCOMPARE(newest.data(tenchat::core::store::TimelineModel::DeliveryStateRole).toInt(), 0); // queued
    QCOMPARE(app.item("composerInput")->property("text").toString(), QString());
    // The list's preview follows.
    QTRY_COMPARE(chat->conversations()->idAt(1), QString::fromLatin1(ChatFixture::kAlice));
    app.grab(QStringLiteral("chat-direct-sent.png"));

    // A draft typed here survives switching away and back.
    app.type("composerInput", QStringLiteral("half-written thought"));
    chat->openConversation(QString::fromLatin1(ChatFixture::kGroup));
    QTRY_COMPARE(app.item("composerInput")->property("text").toString(), QString());
    chat->waitForStore();
    chat->openConversation(QString::fromLatin1(ChatFixture::kAlice));
    QTRY_COMPARE(app.item("composerInput")->property("text").toString(), QStringLiteral("half-written thought"));
    // Sending clears the draft for good.
    app.item("composerInput")->forceActiveFocus();
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE(chat->timeline()->count(), before + 2);
    chat->waitForStore();
    chat->openConversation(QString::fromLatin1(ChatFixture::kGroup));
    chat->openConversation(QString::fromLatin1(ChatFixture::kAlice));
    chat->waitForStore();
    QTest::qWait(100);
    QCOMPARE(app.item("composerInput")->property("text").toString(), QString());
}

void ChatScreensTest::sidebarFilterAndKeyboardSwitching()
{
    AppWindow app(fixtureDir_);
    unlockFixture(app);
    auto* chat = app.session.chat();
    const int all = chat->conversations()->count();

    QTest::keyClick(app.window, Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY(app.item("conversationFilter")->hasActiveFocus());
    typeText(app.window, QStringLiteral("ali"));
    QTRY_COMPARE(chat->conversations()->count(), 1);
    QCOMPARE(chat->conversations()->idAt(0), QString::fromLatin1(ChatFixture::kAlice));
    app.grab(QStringLiteral("chat-filtered.png"));
    QTest::keyClick(app.window, Qt::Key_Escape);
    QTRY_COMPARE(chat->conversations()->count(), all);

    chat->openConversation(chat->conversations()->idAt(0));
    QTest::keyClick(app.window, Qt::Key_Down, Qt::AltModifier);
    QTRY_COMPARE(chat->currentConversationId(), chat->conversations()->idAt(1));
    QTest::keyClick(app.window, Qt::Key_Up, Qt::AltModifier);
    QTRY_COMPARE(chat->currentConversationId(), chat->conversations()->idAt(0));
}

void ChatScreensTest::searchOpensMessageInContext()
{
    AppWindow app(fixtureDir_);
    unlockFixture(app);
    auto* chat = app.session.chat();
    chat->openConversation(QString::fromLatin1(ChatFixture::kAlice));
    QTest::keyClick(app.window, Qt::Key_F, Qt::ControlModifier);
    auto* panel = app.window->findChild<QObject*>(QStringLiteral("searchPanel"));
    QVERIFY(panel);
    QTRY_VERIFY(panel->property("opened").toBool());
    QTRY_VERIFY(app.item("searchField")->hasActiveFocus());
    typeText(app.window, QStringLiteral("palette"));
    QTRY_COMPARE_WITH_TIMEOUT(chat->search()->count(), 1, 10000);
    const QModelIndex hit = chat->search()->index(0, 0);
    QCOMPARE(hit.data(tenchat::ui::SearchModel::ConversationTitleRole).toString(), QStringLiteral("Design team"));
    // The match is highlighted; the rest of the snippet is escaped text.
    QVERIFY(hit.data(tenchat::ui::SearchModel::SnippetHtmlRole).toString().contains(QStringLiteral("<b>palette</b>")));
    const QImage image = app.grab(QStringLiteral("search.png"));
    QVERIFY(tenchat::testing::distinctColours(image) > 30);

    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE(chat->currentConversationId(), QString::fromLatin1(ChatFixture::kGroup));
    QTRY_VERIFY(!panel->property("visible").toBool());
    app.grab(QStringLiteral("search-opened-in-context.png"));
}

void ChatScreensTest::settingsScreenLightAndDark()
{
    AppWindow app(fixtureDir_);
    unlockFixture(app);
    auto* chat = app.session.chat();
    chat->openConversation(QString::fromLatin1(ChatFixture::kAlice));
    QTest::keyClick(app.window, Qt::Key_Comma, Qt::ControlModifier);
    auto* page = app.window->findChild<QObject*>(QStringLiteral("settingsPage"));
    QVERIFY(page);
    QTRY_VERIFY(page->property("opened").toBool());
    // Qt and every crypto library are listed.
    const QVariantList versions = chat->settings()->versions();
    QVERIFY(versions.size() >= 9);
    QStringList names;
    for (const QVariant& v : versions)
        names << v.toMap().value(QStringLiteral("name")).toString();
    for (const char* expected : { "Qt", "libsodium", "libsignal-protocol-c", "OpenSSL", "SQLCipher (SQLite)" })
        QVERIFY2(names.contains(QLatin1String(expected)), expected);
    const QImage light = app.grab(QStringLiteral("settings-light.png"));
    QVERIFY(tenchat::testing::distinctColours(light) > 30);

    // Choosing "Dark" switches the palette and is kept in the profile.
    chat->settings()->setThemeMode(tenchat::ui::SettingsController::ThemeMode::Dark);
    QTRY_VERIFY(app.app()->darkTheme());
    const QImage dark = app.grab(QStringLiteral("settings-dark.png"));
    QVERIFY2(tenchat::testing::shareOfColour(dark, QColor(0xff, 0xff, 0xff), 2) < 0.02, "white left in dark mode");
    // The theme radio buttons are drawn in the theme's colours (they were white discs).
    for (const char* name : { "theme0", "theme1", "theme2" }) {
        QQuickItem* radio = app.item(name);
        QVERIFY2(radio, name);
        const qreal dpr = dark.devicePixelRatio();
        const QRectF r = radio->mapRectToScene(QRectF(0, 0, radio->height(), radio->height()));
        const QImage disc = dark.copy(QRectF(r.topLeft() * dpr, r.size() * dpr).toRect());
        QVERIFY2(tenchat::testing::shareOfColour(disc, QColor(0xff, 0xff, 0xff), 24) < 0.05, name);
    }
    chat->settings()->setThemeMode(tenchat::ui::SettingsController::ThemeMode::Light);
    QTRY_VERIFY(!app.app()->darkTheme());

    // A wrong current passphrase is refused and changes nothing.
    chat->settings()->changePassphrase(QStringLiteral("not it"), QStringLiteral("Another good passphrase 7"),
        QStringLiteral("Another good passphrase 7"));
    QTRY_VERIFY_WITH_TIMEOUT(!chat->settings()->passphraseBusy(), 20000);
    QVERIFY(!chat->settings()->passphraseOk());
    QVERIFY(chat->settings()->passphraseStatus().contains(QStringLiteral("not correct")));
}

// At the window's minimum size (and with QT_SCALE_FACTOR=2, see
// CMakeLists.txt) every section of the settings sheet can be scrolled fully
// into view, down to the About section.
void ChatScreensTest::settingsReachableInSmallWindow()
{
    AppWindow app(fixtureDir_);
    unlockFixture(app);
    app.window->resize(app.window->minimumSize());
    QTRY_COMPARE(app.window->height(), app.window->minimumHeight());
    QTest::keyClick(app.window, Qt::Key_Comma, Qt::ControlModifier);
    auto* page = app.window->findChild<QObject*>(QStringLiteral("settingsPage"));
    QVERIFY(page);
    QTRY_VERIFY(page->property("opened").toBool());
    QQuickItem* scroll = app.item("settingsScroll");
    QVERIFY(scroll);
    QTRY_VERIFY(scroll->property("contentHeight").toReal() > scroll->height()); // it has to scroll
    const QRectF sheet = scroll->mapRectToScene(QRectF(0, 0, scroll->width(), scroll->height()));
    QVERIFY(sheet.bottom() <= app.window->height());
    for (const char* name : { "devicesSection", "linkCodeField", "theme2", "readReceiptsSwitch", "currentPassphrase",
             "changePassphraseButton", "versions" }) {
        QQuickItem* item = app.item(name);
        QVERIFY2(item, name);
        QMetaObject::invokeMethod(page, "reveal", Q_ARG(QVariant, QVariant::fromValue<QObject*>(item)));
        const QRectF r = item->mapRectToItem(scroll, QRectF(0, 0, item->width(), item->height()));
        QVERIFY2(r.top() >= 0 && r.bottom() <= scroll->height() + 0.5,
            qPrintable(
                QStringLiteral("%1 at %2..%3 of %4").arg(name).arg(r.top()).arg(r.bottom()).arg(scroll->height())));
        if (QByteArray(name) == "changePassphraseButton")
            app.grab(QStringLiteral("settings-small-passphrase@%1x.png").arg(app.window->devicePixelRatio()));
    }
    app.grab(QStringLiteral("settings-small-end@%1x.png").arg(app.window->devicePixelRatio()));
    // The sheet ends with the About section (nothing hidden below it).
    QQuickItem* versions = app.item("versions");
    const QRectF last = versions->mapRectToItem(
        scroll->property("contentItem").value<QQuickItem*>(), QRectF(0, 0, versions->width(), versions->height()));
    QVERIFY(scroll->property("contentHeight").toReal() - last.bottom() < 60);
}

QTEST_MAIN(ChatScreensTest)
#include "tst_chat_screens.moc"
