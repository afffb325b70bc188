// SPDX-License-Identifier: GPL-3.0-or-later
// The SQLite storage: sequences, idempotent appends, atomic bundle
// consumption, cursors, retention, persistence across reopen.
#include "SqliteStorage.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tenchat::relay;

class SqliteStorageTest : public QObject {
    Q_OBJECT

private slots:
    void opensDataOfTheRelayWithTheTimeIndex()
    {
        // A data directory of an earlier relay has entries_by_time; opening
        // it drops the index and keeps working.
        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("relay.db")).toStdString();
        QVERIFY(SqliteStorage::open(path, false).hasValue());
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "CREATE INDEX entries_by_time ON entries(server_ms)", nullptr, nullptr, nullptr),
            SQLITE_OK);
        sqlite3_close(db);
        auto reopened = SqliteStorage::open(path, false);
        QVERIFY(reopened.hasValue());
        reopened.value().reset();
        QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        sqlite3_stmt* stmt = nullptr;
        QCOMPARE(sqlite3_prepare_v2(
                     db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'entries_by_time'", -1, &stmt, nullptr),
            SQLITE_OK);
        QCOMPARE(sqlite3_step(stmt), SQLITE_ROW);
        QCOMPARE(sqlite3_column_int(stmt, 0), 0);
        sqlite3_finalize(stmt);
        sqlite3_close(db);
    }

    void sequencesAndIdempotence()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("relay.db")).toStdString();
        {
            auto storage = SqliteStorage::open(path, false);
            QVERIFY(storage.hasValue());
            auto& s = **storage;
            ConversationRecord c { std::string(16, 'c'), 2, 0, 0, 1, {} };
            EntryRecord created;
            created.messageId = std::string(16, '0');
            created.bodyKind = EntryBodyKind::Membership;
            QVERIFY(s.createConversation(c, { { std::string(16, 'u'), 1, 1 } }, created).hasValue());
            QCOMPARE(created.seq, std::uint64_t { 1 });
            std::vector<EntryRecord> batch(3);
            for (int i = 0; i < 3; ++i) {
                batch[i].conversationId = c.id;
                batch[i].messageId = std::string(16, static_cast<char>('a' + i));
                batch[i].body = "ct" + std::to_string(i);
            }
            batch[2].messageId = batch[0].messageId; // a retry inside the batch
            std::vector<AppendOutcome> outcomes;
            QVERIFY(s.appendBatch(batch, outcomes, false).hasValue());
            QCOMPARE(outcomes[0].seq, std::uint64_t { 2 });
            QCOMPARE(outcomes[1].seq, std::uint64_t { 3 });
            QVERIFY(outcomes[2].duplicate);
            QCOMPARE(outcomes[2].seq, std::uint64_t { 2 });
            // Unknown conversation: that entry fails, the others commit.
            std::vector<EntryRecord> mixed(1);
            mixed[0].conversationId = std::string(16, 'x');
            mixed[0].messageId = std::string(16, 'z');
            QVERIFY(s.appendBatch(mixed, outcomes, false).hasValue());
            QVERIFY(outcomes[0].failed);
            QVERIFY(s.saveCursors({ { std::string(16, 'u'), 1, c.id, 3 } }).hasValue());
            QVERIFY(s.saveCursors({ { std::string(16, 'u'), 1, c.id, 2 } }).hasValue()); // never goes back
        }
        auto reopened = SqliteStorage::open(path, false);
        QVERIFY(reopened.hasValue());
        auto entries = (*reopened)->entriesAfter(std::string(16, 'c'), 0, 0, 100, 0);
        QVERIFY(entries.hasValue());
        QCOMPARE(entries->size(), std::size_t { 3 });
        QCOMPARE(entries->back().body, std::string("ct1"));
        auto cursors = (*reopened)->cursors(std::string(16, 'u'), 1);
        QVERIFY(cursors.hasValue());
        QCOMPARE(cursors->at(std::string(16, 'c')), std::uint64_t { 3 });
    }

    void bundlesAndRetention()
    {
        QTemporaryDir dir;
        auto storage = SqliteStorage::open(dir.filePath(QStringLiteral("relay.db")).toStdString(), false);
        QVERIFY(storage.hasValue());
        auto& s = **storage;
        DeviceRecord device { std::string(16, 'u'), 1, std::string(33, '\5'), 5, "d", 1, 0 };
        QVERIFY(s.createAccount("someone", device).hasValue());
        QCOMPARE(s.createAccount("someone", device).error().code, StorageErrorCode::Conflict);
        auto count = s.uploadPreKeys(device.userId, 1, SignedPreKeyRecord { 1, "spk", "sig", 1 },
            { { 1, "k1" }, { 2, "k2" }, { 2, "dup" } }, false);
        QVERIFY(count.hasValue());
        QCOMPARE(*count, 2u);
        auto first = s.takeBundle(device);
        auto second = s.takeBundle(device);
        auto third = s.takeBundle(device);
        QVERIFY(first.hasValue() && second.hasValue() && third.hasValue());
        QCOMPARE(first->oneTimePreKey->keyId, 1u);
        QCOMPARE(second->oneTimePreKey->keyId, 2u);
        QVERIFY(!third->oneTimePreKey.has_value());
        QVERIFY(third->signedPreKey.has_value());

        ConversationRecord c { std::string(16, 'e'), 2, 1, 0, 1, {} };
        EntryRecord created;
        created.messageId = std::string(16, '0');
        created.serverMs = 1000;
        created.expiresMs = 2000;
        QVERIFY(s.createConversation(c, { { device.userId, 1, 1 } }, created).hasValue());
        auto removed = s.purgeExpired(2500, 0);
        QVERIFY(removed.hasValue());
        QCOMPARE(*removed, std::uint64_t { 1 });
    }
};

QTEST_GUILESS_MAIN(SqliteStorageTest)
#include "SqliteStorageTest.moc"
