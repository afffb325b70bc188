// SPDX-License-Identifier: GPL-3.0-or-later
// End to end through the desktop UI: two app windows with separate profiles
// and the real tenchat-relay. Both sign up through the first-run screen;
// alice starts a chat with @bob from the "new chat" popup and sends through
// the composer (typing, Enter); bob's conversation list and timeline show it
// live, without a model reset; bob answers the same way; the delivery tick
// on alice's side moves from queued to sent.
#include "RelayProcess.h"
#include "UiDriver.h"

#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/ContactController.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/TimelineDecorator.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(TenChat_UiPlugin)
Q_IMPORT_QML_PLUGIN(TenChatPlugin)

using tenchat::core::store::TimelineModel;
using tenchat::testing::AppWindow;
using tenchat::testing::kNetworkTimeoutMs;
using tenchat::testing::newestBody;
using tenchat::testing::signUp;
using tenchat::ui::SessionController;

class UiEndToEndTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void twoWindowsChatThroughTheRelay();

private:
    QTemporaryDir root_;
    tenchat::testing::RelayProcess relay_;
};

void UiEndToEndTest::initTestCase()
{
    QVERIFY(root_.isValid());
    QVERIFY2(relay_.start(), qPrintable(relay_.error()));
    tenchat::testing::prepareAppLike(relay_.url());
}

void UiEndToEndTest::twoWindowsChatThroughTheRelay()
{
    AppWindow bob(root_.filePath(QStringLiteral("bob")));
    signUp(bob, QStringLiteral("bob"), relay_.url());
    if (QTest::currentTestFailed())
        return;
    AppWindow alice(root_.filePath(QStringLiteral("alice")));
    signUp(alice, QStringLiteral("alice"), relay_.url());
    if (QTest::currentTestFailed())
        return;
    auto* aliceChat = alice.session.chat();
    auto* bobChat = bob.session.chat();
    QCOMPARE(bobChat->conversations()->count(), 0);

    // New chat by handle, from the sidebar's button.
    QQuickItem* newChat = alice.item("newChatButton");
    QVERIFY(newChat);
    QMetaObject::invokeMethod(newChat, "clicked");
    QTRY_VERIFY(alice.item("newChatHandle") && alice.item("newChatHandle")->isVisible());
    alice.type("newChatHandle", QStringLiteral("@bob"));
    QTest::keyClick(alice.window, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!aliceChat->currentConversationId().isEmpty(), kNetworkTimeoutMs);
    const QString conversation = aliceChat->currentConversationId();

    // Alice writes through the composer; Enter sends.
    const QString hello = QStringLiteral("Hello Bob, this came through the composer");
    alice.type("composerInput", hello);
    QTest::keyClick(alice.window, Qt::Key_Return);
    QTRY_COMPARE(newestBody(aliceChat), hello);
    // Sent, or already Delivered once Bob's receipt is back.
    QTRY_VERIFY_WITH_TIMEOUT(
        aliceChat->timeline()->index(0, 0).data(TimelineModel::DeliveryStateRole).toInt() >= 1, kNetworkTimeoutMs);

    // Bob's list shows the new conversation live; his timeline shows the message.
    QTRY_COMPARE_WITH_TIMEOUT(bobChat->conversations()->count(), 1, kNetworkTimeoutMs);
    QCOMPARE(bobChat->conversations()->idAt(0), conversation);
    bobChat->openConversation(conversation);
    QTRY_COMPARE_WITH_TIMEOUT(newestBody(bobChat), hello, kNetworkTimeoutMs);
    QVERIFY(!bobChat->timeline()->index(0, 0).data(TimelineModel::OutgoingRole).toBool());
    QTRY_VERIFY(bob.item("timeline")->property("count").toInt() >= 1);

    // The next message arrives as an inserted row, not a reset.
    QSignalSpy resets(bobChat->timeline(), &QAbstractItemModel::modelReset);
    QSignalSpy inserts(bobChat->timeline(), &QAbstractItemModel::rowsInserted);
    const QString second = QStringLiteral("And a **second** one");
    alice.type("composerInput", second);
    QTest::keyClick(alice.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(newestBody(bobChat), second, kNetworkTimeoutMs);
    QCOMPARE(resets.count(), 0);
    QVERIFY(inserts.count() >= 1);
    QVERIFY(bobChat->timeline()
                ->index(0, 0)
                .data(tenchat::ui::TimelineDecorator::BodyHtmlRole)
                .toString()
                .contains(QStringLiteral("<strong>second</strong>")));

    // Bob answers through his composer.
    const QString answer = QStringLiteral("Hi Alice! Got both.");
    bob.type("composerInput", answer);
    QTest::keyClick(bob.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(newestBody(aliceChat), answer, kNetworkTimeoutMs);

    // Contact page: both sides see the same safety number; alice marks bob verified.
    auto* contactPage = alice.window->findChild<QObject*>(QStringLiteral("contactPage"));
    QVERIFY(contactPage);
    QTRY_COMPARE(aliceChat->contact()->handle(), QStringLiteral("bob"));
    QMetaObject::invokeMethod(contactPage, "open");
    QTRY_VERIFY_WITH_TIMEOUT(!aliceChat->contact()->safetyNumber().isEmpty(), kNetworkTimeoutMs);
    const QString number = aliceChat->contact()->safetyNumber();
    QCOMPARE(number.split(QLatin1Char(' ')).size(), 12); // 60 digits in groups of five
    QTRY_COMPARE(bobChat->contact()->handle(), QStringLiteral("alice"));
    bobChat->contact()->loadSafetyNumber();
    QTRY_COMPARE_WITH_TIMEOUT(bobChat->contact()->safetyNumber(), number, kNetworkTimeoutMs);
    QVERIFY(alice.item("safetyQr"));
    QVERIFY(alice.item("safetyQr")->property("modules").toInt() >= 21);
    const QImage page = alice.grab(QStringLiteral("contact-verification.png"));
    QVERIFY(tenchat::testing::distinctColours(page) > 20);
    QMetaObject::invokeMethod(alice.item("markVerified"), "clicked");
    QTRY_COMPARE_WITH_TIMEOUT(aliceChat->contact()->trust(), tenchat::ui::ContactController::Trust::Verified, 20000);
    alice.grab(QStringLiteral("contact-verified.png"));
    QMetaObject::invokeMethod(contactPage, "close");

    bob.grab(QStringLiteral("e2e-bob.png"));
    const QImage image = alice.grab(QStringLiteral("e2e-alice.png"));
    QVERIFY(tenchat::testing::distinctColours(image) > 30);
}

QTEST_MAIN(UiEndToEndTest)
#include "tst_ui_end_to_end.moc"
