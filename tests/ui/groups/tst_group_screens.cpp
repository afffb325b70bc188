// SPDX-License-Identifier: GPL-3.0-or-later
// The group screens rendered offscreen with fixture data and driven the way
// a user drives them (clicks, typing, keys), saved as PNG under the build
// tree (screenshots/) in light and dark: the group info page (members,
// roles, member menu, leave confirmation, an inline error), the new group
// dialog (members, validation, TTL, the offline error), the contact sheet's
// close button, the conversation list's menu (pin, mute, delete with
// confirmation; mouse and keyboard), and typing and presence in the chat.
#include "ChatFixture.h"
#include "UiDriver.h"

#include "tenchat/core/store/ConversationListModel.h"
#include "tenchat/ui/AppController.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/GroupController.h"
#include "tenchat/ui/NewGroupController.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/TypingController.h"

#include <QQuickStyle>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest/quicktest.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(TenChat_UiPlugin)
Q_IMPORT_QML_PLUGIN(TenChatPlugin)

using tenchat::core::store::ConversationListModel;
using tenchat::testing::AppWindow;
using tenchat::testing::ChatFixture;
using tenchat::testing::click;
using tenchat::testing::distinctColours;
using tenchat::testing::itemsNamed;
using tenchat::testing::sceneItems;
using tenchat::testing::shareOfColour;
using tenchat::testing::typeText;
using tenchat::testing::unlockFixture;
using tenchat::testing::visibleItem;
using tenchat::ui::ConversationFilterModel;
using tenchat::ui::SessionController;

namespace {

QObject* popup(AppWindow& app, const char* name)
{
    return app.window->findChild<QObject*>(QLatin1String(name));
}

// The delegate of a conversation in the sidebar.
QQuickItem* conversationRow(AppWindow& app, const QString& id)
{
    for (QQuickItem* item : sceneItems(app))
        if (item->property("conversationId").toString() == id && item->property("unreadCount").isValid())
            return item;
    return nullptr;
}

// White hardly anywhere: nothing was left unthemed in dark mode.
void verifyDark(const QImage& image)
{
    QVERIFY2(shareOfColour(image, QColor(0xff, 0xff, 0xff), 2) < 0.02, "white left in dark mode");
    QVERIFY2(shareOfColour(image, QColor(0xe1, 0xe4, 0xe8), 3) < 0.01, "light-theme greys left in dark mode");
}

} // namespace

class GroupScreensTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void groupInfoPageLightAndDark();
    void newGroupDialogLightAndDark();
    void contactSheetCloseButtonInTheCorner();
    void conversationMenuByMouseAndKeyboard();
    void typingAndPresenceInTheChat();

private:
    QTemporaryDir root_;
    QString fixtureDir_;
};

void GroupScreensTest::initTestCase()
{
    QVERIFY(root_.isValid());
    fixtureDir_ = root_.filePath(QStringLiteral("fixture"));
    const QString error = tenchat::testing::prepareScreenshotFixture(fixtureDir_);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void GroupScreensTest::groupInfoPageLightAndDark()
{
    AppWindow app(fixtureDir_);
    app.setDark(false);
    unlockFixture(app);
    if (QTest::currentTestFailed())
        return;
    auto* chat = app.session.chat();
    chat->openConversation(QString::fromLatin1(ChatFixture::kGroup));
    QTRY_VERIFY(chat->currentIsGroup());
    click(app, app.item("groupInfoButton"));
    QObject* page = popup(app, "groupInfoPage");
    QVERIFY(page);
    QTRY_VERIFY(page->property("opened").toBool());
    auto* group = chat->group();
    // The fixture's group: this account (owner) and three members, from the engine.
    QTRY_COMPARE_WITH_TIMEOUT(group->members()->count(), 4, 10000);
    QCOMPARE(group->title(), QStringLiteral("Design team"));
    QCOMPARE(group->ownRole(), int(tenchat::ui::GroupController::Owner));
    QVERIFY(group->canAddMembers());
    QCOMPARE(group->members()->index(0, 0).data(tenchat::ui::GroupMemberModel::IsSelfRole).toBool(), true);
    QTRY_COMPARE(app.item("groupMembers")->property("count").toInt(), 4);
    QVERIFY(app.item("groupAddHandle")->isVisible());
    QVERIFY(app.item("groupLeave")->isVisible());

    const QImage light = app.grab(QStringLiteral("group-info-light.png"));
    QVERIFY2(distinctColours(light) > 30, "the group info page rendered nearly blank");
    app.setDark(true);
    const QImage dark = app.grab(QStringLiteral("group-info-dark.png"));
    verifyDark(dark);

    // The member menu of a member this owner may manage.
    QQuickItem* actions = nullptr;
    for (QQuickItem* item : itemsNamed(app, QStringLiteral("memberActions")))
        if (item->isEnabled() && item->isVisible())
            actions = item;
    QVERIFY(actions);
    click(app, actions);
    QTRY_VERIFY(visibleItem(app, "memberRemove"));
    QVERIFY(visibleItem(app, "memberMakeAdmin"));
    app.grab(QStringLiteral("group-member-menu-dark.png"));
    // Removing asks first; Cancel changes nothing.
    click(app, visibleItem(app, "memberRemove"));
    QObject* confirmRemove = popup(app, "confirmRemoveMember");
    QTRY_VERIFY(confirmRemove->property("opened").toBool());
    QVERIFY(confirmRemove->property("text").toString().contains(QStringLiteral("no longer receive")));
    click(app, visibleItem(app, "confirmCancel"));
    QTRY_VERIFY(!confirmRemove->property("visible").toBool());
    QCOMPARE(group->members()->count(), 4);

    // Leaving asks first; Cancel changes nothing.
    click(app, app.item("groupLeave"));
    QObject* confirm = popup(app, "confirmLeaveGroup");
    QTRY_VERIFY(confirm->property("opened").toBool());
    const QImage leave = app.grab(QStringLiteral("group-leave-confirm-dark.png"));
    verifyDark(leave);
    click(app, visibleItem(app, "confirmCancel"));
    QTRY_VERIFY(!confirm->property("visible").toBool());
    QVERIFY(group->member());

    // Adding while the relay is unreachable: an inline error, nothing changed.
    app.setDark(false);
    app.type("groupAddHandle", QStringLiteral("@dave"));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!group->error().isEmpty(), 10000);
    QVERIFY(group->error().contains(QStringLiteral("cannot be reached")));
    QVERIFY(!group->busy());
    QCOMPARE(group->members()->count(), 4);
    QTRY_VERIFY(app.item("groupError")->isVisible());
    const QImage error = app.grab(QStringLiteral("group-info-offline-error.png"));
    QVERIFY2(shareOfColour(error, QColor(0xc5, 0x22, 0x1f), 30) > 0.0002, "the error is not shown in red");

    // Esc closes the page.
    QTest::keyClick(app.window, Qt::Key_Escape);
    QTRY_VERIFY(!page->property("visible").toBool());
}

void GroupScreensTest::newGroupDialogLightAndDark()
{
    AppWindow app(fixtureDir_);
    app.setDark(false);
    unlockFixture(app);
    if (QTest::currentTestFailed())
        return;
    auto* dialog = app.session.chat()->newGroup();
    QTest::keyClick(app.window, Qt::Key_N, Qt::ControlModifier | Qt::ShiftModifier);
    QObject* popupItem = popup(app, "newGroupDialog");
    QVERIFY(popupItem);
    QTRY_VERIFY(popupItem->property("opened").toBool());
    QTRY_VERIFY(app.item("newGroupName")->hasActiveFocus());

    typeText(app.window, QStringLiteral("Weekend trip"));
    QCOMPARE(dialog->name(), QStringLiteral("Weekend trip"));
    // Enter moves on to the members; each Enter adds one.
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_VERIFY(app.item("newGroupHandle")->hasActiveFocus());
    typeText(app.window, QStringLiteral("@bob"));
    QTest::keyClick(app.window, Qt::Key_Return);
    typeText(app.window, QStringLiteral("carol"));
    QTest::keyClick(app.window, Qt::Key_Return);
    QCOMPARE(dialog->handles(), (QStringList { QStringLiteral("bob"), QStringLiteral("carol") }));
    QCOMPARE(app.item("newGroupHandle")->property("text").toString(), QString());
    // A malformed handle is refused inline and stays in the field.
    typeText(app.window, QStringLiteral("x"));
    QTest::keyClick(app.window, Qt::Key_Return);
    QVERIFY(!dialog->handleError().isEmpty());
    QTRY_VERIFY(app.item("newGroupHandleError")->isVisible());
    QCOMPARE(app.item("newGroupHandle")->property("text").toString(), QStringLiteral("x"));
    click(app, visibleItem(app, "newGroupTtl2"));
    QCOMPARE(dialog->ttlSeconds(), 86400);

    const QImage light = app.grab(QStringLiteral("new-group-light.png"));
    QVERIFY2(distinctColours(light) > 30, "the dialog rendered nearly blank");
    QVERIFY2(shareOfColour(light, QColor(0x2c, 0x6b, 0xed), 4) > 0.001, "no accent (selected TTL, button)");
    app.setDark(true);
    const QImage dark = app.grab(QStringLiteral("new-group-dark.png"));
    verifyDark(dark);

    // A channel; creating while the relay is unreachable shows why, inline.
    click(app, app.item("newGroupChannel"));
    QVERIFY(dialog->channel());
    app.item("newGroupHandle")->setProperty("text", QString());
    click(app, app.item("newGroupCreate"));
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->error().isEmpty(), 10000);
    QVERIFY(!dialog->busy());
    QTRY_VERIFY(app.item("newGroupError")->isVisible());
    QVERIFY(popupItem->property("opened").toBool());
    const QImage offline = app.grab(QStringLiteral("new-channel-offline-dark.png"));
    verifyDark(offline);
    QVERIFY2(shareOfColour(offline, QColor(0xff, 0x6b, 0x60), 30) > 0.0002, "the error is not shown in red");

    QTest::keyClick(app.window, Qt::Key_Escape);
    QTRY_VERIFY(!popupItem->property("visible").toBool());
    app.setDark(false);
}

void GroupScreensTest::contactSheetCloseButtonInTheCorner()
{
    AppWindow app(fixtureDir_);
    app.setDark(false);
    unlockFixture(app);
    if (QTest::currentTestFailed())
        return;
    auto* chat = app.session.chat();
    chat->openConversation(QString::fromLatin1(ChatFixture::kAlice));
    QTRY_VERIFY(!chat->contact()->handle().isEmpty());
    click(app, app.item("contactInfoButton"));
    QObject* sheet = popup(app, "contactPage");
    QTRY_VERIFY(sheet->property("opened").toBool());
    QQuickItem* close = app.item("contactClose");
    QQuickItem* name = app.item("contactHandle");
    QVERIFY(close && name);
    // In the sheet's top-right corner, above the name (not beside it).
    auto* background = qvariant_cast<QQuickItem*>(sheet->property("background"));
    QVERIFY(background);
    const auto sceneRect
        = [](QQuickItem* item) { return item->mapRectToScene(QRectF(0, 0, item->width(), item->height())); };
    const auto inCorner = [&] {
        const QRectF sheetRect = sceneRect(background);
        const QRectF closeRect = sceneRect(close);
        const QRectF nameRect = sceneRect(name);
        return sheetRect.right() - closeRect.right() <= 24 && closeRect.top() - sheetRect.top() <= 24
            && closeRect.top() < nameRect.top() && closeRect.left() >= nameRect.right();
    };
    QTRY_VERIFY2(inCorner(), "the close button is not in the sheet's top-right corner");
    QCOMPARE(close->property("iconName").toString(), QStringLiteral("close"));

    const QImage light = app.grab(QStringLiteral("contact-sheet-light.png"));
    QVERIFY(distinctColours(light) > 20);
    app.setDark(true);
    const QImage dark = app.grab(QStringLiteral("contact-sheet-dark.png"));
    // The QR code keeps its white quiet zone; the rest of the sheet is dark.
    QVERIFY(shareOfColour(dark, QColor(0x24, 0x27, 0x2d), 2) > 0.05);
    // No Basic-style grey button box (#e0e0e0) left on the sheet.
    QVERIFY2(shareOfColour(dark, QColor(0xe0, 0xe0, 0xe0), 2) < 0.001, "an unthemed button box");
    click(app, close);
    QTRY_VERIFY(!sheet->property("visible").toBool());
    app.setDark(false);
}

void GroupScreensTest::conversationMenuByMouseAndKeyboard()
{
    const QString dir = root_.filePath(QStringLiteral("menu"));
    QVERIFY(ChatFixture::create(dir).isEmpty());
    AppWindow app(dir);
    app.setDark(false);
    unlockFixture(app);
    if (QTest::currentTestFailed())
        return;
    auto* chat = app.session.chat();
    auto* list = chat->conversations();
    const QString alice = QString::fromLatin1(ChatFixture::kAlice);
    const QString bob = QString::fromLatin1(ChatFixture::kBob);

    // Right-click: the menu; Mute.
    QTRY_VERIFY(conversationRow(app, alice));
    click(app, conversationRow(app, alice), Qt::RightButton);
    QObject* menu = popup(app, "conversationMenu");
    QTRY_VERIFY(menu->property("opened").toBool());
    const QImage open = app.grab(QStringLiteral("conversation-menu-light.png"));
    QVERIFY(distinctColours(open) > 30);
    click(app, visibleItem(app, "menuMute"));
    QTRY_VERIFY(list->index(list->rowOfId(alice), 0).data(ConversationListModel::MutedRole).toBool());
    QTRY_VERIFY(visibleItem(app, "mutedIcon"));

    // Keyboard: the list, Down to alice's row, Shift+F10, Pin.
    QTest::keyClick(app.window, Qt::Key_K, Qt::ControlModifier);
    QTest::keyClick(app.window, Qt::Key_Down);
    QQuickItem* view = app.item("conversationList");
    QTRY_VERIFY(view->hasActiveFocus());
    view->setProperty("currentIndex", list->rowOfId(alice));
    QTest::keyClick(app.window, Qt::Key_F10, Qt::ShiftModifier);
    QTRY_VERIFY(menu->property("opened").toBool());
    QCOMPARE(menu->property("conversationId").toString(), alice);
    app.setDark(true);
    const QImage dark = app.grab(QStringLiteral("conversation-menu-dark.png"));
    verifyDark(dark);
    // The first entry is Pin: Down to it, Space.
    QTest::keyClick(app.window, Qt::Key_Down);
    QTest::keyClick(app.window, Qt::Key_Space);
    QTRY_COMPARE(list->idAt(0), alice);
    QVERIFY(chat->isPinned(alice));

    // Delete asks first.
    QTRY_VERIFY(conversationRow(app, bob));
    click(app, conversationRow(app, bob), Qt::RightButton);
    QTRY_VERIFY(menu->property("opened").toBool());
    click(app, visibleItem(app, "menuDelete"));
    QObject* confirm = popup(app, "confirmDeleteConversation");
    QTRY_VERIFY(confirm->property("opened").toBool());
    QCOMPARE(list->rowOfId(bob) >= 0, true);
    const QImage asking = app.grab(QStringLiteral("conversation-delete-confirm-dark.png"));
    verifyDark(asking);
    click(app, visibleItem(app, "confirmAccept"));
    QTRY_COMPARE(list->rowOfId(bob), -1);
    app.setDark(false);
}

void GroupScreensTest::typingAndPresenceInTheChat()
{
    AppWindow app(fixtureDir_);
    app.setDark(false);
    unlockFixture(app);
    if (QTest::currentTestFailed())
        return;
    auto* chat = app.session.chat();
    const QString alice = QString::fromLatin1(ChatFixture::kAlice);
    chat->openConversation(QString::fromLatin1(ChatFixture::kGroup));
    // What the engine reports arrives through these (MessagingService's signals).
    chat->typing()->onRemoteTyping(QString::fromLatin1(ChatFixture::kGroup), QStringLiteral("Alice Martin"), true);
    chat->typing()->onRemoteTyping(QString::fromLatin1(ChatFixture::kGroup), QStringLiteral("Bob Chen"), true);
    chat->conversations()->setPresence(alice, ConversationFilterModel::Presence::Online);
    chat->conversations()->setPresence(QString::fromLatin1(ChatFixture::kBob), ConversationFilterModel::Presence::Away);
    QQuickItem* typing = app.item("typingIndicator");
    QTRY_VERIFY(typing && typing->isVisible());
    QCOMPARE(typing->property("text").toString(), QStringLiteral("Alice Martin and Bob Chen are typing…"));
    int dots = 0;
    for (QQuickItem* item : itemsNamed(app, QStringLiteral("presenceDot")))
        dots += item->isVisible() ? 1 : 0;
    QCOMPARE(dots, 2);
    const QImage light = app.grab(QStringLiteral("chat-typing-presence-light.png"));
    QVERIFY(shareOfColour(light, QColor(0x2e, 0x7d, 0x32), 4) > 0.00005); // the green dot
    app.setDark(true);
    app.grab(QStringLiteral("chat-typing-presence-dark.png"));

    // The direct chat's header shows its contact's presence.
    chat->openConversation(alice);
    QTRY_VERIFY(app.item("headerPresence") && app.item("headerPresence")->isVisible());
    QVERIFY(!typing->isVisible() || typing->property("text").toString().isEmpty());
    app.setDark(false);
}

QTEST_MAIN(GroupScreensTest)
#include "tst_group_screens.moc"
