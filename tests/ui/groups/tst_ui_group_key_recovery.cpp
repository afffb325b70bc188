// SPDX-License-Identifier: GPL-3.0-or-later
// A group message bob cannot read yet, through the desktop UI: two app
// windows with separate profiles sign up on the real tenchat-relay; bob
// loses alice's sender key (a filter in front of his engine's to-device
// handler drops what alice's device sends him until he asks for a key,
// acknowledged as if processed); alice writes while bob is offline, between
// two messages of bob's, and goes offline too. Bob's timeline shows a "waiting" placeholder at the
// message's place with alice's name; "Request again" is refused by the
// rate limit and says so; once alice is back she answers bob's request and
// the placeholder is replaced by the message in place, without a reset.
#include "RelayProcess.h"
#include "UiDriver.h"

#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/AppController.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/MessagingService.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/TimelineDecorator.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

#include <atomic>
#include <memory>

Q_IMPORT_QML_PLUGIN(TenChat_UiPlugin)
Q_IMPORT_QML_PLUGIN(TenChatPlugin)

using tenchat::core::messaging::Messenger;
using tenchat::core::store::TimelineModel;
using tenchat::testing::AppWindow;
using tenchat::testing::click;
using tenchat::testing::kNetworkTimeoutMs;
using tenchat::testing::signUp;
using tenchat::ui::AppController;
using tenchat::ui::ChatController;
using tenchat::ui::MessagingService;

namespace {

// What bob's engine no longer sees: every to-device message from
// `fromUserHex` until bob asks for a key (so the answers arrive); counted
// in `dropped`.
struct ToDeviceDrop {
    QString fromUserHex;
    std::atomic<bool> dropping { true };
    std::atomic<int> dropped { 0 };
};

// Puts the filter in front of the engine's to-device handler (on the
// engine's thread); `installed` turns true once it is there.
void dropToDevice(MessagingService* messaging, std::shared_ptr<ToDeviceDrop> drop, std::atomic<bool>& installed)
{
    messaging->withMessenger([drop, &installed](Messenger* m) {
        if (!m)
            return; // `installed` stays false: the test fails waiting for it
        auto next = m->sync().toDeviceHandler();
        QObject::connect(&m->groups(), &tenchat::core::messaging::GroupEngine::senderKeyRequested, m,
            [drop] { drop->dropping = false; });
        m->sync().setToDeviceHandler([drop, next](const std::vector<tenchat::v1::ToDeviceMessage>& messages) {
            std::vector<tenchat::v1::ToDeviceMessage> kept;
            std::vector<std::uint64_t> acked;
            for (const auto& message : messages) {
                const QString from = QString::fromLatin1(QByteArray::fromStdString(message.sender().user_id()).toHex());
                if (drop->dropping && from == drop->fromUserHex) {
                    ++drop->dropped;
                    acked.push_back(message.id()); // gone for good, as if processed
                } else {
                    kept.push_back(message);
                }
            }
            if (!kept.empty()) {
                auto processed = next(kept);
                acked.insert(acked.end(), processed.begin(), processed.end());
            }
            return acked;
        });
        installed = true;
    });
}

// The rows of the open timeline, newest first: the body, or "[waiting]" /
// "[undecryptable]" for a placeholder.
QStringList rowsOf(ChatController* chat)
{
    QStringList out;
    auto* timeline = chat->timeline();
    for (int row = 0; row < timeline->count(); ++row) {
        const QModelIndex index = timeline->index(row, 0);
        const QString placeholder = index.data(TimelineModel::PlaceholderRole).toString();
        out << (placeholder.isEmpty() ? index.data(TimelineModel::BodyRole).toString()
                                      : QLatin1Char('[') + placeholder + QLatin1Char(']'));
    }
    return out;
}

// The timeline's delegate of a row (null when it is not laid out).
QQuickItem* delegateAt(AppWindow& app, int row)
{
    QQuickItem* list = app.item("timeline");
    QQuickItem* item = nullptr;
    if (list)
        QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem*, item), Q_ARG(int, row));
    return item;
}

QQuickItem* childOf(QQuickItem* root, const char* name)
{
    return root ? AppWindow::findVisual(root, QLatin1String(name)) : nullptr;
}

void setEngineRunning(MessagingService* messaging, bool running)
{
    messaging->withMessenger([running](Messenger* m) {
        if (m && running)
            m->start();
        else if (m)
            m->stop();
    });
}

} // namespace

class UiGroupKeyRecoveryTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void waitingMessageIsShownAndReplaced();

private:
    QTemporaryDir root_;
    tenchat::testing::RelayProcess relay_;
};

void UiGroupKeyRecoveryTest::initTestCase()
{
    QVERIFY(root_.isValid());
    QVERIFY2(relay_.start(), qPrintable(relay_.error()));
    tenchat::testing::prepareAppLike(relay_.url());
}

void UiGroupKeyRecoveryTest::waitingMessageIsShownAndReplaced()
{
    AppWindow bob(root_.filePath(QStringLiteral("bob")));
    signUp(bob, QStringLiteral("bob"), relay_.url());
    AppWindow alice(root_.filePath(QStringLiteral("alice")));
    signUp(alice, QStringLiteral("alice"), relay_.url());
    if (QTest::currentTestFailed())
        return;
    auto* aliceChat = alice.session.chat();
    auto* bobChat = bob.session.chat();

    auto drop = std::make_shared<ToDeviceDrop>();
    drop->fromUserHex = alice.session.messaging()->userId();
    std::atomic<bool> installed { false };
    dropToDevice(bob.session.messaging(), drop, installed);
    QTRY_VERIFY(installed);

    // Alice creates the group: her sender key never reaches bob.
    QString group;
    alice.session.messaging()->createGroup(QStringLiteral("Book club"), { QStringLiteral("bob") }, false, 0,
        [&](QString id, MessagingService::Failure failure) {
            QVERIFY2(failure.ok(), qPrintable(failure.message));
            group = id;
        });
    QTRY_VERIFY_WITH_TIMEOUT(!group.isEmpty(), kNetworkTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(drop->dropped >= 1, kNetworkTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(bobChat->conversations()->rowOfId(group) >= 0, kNetworkTimeoutMs);
    aliceChat->openConversation(group);
    bobChat->openConversation(group);

    // Bob writes, alice writes (bob cannot read it), bob writes again.
    QVERIFY(bobChat->send(QStringLiteral("Which book is next?")));
    QTRY_VERIFY_WITH_TIMEOUT(rowsOf(aliceChat).contains(QStringLiteral("Which book is next?")), kNetworkTimeoutMs);
    // Bob is offline while alice writes; then she goes offline, so bob's
    // request for her key waits on the relay.
    setEngineRunning(bob.session.messaging(), false);
    QTRY_VERIFY_WITH_TIMEOUT(bob.app()->connectionState() != AppController::ConnectionState::Live, kNetworkTimeoutMs);
    const QString secret = QStringLiteral("The Left Hand of Darkness, chapter one to five");
    QVERIFY(aliceChat->send(secret));
    QTRY_VERIFY_WITH_TIMEOUT(aliceChat->timeline()->count() == 2
            && aliceChat->timeline()->index(0, 0).data(TimelineModel::DeliveryStateRole).toInt()
                >= int(tenchat::core::store::DeliveryState::Sent),
        kNetworkTimeoutMs);
    setEngineRunning(alice.session.messaging(), false);
    QTRY_VERIFY_WITH_TIMEOUT(alice.app()->connectionState() != AppController::ConnectionState::Live, kNetworkTimeoutMs);
    setEngineRunning(bob.session.messaging(), true);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(bobChat),
        (QStringList { QStringLiteral("[waiting]"), QStringLiteral("Which book is next?") }), kNetworkTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!drop->dropping, kNetworkTimeoutMs); // bob asked alice for her key
    QVERIFY(bobChat->send(QStringLiteral("Did anyone else get that?")));
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(bobChat),
        (QStringList { QStringLiteral("Did anyone else get that?"), QStringLiteral("[waiting]"),
            QStringLiteral("Which book is next?") }),
        kNetworkTimeoutMs);
    // The placeholder names the sender; its row shows it (also to screen readers).
    const QModelIndex placeholder = bobChat->timeline()->index(1, 0);
    QCOMPARE(placeholder.data(tenchat::ui::TimelineDecorator::SenderNameRole).toString(), QStringLiteral("alice"));
    QCOMPARE(placeholder.data(tenchat::ui::TimelineDecorator::UnsupportedRole).toBool(), false);
    QQuickItem* notice = childOf(delegateAt(bob, 1), "undecryptedText");
    QVERIFY(notice && notice->isVisible());
    QCOMPARE(notice->property("text").toString(),
        QStringLiteral("Waiting for this message. It will appear when alice's device shares its key."));
    bob.grab(QStringLiteral("e2e-group-waiting-light.png"));

    // "Request again" right after the automatic request: the limiter refuses
    // and the row says when asking is possible again.
    click(bob, "requestKeyAgain");
    QTRY_VERIFY_WITH_TIMEOUT(!bobChat->keyRequestNote().isEmpty(), kNetworkTimeoutMs);
    QVERIFY2(bobChat->keyRequestNote().contains(QStringLiteral("You can ask again in")),
        qPrintable(bobChat->keyRequestNote()));
    QTRY_VERIFY(tenchat::testing::visibleItem(bob, "keyRequestNote"));
    bob.setDark(true);
    bob.grab(QStringLiteral("e2e-group-waiting-dark.png"));
    bob.setDark(false);

    // Alice comes back and answers bob's pending request: the message takes
    // the placeholder's place, no reset.
    QSignalSpy resets(bobChat->timeline(), &QAbstractItemModel::modelReset);
    setEngineRunning(alice.session.messaging(), true);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(bobChat),
        (QStringList { QStringLiteral("Did anyone else get that?"), secret, QStringLiteral("Which book is next?") }),
        kNetworkTimeoutMs);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(bobChat->timeline()->index(1, 0).data(tenchat::ui::TimelineDecorator::SenderNameRole).toString(),
        QStringLiteral("alice"));
    // The row's bubble shows the text now, not the notice.
    QTRY_VERIFY(childOf(delegateAt(bob, 1), "messageBody") && childOf(delegateAt(bob, 1), "messageBody")->isVisible());
    QCOMPARE(childOf(delegateAt(bob, 1), "messageBody")->property("text").toString(), secret);
    QVERIFY(!childOf(delegateAt(bob, 1), "undecryptedNotice")->isVisible());
    // The group's name came with alice's key: the header shows it.
    QTRY_COMPARE_WITH_TIMEOUT(bobChat->currentTitle(), QStringLiteral("Book club"), kNetworkTimeoutMs);
    bob.grab(QStringLiteral("e2e-group-recovered.png"));
}

QTEST_MAIN(UiGroupKeyRecoveryTest)
#include "tst_ui_group_key_recovery.moc"
