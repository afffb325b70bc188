// SPDX-License-Identifier: GPL-3.0-or-later
// The view-models of the chat screens on a real (fixture) profile, under
// QAbstractItemModelTester: the sidebar's filter/pinning proxy and the
// timeline decorations (day separators, senders, replies, unsupported
// content), live updates without resets, and the passphrase meter.
#include "ChatFixture.h"

#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/ConversationListModel.h"
#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/core/store/Ulid.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/MarkdownRenderer.h"
#include "tenchat/ui/MediaController.h"
#include "tenchat/ui/PassphraseMeter.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/TimelineDecorator.h"
#include "tenchat/ui/Translations.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace tenchat::core::store;
using tenchat::testing::ChatFixture;
using tenchat::ui::ConversationFilterModel;
using tenchat::ui::TimelineDecorator;

class ViewModelsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void conversationFilterPinsAndFilters();
    void timelineDecorations();
    void timelineFollowsNewMessagesWithoutReset();
    void timelinePagesOlderMessages();
    void passphraseMeter();
    void handleAndRelayValidation();
    void initialsAndTimes();
    void markdownIsRenderedSafely();
    void structuredPreviewIsItsFallback();
    void storageCountsAndClearsMedia();
    void pluralsReadAsEnglish();

private:
    QTemporaryDir root_;
    std::unique_ptr<AsyncStore> store_;
};

void ViewModelsTest::initTestCase()
{
    QVERIFY(root_.isValid());
    QString error;
    store_ = ChatFixture::createAndOpen(root_.filePath(QStringLiteral("p")), &error);
    QVERIFY2(store_, qPrintable(error));
}

void ViewModelsTest::cleanupTestCase()
{
    store_.reset();
}

void ViewModelsTest::conversationFilterPinsAndFilters()
{
    ConversationListModel list(store_.get());
    ConversationFilterModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&list);
    QTRY_COMPARE(proxy.count(), 5);
    // By recency without pins: the group (last activity 1 min ago) first.
    QCOMPARE(proxy.idAt(0), QString::fromLatin1(ChatFixture::kGroup));
    QCOMPARE(proxy.index(0, 0).data(ConversationFilterModel::PinnedRole).toBool(), false);

    proxy.setPinned({ QString::fromLatin1(ChatFixture::kChannel) });
    QCOMPARE(proxy.idAt(0), QString::fromLatin1(ChatFixture::kChannel));
    QCOMPARE(proxy.index(0, 0).data(ConversationFilterModel::PinnedRole).toBool(), true);
    QCOMPARE(proxy.idAt(1), QString::fromLatin1(ChatFixture::kGroup));

    const int aliceRow = proxy.rowOfId(QString::fromLatin1(ChatFixture::kAlice));
    QVERIFY(aliceRow > 0);
    QCOMPARE(proxy.index(aliceRow, 0).data(ConversationListModel::UnreadCountRole).toInt(), 3);
    QCOMPARE(proxy.index(aliceRow, 0).data(ConversationFilterModel::InitialsRole).toString(), QStringLiteral("AM"));
    QVERIFY(!proxy.index(aliceRow, 0).data(ConversationFilterModel::TimeTextRole).toString().isEmpty());
    const int bobRow = proxy.rowOfId(QString::fromLatin1(ChatFixture::kBob));
    QVERIFY(proxy.index(bobRow, 0).data(ConversationListModel::MutedRole).toBool());

    QSignalSpy countSpy(&proxy, &ConversationFilterModel::countChanged);
    proxy.setFilterText(QStringLiteral("ALI")); // title, case-insensitive
    QCOMPARE(proxy.count(), 1);
    QCOMPARE(proxy.idAt(0), QString::fromLatin1(ChatFixture::kAlice));
    proxy.setFilterText(QStringLiteral("dessert")); // the preview matches too
    QCOMPARE(proxy.count(), 1);
    QCOMPARE(proxy.idAt(0), QStringLiteral("c-family"));
    proxy.setFilterText(QStringLiteral("no such thing"));
    QCOMPARE(proxy.count(), 0);
    proxy.setFilterText(QString());
    QCOMPARE(proxy.count(), 5);
    QVERIFY(countSpy.count() >= 3);
}

void ViewModelsTest::timelineDecorations()
{
    TimelineModel timeline(store_.get(), QString::fromLatin1(ChatFixture::kGroup));
    TimelineDecorator decorator;
    QAbstractItemModelTester tester(&decorator, QAbstractItemModelTester::FailureReportingMode::QtTest);
    decorator.setTimeline(&timeline);
    decorator.setGroup(true);
    decorator.setNames({ { QStringLiteral("alice"), QStringLiteral("Alice Martin") },
                           { QStringLiteral("bob"), QStringLiteral("Bob Chen") } },
        QString::fromLatin1(ChatFixture::kSelf));
    QTRY_COMPARE(decorator.count(), ChatFixture::kGroupMessages);
    QTRY_VERIFY(!timeline.canFetchMore());

    const auto value = [&](int row, int role) { return decorator.index(row, 0).data(role); };
    const int last = decorator.count() - 1;
    // The oldest loaded message opens its day; so does the first one of today.
    QVERIFY(!value(last, TimelineDecorator::DayLabelRole).toString().isEmpty());
    int dayLabels = 0;
    for (int row = 0; row < decorator.count(); ++row)
        dayLabels += value(row, TimelineDecorator::DayLabelRole).toString().isEmpty() ? 0 : 1;
    QVERIFY(dayLabels >= 2);
    QVERIFY(dayLabels <= 3);

    // The oldest two are alice's in a row: the first shows her name, the second is grouped.
    QCOMPARE(value(last, TimelineModel::SenderRole).toString(), QStringLiteral("alice"));
    QVERIFY(value(last, TimelineDecorator::ShowSenderRole).toBool());
    QCOMPARE(value(last, TimelineDecorator::SenderNameRole).toString(), QStringLiteral("Alice Martin"));
    QCOMPARE(value(last, TimelineDecorator::InitialsRole).toString(), QStringLiteral("AM"));
    QVERIFY(!value(last - 1, TimelineDecorator::ShowSenderRole).toBool());
    QVERIFY(value(last - 1, TimelineDecorator::GroupedWithOlderRole).toBool());
    // An unknown contact falls back to the user id.
    bool sawCarol = false;
    bool sawReply = false;
    bool sawUnsupported = false;
    bool sawTombstone = false;
    for (int row = 0; row < decorator.count(); ++row) {
        if (value(row, TimelineModel::SenderRole).toString() == QLatin1String("carol")) {
            sawCarol = true;
            QCOMPARE(value(row, TimelineDecorator::SenderNameRole).toString(), QStringLiteral("carol"));
        }
        if (!value(row, TimelineModel::ReplyToRole).toString().isEmpty()) {
            sawReply = true;
            QCOMPARE(value(row, TimelineDecorator::ReplySenderRole).toString(), QStringLiteral("Bob Chen"));
            QVERIFY(value(row, TimelineDecorator::ReplyBodyRole).toString().startsWith(QStringLiteral("Do we round")));
            QVERIFY(value(row, TimelineModel::OutgoingRole).toBool());
            QVERIFY(!value(row, TimelineDecorator::ShowSenderRole).toBool()); // own messages never show a name
            QCOMPARE(value(row, TimelineDecorator::SenderNameRole).toString(), tr("You"));
        }
        if (value(row, TimelineDecorator::UnsupportedRole).toBool()) {
            sawUnsupported = true;
            QCOMPARE(
                value(row, TimelineModel::ContentTypeRole).toString(), QStringLiteral("application/x-tenchat-poll"));
            // No plugin renders it here: the unsupported card.
            QVERIFY(value(row, TimelineDecorator::CardRole).toMap().value(QStringLiteral("unsupported")).toBool());
        } else {
            QVERIFY(value(row, TimelineDecorator::CardRole).toMap().isEmpty()); // text has no card
        }
        if (value(row, TimelineModel::TombstoneRole).toBool()) {
            sawTombstone = true;
            QVERIFY(!value(row, TimelineDecorator::UnsupportedRole).toBool());
        }
    }
    QVERIFY(sawCarol && sawReply && sawUnsupported && sawTombstone);
    QVERIFY(!value(0, TimelineDecorator::TimeTextRole).toString().isEmpty());

    // In a direct chat no bubble shows a sender name.
    decorator.setGroup(false);
    for (int row = 0; row < decorator.count(); ++row)
        QVERIFY(!value(row, TimelineDecorator::ShowSenderRole).toBool());
}

void ViewModelsTest::timelineFollowsNewMessagesWithoutReset()
{
    TimelineModel timeline(store_.get(), QString::fromLatin1(ChatFixture::kBob));
    TimelineDecorator decorator;
    QAbstractItemModelTester tester(&decorator, QAbstractItemModelTester::FailureReportingMode::QtTest);
    decorator.setTimeline(&timeline);
    QTRY_COMPARE(decorator.count(), 2);
    QSignalSpy resets(&decorator, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&decorator, &QAbstractItemModel::rowsInserted);
    QSignalSpy changes(&decorator, &QAbstractItemModel::dataChanged);
    // A view connects after the decorator: a neighbour's update must not
    // arrive before the view has seen the insertion (it would update the
    // item that is about to move to the next row).
    bool viewSawInsert = false;
    bool updateBeforeInsert = false;
    connect(&decorator, &QAbstractItemModel::rowsInserted, this, [&] { viewSawInsert = true; });
    connect(&decorator, &QAbstractItemModel::dataChanged, this, [&] { updateBeforeInsert |= !viewSawInsert; });
    // Both of bob's messages were unread: the marker goes above the older one.
    decorator.setUnreadCount(2);
    QCOMPARE(decorator.index(1, 0).data(TimelineDecorator::UnreadMarkerRole).toBool(), true);
    QCOMPARE(decorator.index(0, 0).data(TimelineDecorator::UnreadMarkerRole).toBool(), false);
    QCoreApplication::processEvents(); // the marker row's own update
    updateBeforeInsert = false;
    changes.clear();

    Message m;
    UlidGenerator ulids;
    m.id = ulids.next();
    m.conversationId = QString::fromLatin1(ChatFixture::kBob);
    m.senderUserId = QStringLiteral("bob");
    m.sentAt = QDateTime::currentMSecsSinceEpoch();
    m.receivedAt = m.sentAt;
    m.serverSeq = 1000000;
    m.body = QStringLiteral("Anyone there?");
    store_->post([m](ProfileStore& store) { QVERIFY(store.messages().insert(m)); });
    QTRY_COMPARE(decorator.count(), 3);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(inserts.count(), 1);
    QTRY_VERIFY(changes.count() >= 1); // the old newest row learns its newer neighbour
    QVERIFY(!updateBeforeInsert);
    // The marker stays on the same message.
    QCOMPARE(decorator.index(2, 0).data(TimelineDecorator::UnreadMarkerRole).toBool(), true);
    QCOMPARE(decorator.index(0, 0).data(TimelineModel::BodyRole).toString(), QStringLiteral("Anyone there?"));
    // Bob's messages of yesterday are followed by today's: the new one opens a day.
    QVERIFY(!decorator.index(0, 0).data(TimelineDecorator::DayLabelRole).toString().isEmpty());
    QCOMPARE(decorator.index(0, 0).data(TimelineDecorator::DayLabelRole).toString(), tr("Today"));
    QCOMPARE(decorator.rowOfId(m.id), 0);

    store_->post([id = m.id](ProfileStore& store) { QVERIFY(store.messages().tombstone(id)); });
    QTRY_VERIFY(decorator.index(0, 0).data(TimelineModel::TombstoneRole).toBool());
    QCOMPARE(resets.count(), 0);
    QVERIFY(changes.count() >= 1);
}

void ViewModelsTest::timelinePagesOlderMessages()
{
    // Pages of 4: the group's 12 messages arrive in three pages, fetched on demand.
    // (No QAbstractItemModelTester here: it calls fetchMore() itself.)
    TimelineModel timeline(store_.get(), QString::fromLatin1(ChatFixture::kGroup), 4);
    TimelineDecorator decorator;
    decorator.setTimeline(&timeline);
    decorator.fetchOlder(); // the first page, as a view asks for it
    QTRY_COMPARE(decorator.count(), 4);
    QVERIFY(timeline.canFetchMore());
    // Not at the start yet: the top row shows no day (an older one may share it)
    // unless its older neighbour is known.
    const QString topBefore = decorator.index(3, 0).data(TimelineModel::IdRole).toString();
    decorator.fetchOlder();
    QTRY_COMPARE(decorator.count(), 8);
    QCOMPARE(decorator.rowOfId(topBefore), 3); // rows above stay where they were
    decorator.fetchOlder();
    QTRY_COMPARE(decorator.count(), ChatFixture::kGroupMessages);
    decorator.fetchOlder(); // an exactly full last page: one more (empty) fetch finds the start
    QTRY_VERIFY(!timeline.canFetchMore());
    QCOMPARE(decorator.count(), ChatFixture::kGroupMessages);
    QVERIFY(!decorator.index(decorator.count() - 1, 0).data(TimelineDecorator::DayLabelRole).toString().isEmpty());
    decorator.fetchOlder(); // nothing left: a no-op
    QTest::qWait(50);
    QCOMPARE(decorator.count(), ChatFixture::kGroupMessages);
}

void ViewModelsTest::passphraseMeter()
{
    using tenchat::ui::PassphraseMeter;
    QCOMPARE(PassphraseMeter::score(QString()), 0);
    QCOMPARE(PassphraseMeter::score(QStringLiteral("abc")), 0);
    QVERIFY(!PassphraseMeter::acceptable(QStringLiteral("abc123")));
    QVERIFY(!PassphraseMeter::acceptable(QStringLiteral("aaaaaaaaaaaaaaaa"))); // repeats
    QVERIFY(!PassphraseMeter::acceptable(QStringLiteral("abcdefgh"))); // a run
    QVERIFY(PassphraseMeter::score(QStringLiteral("password12")) <= 2);
    QVERIFY(PassphraseMeter::acceptable(QStringLiteral("Correct horse")));
    QCOMPARE(PassphraseMeter::score(QStringLiteral("Seven bright Lanterns 42")), 4);
    QVERIFY(PassphraseMeter::score(QStringLiteral("Seven bright Lanterns 42"))
        > PassphraseMeter::score(QStringLiteral("seven bright")));
}

void ViewModelsTest::handleAndRelayValidation()
{
    using tenchat::ui::SessionController;
    QVERIFY(SessionController::isValidHandle(QStringLiteral("alice")));
    QVERIFY(SessionController::isValidHandle(QStringLiteral("a.b_c-1")));
    QVERIFY(!SessionController::isValidHandle(QStringLiteral("Al")));
    QVERIFY(!SessionController::isValidHandle(QStringLiteral("Alice")));
    QVERIFY(!SessionController::isValidHandle(QStringLiteral("al ice")));
    QVERIFY(SessionController::isValidRelayUrl(QStringLiteral("ws://127.0.0.1:8787")));
    QVERIFY(SessionController::isValidRelayUrl(QStringLiteral("wss://relay.example.org")));
    QVERIFY(!SessionController::isValidRelayUrl(QStringLiteral("http://relay.example.org")));
    QVERIFY(!SessionController::isValidRelayUrl(QStringLiteral("ws://")));
}

void ViewModelsTest::initialsAndTimes()
{
    QCOMPARE(ConversationFilterModel::initialsOf(QStringLiteral("Jane Doe Smith")), QStringLiteral("JD"));
    QCOMPARE(ConversationFilterModel::initialsOf(QStringLiteral("alice")), QStringLiteral("A"));
    QCOMPARE(ConversationFilterModel::initialsOf(QStringLiteral("  ")), QStringLiteral("#"));
    const qint64 now = QDateTime(QDate(2026, 3, 12), QTime(15, 0)).toMSecsSinceEpoch();
    const qint64 hourAgo = now - 3600000;
    const qint64 lastYear = QDateTime(QDate(2025, 3, 12), QTime(15, 0)).toMSecsSinceEpoch();
    // Hours and minutes, never seconds (the C locale's short format has them).
    const QLocale saved;
    QLocale::setDefault(QLocale::c());
    QCOMPARE(ConversationFilterModel::shortTime(hourAgo, now), QStringLiteral("14:00"));
    QCOMPARE(ConversationFilterModel::timeOfDay(now + 25000), QStringLiteral("15:00"));
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    const QString us = ConversationFilterModel::timeOfDay(now);
    QVERIFY2(us.startsWith(QStringLiteral("3:00")) && us.count(QLatin1Char(':')) == 1, qPrintable(us));
    QLocale::setDefault(saved);
    QCOMPARE(ConversationFilterModel::shortTime(lastYear, now),
        QLocale().toString(QDate(2025, 3, 12), QLocale::ShortFormat));
    QCOMPARE(TimelineDecorator::dayLabel(hourAgo, now), tr("Today"));
    QCOMPARE(TimelineDecorator::dayLabel(now - 86400000, now), tr("Yesterday"));
}

void ViewModelsTest::markdownIsRenderedSafely()
{
    using tenchat::ui::MarkdownRenderer;
    QCOMPARE(MarkdownRenderer::toHtml(QStringLiteral("plain text")), QStringLiteral("plain text"));
    QCOMPARE(MarkdownRenderer::toHtml(QStringLiteral("**bold** and _it_")),
        QStringLiteral("<strong>bold</strong> and <em>it</em>"));
    // One newline is a line break, as in every chat.
    QVERIFY(MarkdownRenderer::toHtml(QStringLiteral("one\ntwo")).contains(QStringLiteral("<br />")));
    // Raw HTML never reaches the view.
    const QString html = MarkdownRenderer::toHtml(QStringLiteral("<b>x</b><script>alert(1)</script>"));
    QVERIFY(!html.contains(QStringLiteral("<b>")));
    QVERIFY(!html.contains(QStringLiteral("<script")));
    QVERIFY2(html.contains(QStringLiteral("&lt;b&gt;x&lt;/b&gt;")), qPrintable(html)); // shown as typed
    // Bare addresses become links, without the sentence's full stop.
    QVERIFY(MarkdownRenderer::toHtml(QStringLiteral("see https://example.org/x."))
                .contains(QStringLiteral("<a href=\"https://example.org/x\">https://example.org/x</a>.")));
    // Links are clickable; a javascript: link keeps only its text.
    QVERIFY(MarkdownRenderer::toHtml(QStringLiteral("[site](https://example.org)"))
                .contains(QStringLiteral("<a href=\"https://example.org\">site</a>")));
    const QString js = MarkdownRenderer::toHtml(QStringLiteral("[click](javascript:alert(1))"));
    QVERIFY(!js.contains(QStringLiteral("<a")));
    QVERIFY(js.contains(QStringLiteral("click")));
    // Images are never loaded: they become links to their address.
    const QString image = MarkdownRenderer::toHtml(QStringLiteral("![logo](https://example.org/l.png)"));
    QVERIFY(!image.contains(QStringLiteral("<img")));
    QVERIFY(image.contains(QStringLiteral("<a href=\"https://example.org/l.png\">logo</a>")));
    QVERIFY(
        !MarkdownRenderer::toHtml(QStringLiteral("![x](data:image/png;base64,AAAA)")).contains(QStringLiteral("<img")));
}

// A plugin's poll (or any structured payload) shows in the sidebar as its
// plain-text fallback, or "Unsupported message" without one; never JSON.
// The sidebar's filter matches what is shown, not the payload's keys.
void ViewModelsTest::structuredPreviewIsItsFallback()
{
    // A profile of its own: the other cases count this fixture's messages.
    QTemporaryDir dir;
    QString error;
    auto store = ChatFixture::createAndOpen(dir.filePath(QStringLiteral("p")), &error);
    QVERIFY2(store, qPrintable(error));
    ConversationListModel list(store.get());
    ConversationFilterModel proxy;
    proxy.setSourceModel(&list);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE(proxy.count(), 5);
    const auto post = [&store](const QString& conversation, const QString& body) {
        Message m;
        m.id = UlidGenerator().next();
        m.conversationId = conversation;
        m.senderUserId = QStringLiteral("bob");
        m.senderDeviceId = 1;
        m.sentAt = m.receivedAt = QDateTime::currentMSecsSinceEpoch();
        m.contentType = QStringLiteral("application/vnd.tenchat.poll+json");
        m.body = body;
        store->post([m](ProfileStore& profile) { (void)profile.messages().insert(m); });
    };
    const QString bob = QString::fromLatin1(ChatFixture::kBob);
    const auto previewOf = [&proxy](const QString& id) {
        const int row = proxy.rowOfId(id);
        return row < 0 ? QString() : proxy.index(row, 0).data(ConversationListModel::PreviewRole).toString();
    };
    post(bob,
        QStringLiteral(R"({"question":"Lunch?","options":["Pizza","Sushi"],"fallback":"Poll: Lunch?\nPizza: 0"})"));
    QTRY_COMPARE(previewOf(bob), QStringLiteral("Poll: Lunch?"));
    proxy.setFilterText(QStringLiteral("question"));
    QCOMPARE(proxy.rowOfId(bob), -1);
    proxy.setFilterText(QStringLiteral("lunch"));
    QVERIFY(proxy.rowOfId(bob) >= 0);
    proxy.setFilterText({});

    const QString alice = QString::fromLatin1(ChatFixture::kAlice);
    post(alice, QStringLiteral(R"({"question":"Dinner?","options":["Soup"]})"));
    QTRY_COMPARE(previewOf(alice), QStringLiteral("Unsupported message"));
    for (int row = 0; row < proxy.rowCount(); ++row) {
        const QString preview = proxy.index(row, 0).data(ConversationListModel::PreviewRole).toString();
        QVERIFY2(!preview.contains(QLatin1Char('{')) && !preview.contains(QLatin1Char('"')), qPrintable(preview));
    }
}

void ViewModelsTest::storageCountsAndClearsMedia()
{
    using tenchat::ui::MediaController;
    using tenchat::ui::SessionController;
    QCOMPARE(MediaController::humanSize(0), QStringLiteral("0 B"));
    QCOMPARE(MediaController::humanSize(999), QStringLiteral("999 B"));
    QCOMPARE(MediaController::humanSize(1500), QStringLiteral("1.5 KB"));
    QCOMPARE(MediaController::humanSize(2002000), QStringLiteral("2.0 MB"));
    QCOMPARE(MediaController::humanSize(345000000), QStringLiteral("345 MB"));
    QCOMPARE(MediaController::humanSize(4200000000), QStringLiteral("4.2 GB"));

    // A profile of its own, open as the application opens it (offline).
    const QString dir = root_.filePath(QStringLiteral("storage"));
    const QString error = ChatFixture::create(dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    SessionController session(dir);
    session.unlock(QString::fromLatin1(ChatFixture::kPassphrase));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionController::State::Ready, 30000);
    MediaController* media = session.chat()->media();
    QTRY_VERIFY_WITH_TIMEOUT(!media->cacheDir().isEmpty(), 30000); // the engine runs

    // Two downloaded files and a pasted image.
    const auto put = [](const QString& path, qint64 size) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(QByteArray(int(size), 'x')) == size;
    };
    const QStringList files { dir + QStringLiteral("/media/01HZX0/photo.jpg"),
        dir + QStringLiteral("/media/01HZX1/report.pdf"), media->cacheDir() + QStringLiteral("/pasted-1.png") };
    QVERIFY(put(files[0], 1500));
    QVERIFY(put(files[1], 2000000));
    QVERIFY(put(files[2], 500));
    QSignalSpy changed(media, &MediaController::storageChanged);
    media->refreshStorage();
    QVERIFY(media->storageBusy()); // the page shows it is counting
    QTRY_VERIFY(!media->storageBusy());
    QCOMPARE(media->storageFiles(), 3);
    QCOMPARE(media->storageBytes(), 2002000);
    QCOMPARE(MediaController::humanSize(media->storageBytes()), QStringLiteral("2.0 MB"));

    // Clearing removes the files from the disk, and the page shows it.
    changed.clear();
    media->clearStorage();
    QTRY_VERIFY(!media->storageBusy());
    QVERIFY(changed.count() >= 2);
    QCOMPARE(media->storageFiles(), 0);
    QCOMPARE(media->storageBytes(), 0);
    for (const QString& file : files)
        QVERIFY2(!QFileInfo::exists(file), qPrintable(file));
}

// Plural strings read "1 file" / "3 files" once the translation is in
// (without it Qt shows the source, "file(s)").
void ViewModelsTest::pluralsReadAsEnglish()
{
    QVERIFY(tenchat::ui::installTranslations(*QCoreApplication::instance()));
    const auto storage = [](int n) { return QCoreApplication::translate("StoragePage", "%n file(s), %1", "", n); };
    QCOMPARE(storage(1), QStringLiteral("1 file, %1"));
    QCOMPARE(storage(3), QStringLiteral("3 files, %1"));
    QCOMPARE(storage(0), QStringLiteral("0 files, %1"));
    QCOMPARE(QCoreApplication::translate("ChatPage", "%n member(s)", "", 1), QStringLiteral("1 member"));
    QCOMPARE(QCoreApplication::translate("tenchat::ui::PluginListModel", "Only in %n conversation(s)", nullptr, 2),
        QStringLiteral("Only in 2 conversations"));
}

QTEST_GUILESS_MAIN(ViewModelsTest)
#include "tst_view_models.moc"
