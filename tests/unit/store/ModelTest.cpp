// SPDX-License-Identifier: GPL-3.0-or-later
// The Qt models over the async store: QAbstractItemModelTester, lazy paging,
// row-level updates (never a reset on a new message), bounded cache, recency
// order with unread counts.

#include "StoreTestSupport.h"

#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/ConversationListModel.h"
#include "tenchat/core/store/TimelineModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace storetest;

class ModelTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    int counter_ = 0;

    std::unique_ptr<AsyncStore> openStore(int messagesInC1)
    {
        auto store = ProfileStore::create(tmp_.filePath(QString::number(++counter_)), "pw", fastOptions());
        if (!store)
            qFatal("create: %s", qPrintable(store.error().message));
        (void)(*store)->conversations().save(conversation("c1"));
        (void)(*store)->conversations().save(conversation("c2"));
        (void)(*store)->conversations().save(conversation("c3"));
        QList<Message> batch;
        for (int i = 1; i <= messagesInC1; ++i)
            batch.append(message("c1", QStringLiteral("message %1").arg(i), i, 1000 + i));
        (void)(*store)->messages().insertBatch(batch);
        (void)(*store)->messages().insert(message("c2", "hello from c2", 1, 500));
        return std::make_unique<AsyncStore>(std::move(*store));
    }

    // Runs a job on the worker and waits for it (the test thread is not a GUI thread).
    static void onWorker(AsyncStore& store, std::function<void(ProfileStore&)> job)
    {
        store.post(std::move(job));
        store.waitForIdle();
    }

private Q_SLOTS:
    void opensOffTheCallersThread()
    {
        const QString dir = tmp_.filePath(QStringLiteral("async-open"));
        std::unique_ptr<AsyncStore> opened;
        std::optional<StoreErrorCode> failure;
        bool called = false;
        AsyncStore::open(dir, "pw", fastOptions(), true, this, [&](StoreExpected<std::unique_ptr<AsyncStore>> result) {
            called = true;
            if (result)
                opened = std::move(*result);
            else
                failure = result.error().code;
        });
        QVERIFY(!called); // nothing ran on this thread yet
        QTRY_VERIFY(called);
        QVERIFY(opened);
        QVERIFY(!failure);
        bool worked = false;
        opened->query<bool>([](ProfileStore& s) { return s.conversations().save(conversation("x")).hasValue(); }, this,
            [&](bool ok) { worked = ok; });
        QTRY_VERIFY(worked);
        opened.reset();

        called = false;
        AsyncStore::open(
            dir, "wrong", fastOptions(), false, this, [&](StoreExpected<std::unique_ptr<AsyncStore>> result) {
                called = true;
                if (!result)
                    failure = result.error().code;
            });
        QTRY_VERIFY(called);
        QCOMPARE(failure.value_or(StoreErrorCode::Sql), StoreErrorCode::WrongPassphrase);
    }

    void timelinePagesLazily()
    {
        auto store = openStore(120);
        TimelineModel model(store.get(), "c1", 50);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        // QAbstractItemModelTester already fetched the first page.
        QTRY_COMPARE(model.rowCount(), 50);
        QTRY_VERIFY(!model.loading());
        int expected = 0;
        for (int expectedRows : { 100, 120 }) {
            QVERIFY(model.canFetchMore());
            model.fetchMore();
            QVERIFY(!model.canFetchMore()); // one page at a time
            QTRY_COMPARE(model.rowCount(), expectedRows);
            expected = expectedRows;
        }
        QTRY_VERIFY(!model.loading());
        QVERIFY(!model.canFetchMore());
        QCOMPARE(model.rowCount(), expected);
        QCOMPARE(model.data(model.index(0), TimelineModel::BodyRole).toString(), QStringLiteral("message 120"));
        QCOMPARE(model.data(model.index(119), TimelineModel::BodyRole).toString(), QStringLiteral("message 1"));
        QVERIFY(model.roleNames().values().contains("body"));
        QVERIFY(model.roleNames().values().contains("deliveryState"));
        QCOMPARE(resets.count(), 0);
    }

    void timelineRowLevelUpdates()
    {
        auto store = openStore(10);
        TimelineModel model(store.get(), "c1", 50);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE(model.rowCount(), 10);
        QTRY_VERIFY(!model.loading());
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        // A new message from a peer: one row inserted at the top.
        const Message incoming = message("c1", "brand new", 11);
        onWorker(*store, [incoming](ProfileStore& s) { QVERIFY(s.messages().insert(incoming).hasValue()); });
        QTRY_COMPARE(inserted.count(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(model.rowCount(), 11);
        // Messages of other conversations do not touch this model.
        onWorker(
            *store, [](ProfileStore& s) { QVERIFY(s.messages().insert(message("c2", "elsewhere", 2)).hasValue()); });

        // Edit, receipt, reaction: dataChanged on that row only.
        onWorker(
            *store, [incoming](ProfileStore& s) { QVERIFY(s.messages().edit(incoming.id, "edited", 1).hasValue()); });
        QTRY_COMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(0), TimelineModel::BodyRole).toString(), QStringLiteral("edited"));
        QVERIFY(model.data(model.index(0), TimelineModel::EditedRole).toBool());
        onWorker(*store, [incoming](ProfileStore& s) {
            QVERIFY(s.messages().setDeliveryState(incoming.id, DeliveryState::Delivered).hasValue());
            QVERIFY(s.messages().addReaction(incoming.id, "alice", "🎉", 1).hasValue());
        });
        QTRY_COMPARE(changed.count(), 3);
        QCOMPARE(model.data(model.index(0), TimelineModel::DeliveryStateRole).toInt(), int(DeliveryState::Delivered));
        const QVariantList reactions = model.data(model.index(0), TimelineModel::ReactionsRole).toList();
        QCOMPARE(reactions.size(), 1);
        QCOMPARE(reactions.first().toMap().value("count").toInt(), 1);
        for (const auto& args : changed)
            QCOMPARE(args.at(0).toModelIndex().row(), 0);

        // An outgoing message appears at the top, then moves when the relay sequences it.
        Message outgoing = message("c1", "sending…");
        outgoing.outgoing = true;
        onWorker(*store, [outgoing](ProfileStore& s) { QVERIFY(s.messages().insert(outgoing).hasValue()); });
        QTRY_COMPARE(model.rowCount(), 12);
        QCOMPARE(model.data(model.index(0), TimelineModel::IdRole).toString(), outgoing.id);
        onWorker(*store,
            [incoming](ProfileStore& s) { QVERIFY(s.messages().insert(message("c1", "later", 13)).hasValue()); });
        QTRY_COMPARE(model.rowCount(), 13);
        onWorker(
            *store, [outgoing](ProfileStore& s) { QVERIFY(s.messages().assignServerSeq(outgoing.id, 12).hasValue()); });
        QTRY_COMPARE(model.data(model.index(1), TimelineModel::IdRole).toString(), outgoing.id);
        QCOMPARE(model.data(model.index(0), TimelineModel::BodyRole).toString(), QStringLiteral("later"));

        // Deletion removes exactly one row.
        const int removedBefore = static_cast<int>(removed.count());
        onWorker(*store, [incoming](ProfileStore& s) { QVERIFY(s.messages().remove(incoming.id).hasValue()); });
        QTRY_COMPARE(removed.count(), removedBefore + 1);
        QCOMPARE(model.rowCount(), 12);
        QCOMPARE(resets.count(), 0);
    }

    void timelineCacheIsBounded()
    {
        auto store = openStore(40);
        TimelineModel model(store.get(), "c1", 20, 30);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE(model.rowCount(), 20); // the tester fetched the first page
        QTRY_VERIFY(model.canFetchMore());
        model.fetchMore();
        QTRY_COMPARE(model.rowCount(), 40); // paging back is the user's choice
        onWorker(*store, [](ProfileStore& s) {
            for (int i = 0; i < 15; ++i)
                QVERIFY(s.messages().insert(message("c1", QStringLiteral("new %1").arg(i), 100 + i)).hasValue());
        });
        QTRY_COMPARE(model.data(model.index(0), TimelineModel::BodyRole).toString(), QStringLiteral("new 14"));
        QCOMPARE(model.rowCount(), 30); // following live messages trims back to the cap
        QTRY_VERIFY(model.canFetchMore()); // the dropped rows can come back
    }

    // Group entries that cannot be opened yet: placeholder rows at their
    // relay position (in the loaded range; paging brings older ones), a
    // state change updates the row, the message itself takes its place.
    void timelinePlaceholders()
    {
        auto store = openStore(0);
        onWorker(*store, [](ProfileStore& s) {
            QList<Message> batch;
            for (int seq = 2; seq <= 120; seq += 2)
                batch.append(message("c3", QStringLiteral("m%1").arg(seq), seq, 1000 + seq));
            QVERIFY(s.messages().insertBatch(batch).hasValue());
        });
        QCoreApplication::processEvents(); // their change notifications, before the model exists
        TimelineModel model(store.get(), "c3", 50);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE(model.rowCount(), 50); // seqs 120 .. 22
        QTRY_VERIFY(!model.loading());
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        const auto p = [](qint64 seq, bool undecryptable = false) {
            return TimelineModel::placeholder(
                QStringLiteral("c3"), seq, QStringLiteral("user-alice"), 2, 5000 + seq, undecryptable);
        };
        const auto bodyAt = [&](int row) { return model.data(model.index(row), TimelineModel::BodyRole).toString(); };
        const auto stateAt
            = [&](int row) { return model.data(model.index(row), TimelineModel::PlaceholderRole).toString(); };

        model.setPlaceholders({ p(61), p(121), p(5), p(7) });
        QCOMPARE(model.rowCount(), 52); // 121 and 61; 7 and 5 are older than the loaded page
        QCOMPARE(stateAt(0), QStringLiteral("waiting"));
        QCOMPARE(model.data(model.index(0), TimelineModel::SenderRole).toString(), QStringLiteral("user-alice"));
        QCOMPARE(bodyAt(1), QStringLiteral("m120"));
        const int at61 = 1 + (120 - 62) / 2 + 1; // after m62
        QCOMPARE(bodyAt(at61 - 1), QStringLiteral("m62"));
        QCOMPARE(stateAt(at61), QStringLiteral("waiting"));
        QCOMPARE(bodyAt(at61 + 1), QStringLiteral("m60"));
        QCOMPARE(stateAt(at61 + 1), QString());

        // Paging back brings the older ones, in order.
        model.fetchMore();
        QTRY_COMPARE(model.rowCount(), 64); // 60 messages, 4 placeholders
        QCOMPARE(stateAt(63), QString()); // m2
        QCOMPARE(bodyAt(63), QStringLiteral("m2"));
        QCOMPARE(bodyAt(62), QStringLiteral("m4"));
        QCOMPARE(stateAt(61), QStringLiteral("waiting")); // 5
        QCOMPARE(bodyAt(60), QStringLiteral("m6"));
        QCOMPARE(stateAt(59), QStringLiteral("waiting")); // 7
        QCOMPARE(bodyAt(58), QStringLiteral("m8"));

        // Waiting -> undecryptable updates the row; one no longer listed goes.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setPlaceholders({ p(61, true), p(5), p(7) });
        QCOMPARE(model.rowCount(), 63);
        QCOMPARE(bodyAt(0), QStringLiteral("m120"));
        QCOMPARE(stateAt(at61 - 1), QStringLiteral("undecryptable"));
        QCOMPARE(changed.count(), 1);

        // The message itself arrives: it takes the placeholder's row.
        onWorker(*store, [](ProfileStore& s) { QVERIFY(s.messages().insert(message("c3", "m61", 61)).hasValue()); });
        QTRY_COMPARE(bodyAt(at61 - 1), QStringLiteral("m61"));
        QCOMPARE(stateAt(at61 - 1), QString());
        QCOMPARE(model.rowCount(), 63);
        // A stale list that still names it adds no placeholder for a shown message.
        model.setPlaceholders({ p(61), p(5), p(7) });
        QCOMPARE(model.rowCount(), 63);
        QCOMPARE(bodyAt(at61 - 1), QStringLiteral("m61"));
        model.setPlaceholders({});
        QCOMPARE(model.rowCount(), 61);
        QCOMPARE(resets.count(), 0);
    }

    void conversationListFollowsActivity()
    {
        auto store = openStore(3);
        ConversationListModel model(store.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE(model.rowCount(), 3);
        QTRY_VERIFY(!model.loading());
        // c1's newest message (1003) is more recent than c2's (500); c3 has none.
        QCOMPARE(model.data(model.index(0), ConversationListModel::IdRole).toString(), QStringLiteral("c1"));
        QCOMPARE(model.data(model.index(0), ConversationListModel::UnreadCountRole).toInt(), 3);
        QCOMPARE(
            model.data(model.index(0), ConversationListModel::PreviewRole).toString(), QStringLiteral("message 3"));
        QCOMPARE(model.data(model.index(2), ConversationListModel::IdRole).toString(), QStringLiteral("c3"));

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        QSignalSpy updated(&model, &ConversationListModel::updated);
        onWorker(*store,
            [](ProfileStore& s) { QVERIFY(s.messages().insert(message("c3", "wake up, c3", 1, 5000)).hasValue()); });
        QTRY_COMPARE(model.data(model.index(0), ConversationListModel::IdRole).toString(), QStringLiteral("c3"));
        QCOMPARE(moved.count(), 1);
        QCOMPARE(
            model.data(model.index(0), ConversationListModel::PreviewRole).toString(), QStringLiteral("wake up, c3"));
        QCOMPARE(model.data(model.index(0), ConversationListModel::UnreadCountRole).toInt(), 1);

        updated.clear();
        onWorker(*store, [](ProfileStore& s) { QVERIFY(s.conversations().markRead("c1").valueOr(0) == 3); });
        QTRY_COMPARE(updated.count(), 1);
        QCOMPARE(model.data(model.index(1), ConversationListModel::UnreadCountRole).toInt(), 0);

        Conversation fresh = conversation("c4");
        fresh.createdAt = 9000;
        onWorker(*store, [fresh](ProfileStore& s) { QVERIFY(s.conversations().save(fresh).hasValue()); });
        QTRY_COMPARE(model.rowCount(), 4);
        QCOMPARE(model.data(model.index(0), ConversationListModel::IdRole).toString(), QStringLiteral("c4"));
        onWorker(*store, [](ProfileStore& s) { QVERIFY(s.conversations().remove("c2").hasValue()); });
        QTRY_COMPARE(model.rowCount(), 3);
        QCOMPARE(resets.count(), 0);
    }
};

QTEST_GUILESS_MAIN(ModelTest)
#include "ModelTest.moc"
