// SPDX-License-Identifier: GPL-3.0-or-later
// Repositories: messages (paging, edits, receipts, reactions, tombstones),
// ephemeral expiry, full-text search, outbox, inbox, settings, ULIDs.

#include "StoreTestSupport.h"

#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/Transaction.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace storetest;

class RepositoryTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    std::unique_ptr<ProfileStore> store_;
    int counter_ = 0;

    // Docids in the FTS index itself for a word (no join with messages, so a
    // stale entry of a deleted row would show up here).
    QList<qint64> indexedDocids(const QString& word)
    {
        QList<qint64> out;
        auto stmt
            = store_->database().prepare("SELECT docid FROM messages_fts WHERE messages_fts MATCH ?1 ORDER BY docid");
        if (!stmt)
            return { -1 };
        stmt->bind(1, word);
        while (stmt->step().valueOr(false))
            out.append(stmt->int64(0));
        return out;
    }

    qint64 ridOf(const QString& id)
    {
        auto stmt = store_->database().prepare("SELECT rid FROM messages WHERE id = ?1");
        if (!stmt)
            return -1;
        stmt->bind(1, id);
        return stmt->step().valueOr(false) ? stmt->int64(0) : -1;
    }

    QStringList searchIds(const QString& text, const QString& conversationId = {})
    {
        SearchIndex::Query query;
        query.text = text;
        query.conversationId = conversationId;
        auto hits = store_->search().search(query);
        if (!hits)
            qWarning("search failed: %s", qPrintable(hits.error().message));
        QStringList ids;
        for (const SearchHit& hit : hits.valueOr(QList<SearchHit>()))
            ids.append(hit.messageId);
        return ids;
    }

private Q_SLOTS:
    void init()
    {
        auto store = ProfileStore::create(tmp_.filePath(QString::number(++counter_)), "pw", fastOptions());
        QVERIFY2(store.hasValue(), store ? "" : qPrintable(store.error().message));
        store_ = std::move(*store);
        QVERIFY(store_->conversations().save(conversation("c1")).hasValue());
        QVERIFY(store_->conversations().save(conversation("c2", ConversationType::Group)).hasValue());
    }

    void cleanup() { store_.reset(); }

    void ulidsAreMonotonicAndValid()
    {
        UlidGenerator generator;
        QString previous;
        for (int i = 0; i < 2000; ++i) {
            const QString id = generator.next(1700000000000ull); // same millisecond throughout
            QVERIFY(UlidGenerator::isValid(id));
            QVERIFY2(id > previous, qPrintable(id + " <= " + previous));
            previous = id;
        }
        QCOMPARE(UlidGenerator::timestampOf(previous), 1700000000000ull);
        const QString later = generator.next(1700000000001ull);
        QVERIFY(later > previous);
        QVERIFY(generator.next(1600000000000ull) > later); // clock stepped back: still increasing
        QVERIFY(!UlidGenerator::isValid(QStringLiteral("not-a-ulid")));
    }

    void insertDedupesAndPages()
    {
        QList<Message> batch;
        for (int i = 1; i <= 25; ++i)
            batch.append(message("c1", QStringLiteral("m%1").arg(i), i));
        QCOMPARE(store_->messages().insertBatch(batch).valueOr(-1), 25);
        // At-least-once delivery: the same ids again are ignored.
        QCOMPARE(store_->messages().insertBatch(batch).valueOr(-1), 0);
        QCOMPARE(store_->messages().insert(batch.first()).valueOr(true), false);
        QCOMPARE(store_->messages().count("c1").valueOr(-1), 25);

        // Pages newest first, no gaps or repeats.
        QStringList seen;
        std::optional<TimelineCursor> cursor;
        for (;;) {
            auto page = store_->messages().page("c1", cursor, 10);
            QVERIFY(page.hasValue());
            for (const Message& m : *page)
                seen.append(m.body);
            if (page->size() < 10)
                break;
            cursor = TimelineCursor { page->last().sortSeq(), page->last().id };
        }
        QCOMPARE(seen.size(), 25);
        QCOMPARE(seen.first(), QStringLiteral("m25"));
        QCOMPARE(seen.last(), QStringLiteral("m1"));

        // A message for an unknown conversation violates the foreign key.
        QVERIFY(!store_->messages().insert(message("nope", "x", 1)));
    }

    void nestedTransactionsAreAllOrNothing()
    {
        {
            Transaction outer(store_->database());
            QVERIFY(outer.begun().hasValue());
            QCOMPARE(store_->messages()
                         .insertBatch({ message("c1", "nested one", 1), message("c1", "nested two", 2) })
                         .valueOr(-1),
                2);
            QCOMPARE(store_->messages().count("c1").valueOr(-1), 2);
            // No commit: the destructor rolls back the batch that was "committed" inside.
        }
        QCOMPARE(store_->messages().count("c1").valueOr(-1), 0);
        QVERIFY(searchIds("nested").isEmpty());
        {
            Transaction outer(store_->database());
            QVERIFY(store_->messages().insert(message("c1", "kept nested", 1)).hasValue());
            QVERIFY(outer.commit().hasValue());
        }
        QCOMPARE(
            searchIds("nested"), QStringList { store_->messages().page("c1", std::nullopt, 1).value().first().id });
    }

    void pendingMessagesSortLastUntilSequenced()
    {
        QVERIFY(store_->messages().insert(message("c1", "sequenced", 5)).hasValue());
        Message pending = message("c1", "pending");
        pending.outgoing = true;
        QVERIFY(store_->messages().insert(pending).hasValue());
        auto page = store_->messages().page("c1", std::nullopt, 10);
        QCOMPARE(page->first().id, pending.id);
        QVERIFY(store_->messages().assignServerSeq(pending.id, 3).hasValue());
        page = store_->messages().page("c1", std::nullopt, 10);
        QCOMPARE(page->last().id, pending.id);
        QCOMPARE(page->last().serverSeq.value_or(-1), 3);
    }

    void editsReceiptsReactionsTombstones()
    {
        Message m = message("c1", "first draft", 1);
        QVERIFY(store_->messages().insert(m).hasValue());
        QVERIFY(store_->messages().edit(m.id, "second draft", 111).hasValue());
        QVERIFY(store_->messages().edit(m.id, "final", 222).hasValue());
        auto history = store_->messages().editHistory(m.id);
        QCOMPARE(history->size(), 2);
        QCOMPARE(history->at(0).previousBody, QStringLiteral("first draft"));
        QCOMPARE(history->at(1).previousBody, QStringLiteral("second draft"));
        QVERIFY(store_->messages().setDeliveryState(m.id, DeliveryState::Read).hasValue());
        QVERIFY(store_->messages().addReaction(m.id, "alice", "👍", 1).hasValue());
        QVERIFY(store_->messages().addReaction(m.id, "bob", "👍", 2).hasValue());
        QVERIFY(store_->messages().addReaction(m.id, "bob", "👍", 3).hasValue()); // idempotent
        auto loaded = store_->messages().get(m.id);
        QVERIFY(loaded.hasValue() && loaded->has_value());
        QCOMPARE((*loaded)->body, QStringLiteral("final"));
        QCOMPARE((*loaded)->editedAt.value_or(0), 222);
        QCOMPARE((*loaded)->delivery, DeliveryState::Read);
        QCOMPARE((*loaded)->reactions.size(), 2);
        QVERIFY(store_->messages().removeReaction(m.id, "alice", "👍").hasValue());
        QCOMPARE(store_->messages().get(m.id).value()->reactions.size(), 1);

        QVERIFY(store_->messages().tombstone(m.id).hasValue());
        loaded = store_->messages().get(m.id);
        QVERIFY((*loaded)->tombstone);
        QVERIFY((*loaded)->body.isNull());
        QVERIFY((*loaded)->reactions.isEmpty());
        QVERIFY(store_->messages().editHistory(m.id)->isEmpty());
        QCOMPARE(store_->messages().edit(m.id, "resurrect", 333).error().code, StoreErrorCode::NotFound);
        QCOMPARE(
            store_->messages().setDeliveryState("missing", DeliveryState::Sent).error().code, StoreErrorCode::NotFound);
    }

    void ttlExpiryDeletesExpiredMessages()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(store_->conversations().save(conversation("eph", ConversationType::Ephemeral, 60000)).hasValue());
        const Message old = message("eph", "ancient ephemeral", 1, now - 120000); // expired a minute ago
        const Message fresh = message("eph", "fresh ephemeral", 2, now);
        const Message normal = message("c1", "lasting", 1, now - 120000);
        QVERIFY(store_->messages().insertBatch({ old, fresh, normal }).hasValue());
        QCOMPARE(store_->messages().get(fresh.id).value()->expiresAt.value_or(0), now + 60000);
        QVERIFY(!store_->messages().get(normal.id).value()->expiresAt.has_value());
        QCOMPARE(store_->messages().nextExpiry().value().value_or(0), old.sentAt + 60000);

        QSignalSpy removed(&store_->notifier(), &ChangeNotifier::messageRemoved);
        QCOMPARE(store_->messages().expireEphemeral(now).valueOr(-1), 1);
        QCOMPARE(removed.count(), 1);
        QVERIFY(!store_->messages().get(old.id).value().has_value());
        QVERIFY(store_->messages().get(fresh.id).value().has_value());
        QVERIFY(searchIds("ancient").isEmpty()); // gone from the index too
        QCOMPARE(store_->messages().expireEphemeral(now + 60000).valueOr(-1), 1);
        QVERIFY(store_->messages().get(normal.id).value().has_value());
    }

    void ttlExpiryAtStartup()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(store_->conversations().save(conversation("eph", ConversationType::Ephemeral, 1000)).hasValue());
        Message m = message("eph", "expires while closed", 1, now);
        m.expiresAt = now + 200;
        QVERIFY(store_->messages().insert(m).hasValue());
        const QString dir = store_->directory();
        store_.reset();
        QTest::qWait(300);
        auto reopened = ProfileStore::open(dir, "pw", fastOptions());
        QVERIFY(reopened.hasValue());
        QVERIFY(!(*reopened)->messages().get(m.id).value().has_value());
    }

    void ttlExpiryOnTimer()
    {
        const QString dir = store_->directory();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(store_->conversations().save(conversation("eph", ConversationType::Ephemeral, 300)).hasValue());
        const Message m = message("eph", "short lived", 1, now);
        AsyncStore async(std::move(store_));
        QSignalSpy removed(&async, &AsyncStore::messageRemoved);
        async.startExpiryTimer(60000); // the due time, not the interval, must fire it
        async.post([m](ProfileStore& s) { (void)s.messages().insert(m); });
        QTRY_COMPARE_WITH_TIMEOUT(removed.count(), 1, 5000);
        QCOMPARE(removed.first().at(1).toString(), m.id);
        QVERIFY(QDateTime::currentMSecsSinceEpoch() >= now + 300);
    }

    void searchFollowsEditsAndDeletes()
    {
        Message a = message("c1", "The quick brown fox jumps", 1);
        Message b = message("c2", "A quick reply in the group", 1);
        Message c = message("c1", "Crème brûlée for dessert", 2);
        QVERIFY(store_->messages().insertBatch({ a, b, c }).hasValue());
        QCOMPARE(searchIds("quick"), (QStringList { b.id, a.id })); // newest first
        QCOMPARE(searchIds("QUICK", "c1"), QStringList { a.id }); // case-insensitive, filtered
        QCOMPARE(searchIds("creme brulee"), QStringList { c.id }); // diacritics folded
        QCOMPARE(searchIds("quick fox"), QStringList { a.id }); // every word must match
        QCOMPARE(searchIds("jum*"), QStringList { a.id }); // prefix
        // Operators and quotes in user input are plain text, never syntax errors.
        for (const char* hostile : { "quick OR \"", "NEAR( -fox", "\"unbalanced", "*", "a:b c^d" }) {
            SearchIndex::Query q;
            q.text = QString::fromUtf8(hostile);
            QVERIFY2(store_->search().search(q).hasValue(), hostile);
        }
        QCOMPARE(searchIds("quick OR"), QStringList()); // "or" is a word here, not an operator
        QVERIFY(searchIds("   ").isEmpty());

        SearchIndex::Query query;
        query.text = "fox";
        query.highlightOpen = "[";
        query.highlightClose = "]";
        auto hits = store_->search().search(query);
        QVERIFY(hits.hasValue());
        QCOMPARE(hits->size(), 1);
        QVERIFY2(hits->first().snippet.contains("[fox]"), qPrintable(hits->first().snippet));
        QCOMPARE(hits->first().conversationId, QStringLiteral("c1"));
        // No markers at all (null strings) is a plain snippet, not an error.
        query.highlightOpen = QString();
        query.highlightClose = QString();
        query.ellipsis = QString();
        auto plain = store_->search().search(query);
        QVERIFY2(plain.hasValue(), plain ? "" : qPrintable(plain.error().message));
        QCOMPARE(plain->size(), 1);
        QVERIFY2(plain->first().snippet.contains("quick brown fox"), qPrintable(plain->first().snippet));

        QVERIFY(store_->messages().edit(a.id, "The slow turtle", 5).hasValue());
        QCOMPARE(searchIds("fox"), QStringList());
        QCOMPARE(searchIds("turtle"), QStringList { a.id });
        QCOMPARE(searchIds("quick"), QStringList { b.id });
        QVERIFY(store_->messages().tombstone(b.id).hasValue());
        QCOMPARE(searchIds("quick"), QStringList());
        QVERIFY(store_->messages().remove(c.id).hasValue());
        QCOMPARE(searchIds("dessert"), QStringList());
        QVERIFY(store_->conversations().remove("c1").hasValue()); // cascades to messages and the index
        QCOMPARE(searchIds("turtle"), QStringList());
        QCOMPARE(store_->messages().count().valueOr(-1), 1);
    }

    void insertQueuesIndexingAndSearchDrainsFirst()
    {
        Message a = message("c1", "deferred indexing works", 1);
        Message b = message("c2", "another deferred message", 1);
        QVERIFY(store_->messages().insertBatch({ a, b }).hasValue());
        // The insert transaction only queued the rows.
        QCOMPARE(store_->indexer().pendingCount().valueOr(-1), 2);
        QVERIFY(store_->indexer().hasPending().valueOr(false));
        QVERIFY(indexedDocids("deferred").isEmpty());
        // A search drains the queue first: nothing committed is missed.
        QCOMPARE(searchIds("deferred"), (QStringList { b.id, a.id }));
        QCOMPARE(store_->indexer().pendingCount().valueOr(-1), 0);
        QCOMPARE(indexedDocids("deferred"), (QList<qint64> { ridOf(a.id), ridOf(b.id) }));
        // A duplicate (same ULID) is neither inserted nor queued again.
        QCOMPARE(store_->messages().insertBatch({ a }).valueOr(-1), 0);
        QCOMPARE(store_->indexer().pendingCount().valueOr(-1), 0);
    }

    void indexerWorksInBoundedBatches()
    {
        QList<Message> batch;
        for (int i = 0; i < 7; ++i)
            batch.append(message("c1", QStringLiteral("bounded %1").arg(i), i + 1));
        QVERIFY(store_->messages().insertBatch(batch).hasValue());
        QCOMPARE(store_->indexer().indexBatch(3).valueOr(-1), 3);
        QCOMPARE(store_->indexer().pendingCount().valueOr(-1), 4);
        QCOMPARE(indexedDocids("bounded").size(), 3);
        QCOMPARE(store_->indexer().drain(2).valueOr(-1), 4);
        QCOMPARE(store_->indexer().indexBatch().valueOr(-1), 0);
        QCOMPARE(indexedDocids("bounded").size(), 7);
        QCOMPARE(searchIds("bounded").size(), 7);
    }

    void editsAndDeletesOfQueuedMessages()
    {
        Message a = message("c1", "original walrus text", 1);
        Message b = message("c1", "tombstoned walrus", 2);
        Message c = message("c1", "removed walrus", 3);
        Message d = message("c2", "cascaded walrus", 1);
        Message e = message("c1", "untouched walrus", 4);
        QVERIFY(store_->messages().insertBatch({ a, b, c, d, e }).hasValue());
        QCOMPARE(store_->indexer().pendingCount().valueOr(-1), 5);
        // All of these touch rows that are still queued (not in the index).
        QVERIFY(store_->messages().edit(a.id, "edited narwhal text", 10).hasValue());
        QVERIFY(store_->messages().tombstone(b.id).hasValue());
        QVERIFY(store_->messages().remove(c.id).hasValue());
        QVERIFY(store_->conversations().remove("c2").hasValue()); // cascades to d
        QVERIFY(indexedDocids("walrus").isEmpty()); // the triggers did not index early
        QCOMPARE(store_->indexer().pendingCount().valueOr(-1), 3); // a, b, e (deletes dequeue)
        QCOMPARE(searchIds("walrus"), QStringList { e.id });
        QCOMPARE(searchIds("narwhal"), QStringList { a.id });
        QVERIFY(searchIds("original").isEmpty());
        // The index holds exactly the current bodies: no stale or orphan entries.
        QCOMPARE(indexedDocids("walrus"), QList<qint64> { ridOf(e.id) });
        QCOMPARE(indexedDocids("narwhal"), QList<qint64> { ridOf(a.id) });
        QVERIFY(indexedDocids("original").isEmpty());
        QVERIFY(indexedDocids("tombstoned").isEmpty());
        QVERIFY(indexedDocids("removed").isEmpty());
        QVERIFY(indexedDocids("cascaded").isEmpty());
        // Once indexed, edits and deletes go through the triggers as before.
        QVERIFY(store_->messages().edit(a.id, "edited again", 11).hasValue());
        QVERIFY(indexedDocids("narwhal").isEmpty());
        QCOMPARE(indexedDocids("again"), QList<qint64> { ridOf(a.id) });
    }

    void asyncStoreIndexesAfterInserts()
    {
        auto opened = ProfileStore::open(tmp_.filePath(QString::number(counter_)), "pw", fastOptions());
        store_.reset(); // one connection: the AsyncStore takes the profile over
        QVERIFY2(opened.hasValue(), opened ? "" : qPrintable(opened.error().message));
        AsyncStore async(std::move(*opened));
        QList<Message> batch;
        for (int i = 0; i < 12000; ++i) // more than one indexer batch
            batch.append(message("c1", QStringLiteral("background %1").arg(i), i + 1));
        int inserted = -1;
        async.post(
            [batch, &inserted](ProfileStore& store) { inserted = store.messages().insertBatch(batch).valueOr(-1); });
        // No search is issued: the worker indexes on its own, right after the insert.
        qint64 pending = -1;
        QElapsedTimer timer;
        timer.start();
        while (pending != 0 && timer.elapsed() < 60000) {
            async.post([&pending](ProfileStore& store) { pending = store.indexer().pendingCount().valueOr(-1); });
            async.waitForIdle();
        }
        QCOMPARE(inserted, 12000);
        QCOMPARE(pending, 0);
        qint64 indexed = 0;
        async.post([&indexed](ProfileStore& store) {
            auto stmt
                = store.database().prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'background'");
            if (stmt && stmt->step().valueOr(false))
                indexed = stmt->int64(0);
        });
        async.waitForIdle();
        QCOMPARE(indexed, 12000);
    }

    void conversationSummariesAndDrafts()
    {
        QVERIFY(store_->messages().insert(message("c1", "older", 1, 1000)).hasValue());
        QVERIFY(store_->messages().insert(message("c2", "newer\nsecond line", 1, 2000)).hasValue());
        Message mine = message("c2", "my own", 2, 3000);
        mine.outgoing = true;
        QVERIFY(store_->messages().insert(mine).hasValue());
        auto list = store_->conversations().summaries();
        QVERIFY(list.hasValue());
        QCOMPARE(list->size(), 2);
        QCOMPARE(list->at(0).conversation.id, QStringLiteral("c2"));
        QCOMPARE(list->at(0).lastMessagePreview, QStringLiteral("my own"));
        QCOMPARE(list->at(0).unreadCount, 1); // own messages are never unread
        QCOMPARE(store_->conversations().markRead("c2").valueOr(-1), 1);
        QCOMPARE(store_->conversations().summary("c2").value()->unreadCount, 0);
        QVERIFY(store_->conversations().setMember("c2", "alice", MemberRole::Admin, 1).hasValue());
        QCOMPARE(store_->conversations().members("c2").value().size(), 1);
        QVERIFY(store_->conversations().saveDraft("c1", "half a thought", {}, 5).hasValue());
        QCOMPARE(store_->conversations().draft("c1").value().value_or(QString()), QStringLiteral("half a thought"));
        QVERIFY(store_->conversations().clearDraft("c1").hasValue());
        QVERIFY(!store_->conversations().draft("c1").value().has_value());
    }

    void accountDevicesAndAttachments()
    {
        AccountRepository& account = store_->account();
        QVERIFY(!account.profile().value().has_value());
        QVERIFY(!account.setProfile(ProfileInfo {}).hasValue()); // no user id
        QVERIFY(account.setProfile(ProfileInfo { "user-me", "Me", {}, 5 }).hasValue());
        QCOMPARE(account.profile().value()->displayName, QStringLiteral("Me"));
        QVERIFY(account.saveDevice(OwnDevice { 1, "laptop", QByteArray(33, 5), true, 1, std::nullopt }).hasValue());
        QVERIFY(account.saveDevice(OwnDevice { 2, "phone", QByteArray(33, 6), false, 2, std::nullopt }).hasValue());
        QVERIFY(account.revokeDevice(2, 10).hasValue());
        QCOMPARE(account.revokeDevice(2, 11).error().code, StoreErrorCode::NotFound);
        QCOMPARE(account.devices().value().size(), 1);
        QCOMPARE(account.devices(true).value().size(), 2);
        QCOMPARE(account.devices(true).value().at(1).revokedAt.value_or(0), 10);

        const Message m = message("c1", "see attached", 1);
        QVERIFY(store_->messages().insert(m).hasValue());
        QVERIFY(account.saveAttachment(Attachment { "a1", m.id, "manifest", "image/png", 1234, {}, {} }).hasValue());
        QVERIFY(account.setAttachmentState("a1", AttachmentState::Complete, "/tmp/a1.png").hasValue());
        auto attachments = account.attachments(m.id).value();
        QCOMPARE(attachments.size(), 1);
        QCOMPARE(attachments.first().localPath, QStringLiteral("/tmp/a1.png"));
        QCOMPARE(attachments.first().manifest, QByteArray("manifest"));
        QVERIFY(store_->messages().remove(m.id).hasValue()); // attachments go with the message
        QVERIFY(account.attachments(m.id).value().isEmpty());
    }

    void outboxInboxAndKeyValues()
    {
        OutboxItem item;
        item.kind = OutboxKind::ConversationAppend;
        item.messageId = "m1";
        item.payload = "ciphertext";
        item.createdAt = 1;
        const qint64 id = store_->outbox().enqueue(item).valueOr(0);
        QVERIFY(id > 0);
        QCOMPARE(store_->outbox().due(0, 10).value().size(), 1);
        QVERIFY(store_->outbox().reschedule(id, 5000, "offline").hasValue());
        QCOMPARE(store_->outbox().due(4999, 10).value().size(), 0);
        auto due = store_->outbox().due(5000, 10).value();
        QCOMPARE(due.first().attempts, 1);
        QCOMPARE(due.first().lastError, QStringLiteral("offline"));
        QVERIFY(store_->outbox().remove(id).hasValue());
        QCOMPARE(store_->outbox().size().valueOr(-1), 0);

        InboxEnvelope envelope;
        envelope.conversationId = "c1";
        envelope.serverSeq = 9;
        envelope.envelope = "sealed";
        const qint64 inboxId = store_->inbox().add(envelope).valueOr(0);
        QVERIFY(inboxId > 0);
        QCOMPARE(store_->inbox().add(envelope).valueOr(-1), 0); // redelivery ignored
        QCOMPARE(store_->inbox().pending(10).value().first().envelope, QByteArray("sealed"));
        QVERIFY(store_->inbox().remove(inboxId).hasValue());
        QCOMPARE(store_->inbox().size().valueOr(-1), 0);

        KeyValueRepository& kv = store_->keyValues();
        QVERIFY(kv.setSetting("theme", "dark").hasValue());
        QCOMPARE(kv.setting("theme").value().value_or(QByteArray()), QByteArray("dark"));
        QVERIFY(kv.setPluginState("poll", "votes", "3").hasValue());
        QCOMPARE(kv.pluginState("poll", "votes").value().value_or(QByteArray()), QByteArray("3"));
        QVERIFY(kv.clearPluginState("poll").hasValue());
        QVERIFY(!kv.pluginState("poll", "votes").value().has_value());
        QVERIFY(kv.advanceCursor("conv:c1", 10, 1).hasValue());
        QVERIFY(kv.advanceCursor("conv:c1", 7, 2).hasValue()); // never backwards
        QCOMPARE(kv.cursor("conv:c1").value().value_or(-1), 10);
        QVERIFY(kv.saveContact(Contact { "alice", "Alice", ContactTrust::Unverified, false }, 1).hasValue());
        QVERIFY(kv.setContactTrust("alice", ContactTrust::Verified, 2).hasValue());
        QCOMPARE(kv.contact("alice").value()->trust, ContactTrust::Verified);
        QCOMPARE(kv.setContactTrust("nobody", ContactTrust::Verified, 2).error().code, StoreErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(RepositoryTest)
#include "RepositoryTest.moc"
