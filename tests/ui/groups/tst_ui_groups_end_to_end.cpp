// SPDX-License-Identifier: GPL-3.0-or-later
// Groups end to end through the desktop UI: three app windows with separate
// profiles sign up on the real tenchat-relay; alice creates a group with
// @bob and @carol in the "new group" dialog (typing, Enter, the Create
// button); both see it and alice's message; alice's typing shows in bob's
// chat; on the group info page alice makes bob an admin and removes carol
// (after the confirmation), and bob leaves — every side follows.
#include "RelayProcess.h"
#include "UiDriver.h"

#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/GroupController.h"
#include "tenchat/ui/GroupMemberModel.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/TimelineDecorator.h"
#include "tenchat/ui/TypingController.h"

#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(TenChat_UiPlugin)
Q_IMPORT_QML_PLUGIN(TenChatPlugin)

using tenchat::core::store::TimelineModel;
using tenchat::testing::AppWindow;
using tenchat::testing::click;
using tenchat::testing::kNetworkTimeoutMs;
using tenchat::testing::newestBody;
using tenchat::testing::sceneItems;
using tenchat::testing::signUp;
using tenchat::testing::typeText;
using tenchat::testing::visibleItem;
using tenchat::ui::GroupController;
using tenchat::ui::GroupMemberModel;
using tenchat::ui::SessionController;

namespace {

int roleOf(GroupController* group, const QString& handle)
{
    auto* members = group->members();
    for (int row = 0; row < members->count(); ++row)
        if (members->rowAt(row).handle == handle)
            return int(members->rowAt(row).role);
    return -1;
}

QString userIdOf(GroupController* group, const QString& handle)
{
    auto* members = group->members();
    for (int row = 0; row < members->count(); ++row)
        if (members->rowAt(row).handle == handle)
            return members->rowAt(row).userId;
    return {};
}
} // namespace

class UiGroupsEndToEndTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void groupOfThreeThroughTheUi();

private:
    QTemporaryDir root_;
    tenchat::testing::RelayProcess relay_;
};

void UiGroupsEndToEndTest::initTestCase()
{
    QVERIFY(root_.isValid());
    QVERIFY2(relay_.start(), qPrintable(relay_.error()));
    tenchat::testing::prepareAppLike(relay_.url());
}

void UiGroupsEndToEndTest::groupOfThreeThroughTheUi()
{
    AppWindow bob(root_.filePath(QStringLiteral("bob")));
    signUp(bob, QStringLiteral("bob"), relay_.url());
    AppWindow carol(root_.filePath(QStringLiteral("carol")));
    signUp(carol, QStringLiteral("carol"), relay_.url());
    AppWindow alice(root_.filePath(QStringLiteral("alice")));
    signUp(alice, QStringLiteral("alice"), relay_.url());
    if (QTest::currentTestFailed())
        return;
    auto* aliceChat = alice.session.chat();
    auto* bobChat = bob.session.chat();
    auto* carolChat = carol.session.chat();

    // The dialog: a name, two members (Enter adds), an unknown one refused by the relay.
    click(alice, "newGroupButton");
    QTRY_VERIFY(alice.item("newGroupName") && alice.item("newGroupName")->hasActiveFocus());
    typeText(alice.window, QStringLiteral("Weekend trip"));
    alice.type("newGroupHandle", QStringLiteral("@bob"));
    QTest::keyClick(alice.window, Qt::Key_Return);
    typeText(alice.window, QStringLiteral("nobody-here"));
    QTest::keyClick(alice.window, Qt::Key_Return);
    click(alice, "newGroupCreate");
    QTRY_VERIFY_WITH_TIMEOUT(!aliceChat->newGroup()->error().isEmpty(), kNetworkTimeoutMs);
    QCOMPARE(aliceChat->newGroup()->rejectedHandle(), QStringLiteral("nobody-here"));
    QVERIFY(aliceChat->newGroup()->error().contains(QStringLiteral("@nobody-here")));
    alice.grab(QStringLiteral("e2e-new-group-unknown-handle.png"));
    QCOMPARE(aliceChat->conversations()->count(), 0); // nothing was created
    aliceChat->newGroup()->removeHandle(QStringLiteral("nobody-here"));
    alice.type("newGroupHandle", QStringLiteral("carol"));
    QTest::keyClick(alice.window, Qt::Key_Return);
    QCOMPARE(aliceChat->newGroup()->handles(), (QStringList { QStringLiteral("bob"), QStringLiteral("carol") }));
    click(alice, "newGroupCreate");
    QTRY_VERIFY_WITH_TIMEOUT(aliceChat->currentIsGroup(), kNetworkTimeoutMs);
    const QString group = aliceChat->currentConversationId();
    QTRY_COMPARE(aliceChat->currentTitle(), QStringLiteral("Weekend trip"));
    QTRY_VERIFY(!alice.window->findChild<QObject*>(QStringLiteral("newGroupDialog"))->property("visible").toBool());

    // Alice's group info page: three members, alice the owner.
    click(alice, "groupInfoButton");
    auto* aliceGroup = aliceChat->group();
    QTRY_COMPARE_WITH_TIMEOUT(aliceGroup->members()->count(), 3, kNetworkTimeoutMs);
    QCOMPARE(aliceGroup->ownRole(), int(GroupController::Owner));
    QCOMPARE(roleOf(aliceGroup, QStringLiteral("bob")), int(GroupController::Member));
    alice.grab(QStringLiteral("e2e-group-info.png"));
    QTest::keyClick(alice.window, Qt::Key_Escape);

    // Both see the group and alice's first message.
    QTRY_COMPARE_WITH_TIMEOUT(bobChat->conversations()->rowOfId(group) >= 0, true, kNetworkTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(carolChat->conversations()->rowOfId(group) >= 0, true, kNetworkTimeoutMs);
    bobChat->openConversation(group);
    carolChat->openConversation(group);
    const QString hello = QStringLiteral("Hello both, this is our trip group");
    alice.type("composerInput", hello);
    QTest::keyClick(alice.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(newestBody(bobChat), hello, kNetworkTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(newestBody(carolChat), hello, kNetworkTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(bobChat->currentTitle(), QStringLiteral("Weekend trip"), kNetworkTimeoutMs);

    // Typing in alice's composer shows in bob's chat header, and goes away on send.
    alice.type("composerInput", QStringLiteral("Who brings"));
    QTRY_COMPARE_WITH_TIMEOUT(bobChat->typing()->text(), QStringLiteral("alice is typing…"), kNetworkTimeoutMs);
    QTRY_VERIFY(bob.item("typingIndicator")->isVisible());
    bob.grab(QStringLiteral("e2e-group-typing.png"));
    QTest::keyClick(alice.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(bobChat->typing()->text(), QString(), kNetworkTimeoutMs);

    // Alice makes bob an admin: his page follows.
    aliceGroup->setRole(userIdOf(aliceGroup, QStringLiteral("bob")), GroupController::Admin);
    QTRY_COMPARE_WITH_TIMEOUT(
        roleOf(aliceGroup, QStringLiteral("bob")), int(GroupController::Admin), kNetworkTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(bobChat->group()->ownRole(), int(GroupController::Admin), kNetworkTimeoutMs);

    // Alice removes carol from the page, after confirming.
    click(alice, "groupInfoButton");
    QObject* page = alice.window->findChild<QObject*>(QStringLiteral("groupInfoPage"));
    QTRY_VERIFY(page->property("opened").toBool());
    QQuickItem* carolActions = nullptr;
    const int carolRow = aliceGroup->members()->rowOfUser(userIdOf(aliceGroup, QStringLiteral("carol")));
    QVERIFY(carolRow >= 0);
    QVERIFY(aliceGroup->members()->index(carolRow, 0).data(GroupMemberModel::CanRemoveRole).toBool());
    for (QQuickItem* item : sceneItems(alice)) {
        if (item->objectName() != QLatin1String("memberActions"))
            continue;
        QQuickItem* row = item;
        while (row && !row->property("userId").isValid())
            row = row->parentItem();
        if (row && row->property("handle").toString() == QLatin1String("carol"))
            carolActions = item;
    }
    QVERIFY(carolActions);
    QTest::mouseClick(alice.window, Qt::LeftButton, {},
        carolActions->mapToScene(QPointF(carolActions->width() / 2, carolActions->height() / 2)).toPoint());
    click(alice, "memberRemove");
    QObject* confirm = alice.window->findChild<QObject*>(QStringLiteral("confirmRemoveMember"));
    QTRY_VERIFY(confirm->property("opened").toBool());
    click(alice, "confirmAccept");
    QTRY_COMPARE_WITH_TIMEOUT(aliceGroup->members()->count(), 2, kNetworkTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!carolChat->group()->member(), kNetworkTimeoutMs);
    // Carol's chat says so instead of offering the composer.
    QTRY_VERIFY(visibleItem(carol, "groupStateBanner"));
    QVERIFY(!visibleItem(carol, "composerInput"));
    carol.grab(QStringLiteral("e2e-group-removed.png"));

    // Bob leaves; alice is alone.
    bobChat->group()->leave();
    QTRY_VERIFY_WITH_TIMEOUT(!bobChat->group()->member(), kNetworkTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(aliceGroup->members()->count(), 1, kNetworkTimeoutMs);
    const QImage image = alice.grab(QStringLiteral("e2e-group-alone.png"));
    QVERIFY(tenchat::testing::distinctColours(image) > 20);
}

QTEST_MAIN(UiGroupsEndToEndTest)
#include "tst_ui_groups_end_to_end.moc"
