// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop side of the plugin container on a fixture profile, in a real
// window (offscreen): the bundled examples are installed disabled at unlock;
// the plugins page's model (under QAbstractItemModelTester) and controller
// install from files (signed, unsigned, invalid), enable, revoke mid-run,
// remove; the composer hands "/poll ..." to the poll plugin, whose card is
// drawn in the timeline and counts a vote when its button is clicked.
// Screenshots (light and dark) of the plugins page, the review dialog and a
// poll card go to screenshots/ in the build tree.
#include "AppWindow.h"
#include "ChatFixture.h"
#include "PluginPackages.h"
#include "RelayProcess.h"
#include "ScreenshotHelpers.h"

#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/AppController.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/PluginListModel.h"
#include "tenchat/ui/PluginsController.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/TimelineDecorator.h"

#include <QAbstractItemModelTester>
#include <QDeadlineTimer>
#include <QQuickStyle>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(TenChat_UiPlugin)
Q_IMPORT_QML_PLUGIN(TenChatPlugin)

using namespace tenchat::core::plugins;
using tenchat::core::store::TimelineModel;
using tenchat::testing::AppWindow;
using tenchat::testing::ChatFixture;
using tenchat::ui::PluginListModel;
using tenchat::ui::PluginsController;
using tenchat::ui::SessionController;
using tenchat::ui::TimelineDecorator;

namespace {
constexpr int kTimeoutMs = 20000;
constexpr int kNetworkTimeoutMs = 45000;
const QString kPoll = QStringLiteral("org.tenchat.poll");
const QString kPollType = QStringLiteral("application/vnd.tenchat.poll+json");

InstalledPlugin plugin(const QString& name, const QString& origin, bool enabled, CapabilitySet granted)
{
    InstalledPlugin p;
    p.manifest.name = name;
    p.manifest.version = QStringLiteral("1.0.0");
    p.manifest.description = QStringLiteral("A plugin.");
    p.manifest.capabilities = bit(Capability::ReceiveCommand) | bit(Capability::EmitMessage);
    p.manifest.publisherName = origin == QLatin1String("signed") ? QStringLiteral("Example Ltd") : QString();
    p.manifest.commands = { { QStringLiteral("hello"), QStringLiteral("greet") } };
    p.grant.capabilities = granted;
    p.grant.scopes.all = true;
    p.enabled = enabled;
    p.origin = origin;
    p.disabledReason = enabled ? QString() : QStringLiteral("exceeded its 100 ms time slice 3 times");
    return p;
}

QVariantMap capabilityOf(const QModelIndex& index, const QString& name)
{
    for (const QVariant& c : index.data(PluginListModel::CapabilitiesRole).toList())
        if (c.toMap().value(QStringLiteral("name")) == name)
            return c.toMap();
    return {};
}

QVariantMap newestCard(tenchat::ui::ChatController* chat)
{
    if (chat->timeline()->count() == 0)
        return {};
    return chat->timeline()->index(0, 0).data(TimelineDecorator::CardRole).toMap();
}

// The value of field `i` of a card ("1 vote").
QString fieldValue(const QVariantMap& card, int i)
{
    const QVariantList fields = card.value(QStringLiteral("fields")).toList();
    return i < fields.size() ? fields.at(i).toMap().value(QStringLiteral("value")).toString() : QString();
}

QString newestContentType(tenchat::ui::ChatController* chat)
{
    if (chat->timeline()->count() == 0)
        return {};
    return chat->timeline()->index(0, 0).data(TimelineModel::ContentTypeRole).toString();
}

// The visible item with this object name (and label, if given) under
// `item`: delegates are in the visual tree, not the QObject tree.
QQuickItem* findVisible(QQuickItem* item, const QString& name, const QString& label = {})
{
    if (!item || !item->isVisible())
        return nullptr;
    if (item->objectName() == name && (label.isEmpty() || item->property("text").toString() == label))
        return item;
    const auto children = item->childItems();
    for (QQuickItem* child : children)
        if (QQuickItem* found = findVisible(child, name, label))
            return found;
    return nullptr;
}

QQuickItem* cardButton(QQuickWindow* window, const QString& label)
{
    return findVisible(window->contentItem(), QStringLiteral("cardButton"), label);
}

void click(QQuickWindow* window, QQuickItem* item)
{
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
}
} // namespace

class PluginsUiTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void listModelUpdatesInPlace();
    void desktopPluginsEndToEnd();
    void pollBetweenTwoProfilesThroughTheRelay();

private:
    void signUp(AppWindow& app, const QString& handle, const QUrl& relay);
    void unlock(AppWindow& app);
    void installFromFiles(AppWindow& app, PluginsController* plugins);
    void pollCardInTheTimeline(AppWindow& app);
    void grantAgain(AppWindow& app);
    QTemporaryDir root_;
    QString fixtureDir_;
    tenchat::testing::PluginPackages packages_;
};

void PluginsUiTest::initTestCase()
{
    QVERIFY(root_.isValid());
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    tenchat::ui::AppController::setInitialRelayUrl(QUrl(QStringLiteral("ws://127.0.0.1:9")));
    fixtureDir_ = root_.filePath(QStringLiteral("fixture"));
    const QString error = ChatFixture::create(fixtureDir_);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString packagesError = packages_.create(root_.filePath(QStringLiteral("packages")));
    QVERIFY2(packagesError.isEmpty(), qPrintable(packagesError));
}

void PluginsUiTest::listModelUpdatesInPlace()
{
    PluginListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const CapabilitySet all = bit(Capability::ReceiveCommand) | bit(Capability::EmitMessage);
    model.setPlugins({ plugin(QStringLiteral("org.b.two"), QStringLiteral("unsigned"), false, all),
                         plugin(QStringLiteral("org.a.one"), QStringLiteral("signed"), true, all) },
        { QStringLiteral("org.a.one") });
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex first = model.index(0, 0);
    QCOMPARE(first.data(PluginListModel::NameRole).toString(), QStringLiteral("org.a.one")); // sorted by name
    QCOMPARE(first.data(PluginListModel::TitleRole).toString(), QStringLiteral("One"));
    QCOMPARE(first.data(PluginListModel::SignatureTextRole).toString(), QStringLiteral("Signed by Example Ltd"));
    QVERIFY(first.data(PluginListModel::RunningRole).toBool());
    QVERIFY(first.data(PluginListModel::DisabledReasonRole).toString().isEmpty());
    QVERIFY(capabilityOf(first, QStringLiteral("emit.message")).value(QStringLiteral("granted")).toBool());
    QCOMPARE(
        first.data(PluginListModel::CommandsRole).toStringList(), QStringList { QStringLiteral("/hello — greet") });
    const QModelIndex second = model.index(1, 0);
    QVERIFY(second.data(PluginListModel::SignatureTextRole).toString().startsWith(QStringLiteral("Not signed")));
    QVERIFY(!second.data(PluginListModel::RunningRole).toBool());
    QVERIFY(second.data(PluginListModel::DisabledReasonRole).toString().contains(QStringLiteral("time slice")));

    // The same plugins with a revoked capability: changed in place, no reset.
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    model.setPlugins(
        { plugin(QStringLiteral("org.a.one"), QStringLiteral("signed"), true, bit(Capability::ReceiveCommand)),
            plugin(QStringLiteral("org.b.two"), QStringLiteral("unsigned"), false, all) },
        { QStringLiteral("org.a.one") });
    QCOMPARE(resets.count(), 0);
    QCOMPARE(changes.count(), 1);
    QVERIFY(!capabilityOf(model.index(0, 0), QStringLiteral("emit.message")).value(QStringLiteral("granted")).toBool());

    // A plugin removed: the rows change.
    QSignalSpy counts(&model, &PluginListModel::countChanged);
    model.setPlugins({ plugin(QStringLiteral("org.b.two"), QStringLiteral("bundled"), false, all) }, {});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(counts.count(), 1);
    QCOMPARE(
        model.index(0, 0).data(PluginListModel::SignatureTextRole).toString(), QStringLiteral("Bundled with TenChat"));
    QCOMPARE(model.rowOfName(QStringLiteral("org.b.two")), 0);
    QCOMPARE(model.rowOfName(QStringLiteral("org.a.one")), -1);
}

void PluginsUiTest::unlock(AppWindow& app)
{
    QVERIFY(app.window);
    QVERIFY(QTest::qWaitForWindowExposed(app.window));
    app.type("unlockField", QString::fromLatin1(ChatFixture::kPassphrase));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), SessionController::State::Ready, kTimeoutMs);
}

void PluginsUiTest::desktopPluginsEndToEnd()
{
    AppWindow app(fixtureDir_);
    unlock(app);
    if (QTest::currentTestFailed())
        return;
    PluginsController* plugins = app.session.chat()->plugins();
    PluginListModel* model = plugins->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    // At unlock: the bundled examples, installed but disabled.
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, kTimeoutMs);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(model->index(row, 0).data(PluginListModel::SignatureRole).toString(), QStringLiteral("bundled"));
        QVERIFY(!model->index(row, 0).data(PluginListModel::EnabledRole).toBool());
        QVERIFY(!model->index(row, 0).data(PluginListModel::RunningRole).toBool());
    }
    QVERIFY(plugins->commandNames().isEmpty());

    pollCardInTheTimeline(app);
    if (QTest::currentTestFailed())
        return;
    installFromFiles(app, plugins);
}

void PluginsUiTest::pollCardInTheTimeline(AppWindow& app)
{
    auto* chat = app.session.chat();
    PluginsController* plugins = chat->plugins();
    PluginListModel* model = plugins->model();
    chat->openConversation(QString::fromLatin1(ChatFixture::kAlice));
    QTRY_VERIFY(chat->timeline()->count() >= 5);
    const int before = chat->timeline()->count();

    // No plugin enabled: a slash command is not sent, the composer says why.
    app.type("composerInput", QStringLiteral("/poll Lunch? | Pizza | Sushi"));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_VERIFY(plugins->commandHint().contains(QStringLiteral("/poll")));
    QCOMPARE(app.item("composerInput")->property("text").toString(), QStringLiteral("/poll Lunch? | Pizza | Sushi"));
    QCOMPARE(chat->timeline()->count(), before);

    // Enabled, the plugin starts on its own thread and registers its commands.
    plugins->setEnabled(kPoll, true);
    const int pollRow = model->rowOfName(kPoll);
    QVERIFY(pollRow >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(model->index(pollRow, 0).data(PluginListModel::RunningRole).toBool(), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(plugins->commandNames().contains(QStringLiteral("poll")), kTimeoutMs);
    QCOMPARE(plugins->commandSuggestions(QStringLiteral("/po")).size(), 1);
    QCOMPARE(plugins->commandSuggestions(QStringLiteral("/po")).first().toMap().value(QStringLiteral("command")),
        QStringLiteral("/poll"));

    // An unknown command gets the hint, with the commands that exist.
    app.type("composerInput", QStringLiteral("/lunch now"));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_VERIFY(plugins->commandHint().contains(QStringLiteral("/lunch")));
    QVERIFY(plugins->commandHint().contains(QStringLiteral("/poll")));
    QCOMPARE(chat->timeline()->count(), before);

    // Typed in the composer, /poll goes to the plugin (not sent as text);
    // the plugin's poll message is drawn as its card.
    app.type("composerInput", QStringLiteral("/poll Lunch? | Pizza | Sushi"));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE(app.item("composerInput")->property("text").toString(), QString());
    QVERIFY(plugins->commandHint().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(newestContentType(chat), kPollType, kTimeoutMs);
    QCOMPARE(chat->timeline()->count(), before + 1); // the command itself was not sent
    QTRY_VERIFY_WITH_TIMEOUT(!newestCard(chat).value(QStringLiteral("unsupported")).toBool(), kTimeoutMs);
    QVariantMap card = newestCard(chat);
    QCOMPARE(card.value(QStringLiteral("title")).toString(), QStringLiteral("Lunch?"));
    QCOMPARE(card.value(QStringLiteral("plugin")).toString(), kPoll);
    QCOMPARE(card.value(QStringLiteral("buttons")).toList().size(), 2);
    QCOMPARE(card.value(QStringLiteral("text")).toString(), QStringLiteral("0 votes"));

    // Clicking "Sushi" on the card: the plugin counts it and edits the poll;
    // the card follows live.
    QTRY_VERIFY(cardButton(app.window, QStringLiteral("Sushi")));
    click(app.window, cardButton(app.window, QStringLiteral("Sushi")));
    QTRY_COMPARE_WITH_TIMEOUT(
        newestCard(chat).value(QStringLiteral("text")).toString(), QStringLiteral("1 vote"), kTimeoutMs);
    card = newestCard(chat);
    QCOMPARE(card.value(QStringLiteral("fields")).toList().at(1).toMap().value(QStringLiteral("value")).toString(),
        QStringLiteral("1 vote"));
    app.setDark(false);
    const QImage light = app.grab(QStringLiteral("plugins-poll-card-light.png"));
    QVERIFY(tenchat::testing::distinctColours(light) > 30);
    app.setDark(true);
    const QImage dark = app.grab(QStringLiteral("plugins-poll-card-dark.png"));
    QVERIFY(tenchat::testing::distinctColours(dark) > 30);
    app.setDark(false);

    // Revoked mid-run: the running plugin still gets /poll but may no longer
    // send; the refusal is in its log and nothing reaches the timeline.
    plugins->revoke(kPoll, QStringLiteral("emit.message"));
    QTRY_VERIFY(!capabilityOf(model->index(pollRow, 0), QStringLiteral("emit.message"))
                     .value(QStringLiteral("granted"))
                     .toBool());
    QVERIFY(model->index(pollRow, 0).data(PluginListModel::RunningRole).toBool());
    plugins->showLog(kPoll);
    const int withPoll = chat->timeline()->count();
    app.type("composerInput", QStringLiteral("/poll Dinner? | Soup | Salad"));
    QTest::keyClick(app.window, Qt::Key_Return);
    const auto refusedInLog = [&] {
        for (const QVariant& e : plugins->logEntries())
            if (e.toMap().value(QStringLiteral("text")).toString().contains(QStringLiteral("PermissionDenied")))
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(refusedInLog(), kTimeoutMs);
    QCOMPARE(chat->timeline()->count(), withPoll);

    grantAgain(app);
    if (QTest::currentTestFailed())
        return;

    // Disabled: no plugin draws polls any more; the card falls back to the
    // plain text of the payload (what clients without the plugin show).
    plugins->setEnabled(kPoll, false);
    QTRY_VERIFY_WITH_TIMEOUT(!model->index(pollRow, 0).data(PluginListModel::RunningRole).toBool(), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(newestCard(chat).value(QStringLiteral("unsupported")).toBool()
            && !newestCard(chat).value(QStringLiteral("pending")).toBool(),
        kTimeoutMs);
    QVERIFY(newestCard(chat).value(QStringLiteral("fallback")).toString().contains(QStringLiteral("Pizza: 1")));
    QTRY_VERIFY(plugins->commandNames().isEmpty());
    app.grab(QStringLiteral("plugins-poll-fallback.png"));
}

void PluginsUiTest::grantAgain(AppWindow& app)
{
    auto* chat = app.session.chat();
    PluginsController* plugins = chat->plugins();
    const QModelIndex poll = plugins->model()->index(plugins->model()->rowOfName(kPoll), 0);
    const auto granted
        = [&] { return capabilityOf(poll, QStringLiteral("emit.message")).value(QStringLiteral("granted")).toBool(); };
    // The review: what it allows (with the plugin's limit), where, who vouches.
    QSignalSpy ready(plugins, &PluginsController::grantReviewReady);
    plugins->reviewGrant(kPoll, QStringLiteral("emit.message"));
    QCOMPARE(ready.count(), 1);
    const QVariantMap review = plugins->grantReview();
    QCOMPARE(review.value(QStringLiteral("capability")).toString(), QStringLiteral("emit.message"));
    QCOMPARE(
        review.value(QStringLiteral("text")).toString(), PluginListModel::describeCapability(Capability::EmitMessage));
    QVERIFY2(review.value(QStringLiteral("details")).toString().contains(QStringLiteral("at most 120 a minute")),
        qPrintable(review.value(QStringLiteral("details")).toString()));
    QCOMPARE(review.value(QStringLiteral("scopesText")).toString(), QStringLiteral("In every conversation"));
    QCOMPARE(review.value(QStringLiteral("signatureText")).toString(), QStringLiteral("Bundled with TenChat"));
    // Nothing changes without the confirmation.
    QVERIFY(!plugins->confirmGrant(false));
    QVERIFY(plugins->errorText().startsWith(QStringLiteral("Confirm")));
    QVERIFY(!plugins->grantReview().isEmpty());
    QTest::qWait(50);
    QVERIFY(!granted());
    QSignalSpy done(plugins, &PluginsController::granted);
    QVERIFY(plugins->confirmGrant(true));
    QVERIFY(plugins->grantReview().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kTimeoutMs);
    QTRY_VERIFY(granted());
    QVERIFY(plugins->statusText().contains(QStringLiteral("can again")));
    // The running plugin has it at once: changing the vote edits the poll
    // again. The grant re-renders the cards (the set of plugins changed), so
    // the button is pressed once the card is drawn again (idempotent: the same vote).
    const auto votedPizza = [&] { return fieldValue(newestCard(chat), 0) == QLatin1String("1 vote"); };
    QDeadlineTimer deadline(kTimeoutMs);
    while (!votedPizza() && !deadline.hasExpired()) {
        QQuickItem* pizza = cardButton(app.window, QStringLiteral("Pizza"));
        if (pizza && !newestCard(chat).value(QStringLiteral("pending")).toBool())
            click(app.window, pizza);
        (void)QTest::qWaitFor(votedPizza, 2000); // a redrawn card is pressed again
    }
    QVERIFY(votedPizza());
    // Granted already, or never requested: no review.
    plugins->reviewGrant(kPoll, QStringLiteral("emit.message"));
    QVERIFY(plugins->statusText().contains(QStringLiteral("already")));
    plugins->reviewGrant(kPoll, QStringLiteral("timer"));
    QVERIFY(plugins->errorText().startsWith(QStringLiteral("GrantNotRequested")));
    QCOMPARE(ready.count(), 1);
    QVERIFY(plugins->grantReview().isEmpty());
}

void PluginsUiTest::installFromFiles(AppWindow& app, PluginsController* plugins)
{
    PluginListModel* model = plugins->model();
    // Settings → Manage plugins…
    QObject* settings = app.window->findChild<QObject*>(QStringLiteral("settingsPage"));
    QVERIFY(settings);
    QMetaObject::invokeMethod(settings, "open");
    QTRY_VERIFY(settings->property("opened").toBool());
    QVERIFY(app.item("openPluginsButton"));
    QMetaObject::invokeMethod(app.item("openPluginsButton"), "clicked");
    QObject* page = app.window->findChild<QObject*>(QStringLiteral("pluginsPage"));
    QVERIFY(page);
    QTRY_VERIFY(page->property("opened").toBool());
    QObject* dialog = app.window->findChild<QObject*>(QStringLiteral("pluginReviewDialog"));
    QVERIFY(dialog);
    QSignalSpy ready(plugins, &PluginsController::reviewReady);
    QSignalSpy failed(plugins, &PluginsController::reviewFailed);
    QSignalSpy installed(plugins, &PluginsController::installed);

    // Invalid packages: refused with the precise error, nothing installed.
    plugins->reviewPackage(packages_.traversalZip);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
    QVERIFY2(plugins->errorText().contains(QStringLiteral("UnsafePath")), qPrintable(plugins->errorText()));
    QVERIFY(app.item("pluginsStatus")->isVisible());
    app.grab(QStringLiteral("plugins-invalid-package.png"));
    plugins->reviewPackage(QUrl::fromLocalFile(packages_.unknownCapability).toString()); // as the FileDialog gives it
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, kTimeoutMs);
    QVERIFY2(plugins->errorText().contains(QStringLiteral("UnknownCapability")), qPrintable(plugins->errorText()));
    QVERIFY(plugins->errorText().contains(QStringLiteral("read.contacts")));
    QCOMPARE(model->rowCount(), 3);
    QVERIFY(!dialog->property("opened").toBool());

    // Unsigned: the review says so and installing needs the extra confirmation.
    plugins->reviewPackage(packages_.unsignedFolder);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeoutMs);
    QTRY_VERIFY(dialog->property("opened").toBool());
    QCOMPARE(plugins->review().value(QStringLiteral("signature")).toString(), QStringLiteral("unsigned"));
    QVERIFY(plugins->review().value(QStringLiteral("needsConfirmation")).toBool());
    const QVariantList asked = plugins->review().value(QStringLiteral("capabilities")).toList();
    QCOMPARE(asked.size(), 2);
    QCOMPARE(asked.at(0).toMap().value(QStringLiteral("text")).toString(),
        PluginListModel::describeCapability(Capability::EmitMessage));
    QVERIFY(!app.item("reviewInstall")->isEnabled()); // until the box is checked
    app.setDark(false);
    app.grab(QStringLiteral("plugins-review-unsigned-light.png"));
    app.setDark(true);
    app.grab(QStringLiteral("plugins-review-unsigned-dark.png"));
    app.setDark(false);
    QVERIFY(!plugins->confirmInstall(false));
    QVERIFY(plugins->errorText().startsWith(QStringLiteral("Unsigned")));
    click(app.window, app.item("reviewConfirm"));
    QTRY_VERIFY(app.item("reviewConfirm")->property("checked").toBool());
    QTRY_VERIFY(app.item("reviewInstall")->isEnabled());
    app.grab(QStringLiteral("plugins-review-confirmed.png"));
    click(app.window, app.item("reviewInstall"));
    QTRY_VERIFY2_WITH_TIMEOUT(installed.count() == 1, qPrintable(plugins->errorText()), kTimeoutMs);
    QTRY_VERIFY(!dialog->property("opened").toBool());
    QTRY_COMPARE(model->rowCount(), 4);
    const int unsignedRow = model->rowOfName(QStringLiteral("org.example.unsigned"));
    QCOMPARE(model->index(unsignedRow, 0).data(PluginListModel::SignatureRole).toString(), QStringLiteral("unsigned"));
    QTRY_VERIFY_WITH_TIMEOUT(model->index(unsignedRow, 0).data(PluginListModel::RunningRole).toBool(), kTimeoutMs);

    // Signed by a publisher not trusted yet: confirmed once, then trusted.
    plugins->reviewPackage(packages_.signedFolder);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, kTimeoutMs);
    QVERIFY(plugins->review().value(QStringLiteral("needsConfirmation")).toBool());
    QVERIFY(
        plugins->review().value(QStringLiteral("signatureText")).toString().contains(QStringLiteral("Example Ltd")));
    app.setDark(false);
    app.grab(QStringLiteral("plugins-review-publisher-light.png"));
    app.setDark(true);
    app.grab(QStringLiteral("plugins-review-publisher-dark.png"));
    app.setDark(false);
    QVERIFY(!plugins->confirmInstall(false));
    QVERIFY(plugins->errorText().startsWith(QStringLiteral("UnknownPublisher")));
    QVERIFY(plugins->confirmInstall(true));
    QTRY_COMPARE_WITH_TIMEOUT(installed.count(), 2, kTimeoutMs);
    QTRY_COMPARE(model->rowCount(), 5);
    // A valid package from the now trusted publisher installs without the extra step.
    plugins->reviewPackage(packages_.secondSigned);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 3, kTimeoutMs);
    QVERIFY(!plugins->review().value(QStringLiteral("needsConfirmation")).toBool());
    QVERIFY(plugins->confirmInstall(false));
    QTRY_COMPARE_WITH_TIMEOUT(installed.count(), 3, kTimeoutMs);
    QTRY_COMPARE(model->rowCount(), 6);
    const int weatherRow = model->rowOfName(QStringLiteral("org.example.weather"));
    QCOMPARE(model->index(weatherRow, 0).data(PluginListModel::SignatureTextRole).toString(),
        QStringLiteral("Signed by Example Ltd"));

    // The page with the log of the poll plugin, one capability revoked, light and dark.
    plugins->revoke(kPoll, QStringLiteral("storage"));
    QTRY_VERIFY(!capabilityOf(model->index(model->rowOfName(kPoll), 0), QStringLiteral("storage"))
                     .value(QStringLiteral("granted"))
                     .toBool());
    plugins->showLog(kPoll);
    QTRY_VERIFY(!plugins->logEntries().isEmpty());
    QQuickItem* list = app.item("pluginList");
    QVERIFY(list);
    QMetaObject::invokeMethod(
        list, "positionViewAtIndex", Q_ARG(int, model->rowOfName(kPoll)), Q_ARG(int, 0)); // ListView.Beginning
    app.setDark(false);
    const QImage light = app.grab(QStringLiteral("plugins-page-light.png"));
    QVERIFY(tenchat::testing::distinctColours(light) > 20);
    app.setDark(true);
    const QImage dark = app.grab(QStringLiteral("plugins-page-dark.png"));
    QVERIFY(tenchat::testing::distinctColours(dark) > 20);
    app.setDark(false);

    // "Grant again…" on the page opens the review; Grant needs the tick.
    QQuickItem* grantAgain = nullptr;
    QTRY_VERIFY(
        (grantAgain = findVisible(app.window->contentItem(), QStringLiteral("grantAgain_org.tenchat.poll_storage"))));
    click(app.window, grantAgain);
    QObject* grantDialog = app.window->findChild<QObject*>(QStringLiteral("pluginGrantDialog"));
    QVERIFY(grantDialog);
    QTRY_VERIFY(grantDialog->property("opened").toBool());
    QCOMPARE(plugins->grantReview().value(QStringLiteral("capability")).toString(), QStringLiteral("storage"));
    QVERIFY(!app.item("grantButton")->isEnabled());
    app.grab(QStringLiteral("plugins-grant-again-light.png"));
    app.setDark(true);
    app.grab(QStringLiteral("plugins-grant-again-dark.png"));
    app.setDark(false);
    click(app.window, app.item("grantConfirm"));
    QTRY_VERIFY(app.item("grantButton")->isEnabled());
    click(app.window, app.item("grantButton"));
    QTRY_VERIFY(!grantDialog->property("opened").toBool());
    QTRY_VERIFY_WITH_TIMEOUT(capabilityOf(model->index(model->rowOfName(kPoll), 0), QStringLiteral("storage"))
                                 .value(QStringLiteral("granted"))
                                 .toBool(),
        kTimeoutMs);

    // Disable and remove from the page.
    plugins->setEnabled(QStringLiteral("org.example.unsigned"), false);
    QTRY_VERIFY_WITH_TIMEOUT(!model->index(model->rowOfName(QStringLiteral("org.example.unsigned")), 0)
                                  .data(PluginListModel::RunningRole)
                                  .toBool(),
        kTimeoutMs);
    // Remove… asks first; OK removes.
    QMetaObject::invokeMethod(list, "positionViewAtIndex",
        Q_ARG(int, model->rowOfName(QStringLiteral("org.example.unsigned"))), Q_ARG(int, 0));
    QQuickItem* remove = nullptr;
    QTRY_VERIFY((remove = findVisible(app.window->contentItem(), QStringLiteral("remove_org.example.unsigned"))));
    click(app.window, remove);
    QObject* confirm = app.window->findChild<QObject*>(QStringLiteral("removePluginDialog"));
    QVERIFY(confirm);
    QTRY_VERIFY(confirm->property("opened").toBool());
    QCOMPARE(model->rowCount(), 6); // nothing removed before the confirmation
    QMetaObject::invokeMethod(confirm, "accept");
    QTRY_COMPARE(model->rowCount(), 5);
    QCOMPARE(model->rowOfName(QStringLiteral("org.example.unsigned")), -1);
}

void PluginsUiTest::signUp(AppWindow& app, const QString& handle, const QUrl& relay)
{
    QVERIFY(app.window);
    QVERIFY(QTest::qWaitForWindowExposed(app.window));
    QCOMPARE(app.session.state(), SessionController::State::Onboarding);
    app.type("relayField", relay.toString());
    app.type("handleField", handle);
    app.type("passphraseField", QStringLiteral("Seven bright Lanterns 42"));
    QTest::keyClick(app.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), SessionController::State::Ready, kNetworkTimeoutMs);
    // The bundled examples are installed; the poll plugin is switched on.
    PluginsController* plugins = app.session.chat()->plugins();
    QTRY_COMPARE_WITH_TIMEOUT(plugins->model()->rowCount(), 3, kTimeoutMs);
    plugins->setEnabled(kPoll, true);
    QTRY_VERIFY_WITH_TIMEOUT(plugins->commandNames().contains(QStringLiteral("poll")), kTimeoutMs);
}

// Alice types /poll in her composer; Bob's client draws the card with his
// own poll plugin; Bob clicks a button: his plugin sends "/vote ID N" to
// Alice, whose plugin counts it and edits the poll; both cards show the vote.
void PluginsUiTest::pollBetweenTwoProfilesThroughTheRelay()
{
    tenchat::testing::RelayProcess relay;
    QVERIFY2(relay.start(), qPrintable(relay.error()));
    AppWindow alice(root_.filePath(QStringLiteral("alice")));
    signUp(alice, QStringLiteral("alice"), relay.url());
    if (QTest::currentTestFailed())
        return;
    AppWindow bob(root_.filePath(QStringLiteral("bob")));
    signUp(bob, QStringLiteral("bob"), relay.url());
    if (QTest::currentTestFailed())
        return;
    auto* aliceChat = alice.session.chat();
    auto* bobChat = bob.session.chat();

    aliceChat->startDirectChat(QStringLiteral("bob"));
    QTRY_VERIFY_WITH_TIMEOUT(!aliceChat->currentConversationId().isEmpty(), kNetworkTimeoutMs);
    const QString conversation = aliceChat->currentConversationId();
    alice.type("composerInput", QStringLiteral("/poll Lunch? | Pizza | Sushi"));
    QTest::keyClick(alice.window, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(newestContentType(aliceChat), kPollType, kTimeoutMs);

    QTRY_COMPARE_WITH_TIMEOUT(bobChat->conversations()->count(), 1, kNetworkTimeoutMs);
    bobChat->openConversation(conversation);
    QTRY_COMPARE_WITH_TIMEOUT(newestContentType(bobChat), kPollType, kNetworkTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!newestCard(bobChat).value(QStringLiteral("unsupported")).toBool(), kTimeoutMs);
    QCOMPARE(newestCard(bobChat).value(QStringLiteral("title")).toString(), QStringLiteral("Lunch?"));

    const auto pollCardOf = [](tenchat::ui::ChatController* chat) {
        for (int row = 0; row < chat->timeline()->count(); ++row)
            if (chat->timeline()->index(row, 0).data(TimelineModel::ContentTypeRole).toString() == kPollType)
                return chat->timeline()->index(row, 0).data(TimelineDecorator::CardRole).toMap();
        return QVariantMap();
    };
    // A card redrawn while it is pressed (an edit arriving) drops the press;
    // a vote is per voter, so pressing again is harmless.
    const auto aliceCounted
        = [&] { return pollCardOf(aliceChat).value(QStringLiteral("text")) == QStringLiteral("1 vote"); };
    QDeadlineTimer deadline(kNetworkTimeoutMs);
    while (!aliceCounted() && !deadline.hasExpired()) {
        QQuickItem* pizza = cardButton(bob.window, QStringLiteral("Pizza"));
        if (pizza && !pollCardOf(bobChat).value(QStringLiteral("pending")).toBool())
            click(bob.window, pizza);
        (void)QTest::qWaitFor(aliceCounted, 5000);
    }
    QVERIFY(aliceCounted());
    QTRY_COMPARE_WITH_TIMEOUT(
        pollCardOf(bobChat).value(QStringLiteral("text")).toString(), QStringLiteral("1 vote"), kNetworkTimeoutMs);
    QTRY_COMPARE(fieldValue(pollCardOf(bobChat), 0), QStringLiteral("1 vote"));
    bob.grab(QStringLiteral("plugins-poll-bob.png"));
    alice.grab(QStringLiteral("plugins-poll-alice.png"));
}

QTEST_MAIN(PluginsUiTest)
#include "tst_plugins_ui.moc"
