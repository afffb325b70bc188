// SPDX-License-Identifier: GPL-3.0-or-later
// Profile lifecycle: keys, errors that leave the files untouched, encryption
// at rest (checked with the sqlcipher shell), migrations, ProtocolStore.

#include "StoreTestSupport.h"

#include "tenchat/core/store/Migrations.h"
#include "tenchat/core/store/ProfileHeader.h"
#include "tenchat/crypto/Bytes.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUuid>

using namespace storetest;
using tenchat::crypto::Bytes;

class ProfileStoreTest : public QObject {
    Q_OBJECT

private:
    QString newProfile(QTemporaryDir& tmp, const char* passphrase = "correct horse")
    {
        const QString dir = tmp.filePath(QStringLiteral("profile"));
        auto store = ProfileStore::create(dir, passphrase, fastOptions());
        if (!store)
            qFatal("create failed: %s", qPrintable(store.error().message));
        QVERIFY_RESULT((*store)->conversations().save(conversation("c1")));
        QVERIFY_RESULT((*store)->messages().insert(message("c1", QStringLiteral("hello"), 1)));
        return dir;
    }

    static void QVERIFY_RESULT(const StoreOk& ok)
    {
        if (!ok)
            QFAIL(qPrintable(ok.error().message));
    }
    template <class T> static void QVERIFY_RESULT(const StoreExpected<T>& ok)
    {
        if (!ok)
            QFAIL(qPrintable(ok.error().message));
    }

    static tenchat::crypto::SecretBytes rawKey(const QString& dir, const char* passphrase)
    {
        auto header = ProfileHeader::read(ProfileStore::headerPath(dir));
        if (!header)
            qFatal("header: %s", qPrintable(header.error().message));
        auto key = header->derive(passphrase);
        if (!key)
            qFatal("derive: %s", qPrintable(key.error().message));
        return std::move(key->databaseKey);
    }

private Q_SLOTS:
    void createAndReopen()
    {
        QTemporaryDir tmp;
        const QString dir = newProfile(tmp);
        auto store = ProfileStore::open(dir, "correct horse", fastOptions());
        QVERIFY2(store.hasValue(), store ? "" : qPrintable(store.error().message));
        QCOMPARE((*store)->database().userVersion().valueOr(-1), Migrations::latestVersion());
        QCOMPARE((*store)->messages().count().valueOr(-1), 1);
        // Pinned cipher settings: 4 KiB pages on any SQLCipher version.
        auto pageSize = (*store)->database().prepare("PRAGMA cipher_page_size");
        QVERIFY(pageSize.hasValue());
        QVERIFY(pageSize->step().valueOr(false));
        QCOMPARE(pageSize->int32(0), 4096);
        QVERIFY(!(*store)->database().cipherVersion().isEmpty());
        // create() refuses to overwrite.
        auto again = ProfileStore::create(dir, "x", fastOptions());
        QVERIFY(!again);
        QCOMPARE(again.error().code, StoreErrorCode::AlreadyExists);
    }

    void wrongPassphraseLeavesFilesUntouched()
    {
        QTemporaryDir tmp;
        const QString dir = newProfile(tmp);
        const auto before = snapshot(dir);
        QVERIFY(before.contains("profile.db") && before.contains("profile.header"));
        auto store = ProfileStore::open(dir, "wrong horse", fastOptions());
        QVERIFY(!store);
        QCOMPARE(store.error().code, StoreErrorCode::WrongPassphrase);
        QCOMPARE(snapshot(dir), before);
    }

    void damagedHeaderLeavesFilesUntouched_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("flipped salt byte") << 0;
        QTest::newRow("truncated") << 1;
        QTest::newRow("garbage") << 2;
        QTest::newRow("missing") << 3;
    }

    void damagedHeaderLeavesFilesUntouched()
    {
        QFETCH(int, kind);
        QTemporaryDir tmp;
        const QString dir = newProfile(tmp);
        const QString headerPath = ProfileStore::headerPath(dir);
        QFile file(headerPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray content = file.readAll();
        file.close();
        if (kind == 0) {
            QJsonObject root = QJsonDocument::fromJson(content).object();
            QJsonObject kdf = root["kdf"].toObject();
            QByteArray salt = QByteArray::fromBase64(kdf["salt"].toString().toLatin1());
            salt[0] = static_cast<char>(salt[0] ^ 0x01);
            kdf["salt"] = QString::fromLatin1(salt.toBase64());
            root["kdf"] = kdf;
            content = QJsonDocument(root).toJson();
        } else if (kind == 1) {
            content.truncate(content.size() / 2);
        } else if (kind == 2) {
            content = QByteArray(300, '\x7f');
        }
        if (kind == 3) {
            QVERIFY(QFile::remove(headerPath));
        } else {
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(content);
            file.close();
        }
        const auto before = snapshot(dir);
        auto store = ProfileStore::open(dir, "correct horse", fastOptions());
        QVERIFY(!store);
        QCOMPARE(store.error().code, StoreErrorCode::DamagedHeader);
        QCOMPARE(snapshot(dir), before);
    }

    void damagedDatabaseLeavesFilesUntouched()
    {
        QTemporaryDir tmp;
        const QString dir = newProfile(tmp);
        QFile db(ProfileStore::databasePath(dir));
        QVERIFY(db.open(QIODevice::ReadWrite));
        QVERIFY(db.seek(100)); // inside page 1: its HMAC no longer verifies
        db.write(QByteArray(64, '\0'));
        db.close();
        const auto before = snapshot(dir);
        auto store = ProfileStore::open(dir, "correct horse", fastOptions());
        QVERIFY(!store);
        QCOMPARE(store.error().code, StoreErrorCode::DamagedDatabase);
        QCOMPARE(snapshot(dir), before);
    }

    void newerSchemaLeavesFilesUntouched()
    {
        QTemporaryDir tmp;
        const QString dir = newProfile(tmp);
        {
            auto key = rawKey(dir, "correct horse");
            auto db = Database::open(ProfileStore::databasePath(dir), key, false);
            QVERIFY(db.hasValue());
            QVERIFY((*db)->setUserVersion(Migrations::latestVersion() + 1).hasValue());
        }
        const auto before = snapshot(dir);
        auto store = ProfileStore::open(dir, "correct horse", fastOptions());
        QVERIFY(!store);
        QCOMPARE(store.error().code, StoreErrorCode::SchemaTooNew);
        QVERIFY(store.error().message.contains(QString::number(Migrations::latestVersion() + 1)));
        QCOMPARE(snapshot(dir), before);
    }

    void rekey()
    {
        QTemporaryDir tmp;
        const QString dir = newProfile(tmp);
        {
            auto store = ProfileStore::open(dir, "correct horse", fastOptions());
            QVERIFY(store.hasValue());
            // A wrong old passphrase changes nothing.
            const auto before = snapshot(dir);
            auto refused = (*store)->changePassphrase("not it", "new secret");
            QVERIFY(!refused);
            QCOMPARE(refused.error().code, StoreErrorCode::WrongPassphrase);
            QCOMPARE(snapshot(dir).value("profile.header"), before.value("profile.header"));
            QVERIFY((*store)->changePassphrase("correct horse", "new secret").hasValue());
            // Still usable after the re-key.
            QVERIFY((*store)->messages().insert(message("c1", QStringLiteral("after rekey"), 2)).hasValue());
        }
        QVERIFY(!QFile::exists(ProfileStore::pendingHeaderPath(dir)));
        const auto before = snapshot(dir);
        auto old = ProfileStore::open(dir, "correct horse", fastOptions());
        QVERIFY(!old);
        QCOMPARE(old.error().code, StoreErrorCode::WrongPassphrase);
        QCOMPARE(snapshot(dir), before);
        auto reopened = ProfileStore::open(dir, "new secret", fastOptions());
        QVERIFY2(reopened.hasValue(), reopened ? "" : qPrintable(reopened.error().message));
        QCOMPARE((*reopened)->messages().count().valueOr(-1), 2);
    }

    void interruptedRekeyIsRecovered()
    {
        // A crash after the database was re-keyed but before the header was
        // replaced leaves profile.header.pending: open() must find the key there.
        QTemporaryDir tmp;
        const QString dir = newProfile(tmp);
        {
            auto store = ProfileStore::open(dir, "correct horse", fastOptions());
            QVERIFY(store.hasValue());
            QFile header(ProfileStore::headerPath(dir));
            QVERIFY(header.open(QIODevice::ReadOnly));
            const QByteArray oldHeader = header.readAll();
            header.close();
            QVERIFY((*store)->changePassphrase("correct horse", "new secret").hasValue());
            // Put the state back to "pending not yet promoted".
            QVERIFY(QFile::rename(ProfileStore::headerPath(dir), ProfileStore::pendingHeaderPath(dir)));
            QVERIFY(header.open(QIODevice::WriteOnly));
            header.write(oldHeader);
        }
        auto store = ProfileStore::open(dir, "new secret", fastOptions());
        QVERIFY2(store.hasValue(), store ? "" : qPrintable(store.error().message));
        QVERIFY(!QFile::exists(ProfileStore::pendingHeaderPath(dir)));
        store = {};
        QVERIFY(ProfileStore::open(dir, "new secret", fastOptions()).hasValue());
    }

    void openWithDerivedOrKeychainKey()
    {
        QTemporaryDir tmp;
        const QString dir = newProfile(tmp);
        QCOMPARE(ProfileStore::deriveKey(dir, "wrong").error().code, StoreErrorCode::WrongPassphrase);
        auto key = ProfileStore::deriveKey(dir, "correct horse");
        QVERIFY(key.hasValue());
        QCOMPARE(key->size(), std::size_t(32));
        {
            auto store = ProfileStore::openWithKey(dir, *key, fastOptions());
            QVERIFY2(store.hasValue(), store ? "" : qPrintable(store.error().message));
            QCOMPARE((*store)->messages().count().valueOr(-1), 1);
        }
        tenchat::crypto::SecretBytes other(32);
        for (std::size_t i = 0; i < other.size(); ++i)
            other.data()[i] = static_cast<std::uint8_t>(i);
        const auto before = snapshot(dir);
        auto refused = ProfileStore::openWithKey(dir, other, fastOptions());
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, StoreErrorCode::DamagedDatabase);
        QCOMPARE(snapshot(dir), before);
    }

    void noPlaintextAtRest()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("profile"));
        const QByteArray marker = "MARKER-" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        auto store = ProfileStore::create(dir, "correct horse", fastOptions());
        QVERIFY(store.hasValue());
        Conversation c = conversation("secret-chat");
        c.title = QString::fromLatin1(marker + "-title");
        QVERIFY((*store)->conversations().save(c).hasValue());
        for (int i = 0; i < 50; ++i)
            QVERIFY(
                (*store)
                    ->messages()
                    .insert(message("secret-chat", QString::fromLatin1(marker) + " body " + QString::number(i), i + 1))
                    .hasValue());
        QVERIFY((*store)->conversations().saveDraft("secret-chat", QString::fromLatin1(marker), {}, 1).hasValue());
        auto checkNoMarker = [&](const char* when) {
            const auto files = snapshot(dir);
            QVERIFY2(files.contains("profile.db"), when);
            for (auto it = files.begin(); it != files.end(); ++it)
                QVERIFY2(!it.value().contains(marker), qPrintable(it.key() + " contains the marker " + when));
        };
        // While open: the WAL holds the recent pages.
        QVERIFY(snapshot(dir).contains("profile.db-wal"));
        checkNoMarker("while open");
        store = {};
        checkNoMarker("after close");

        // The sqlcipher shell opens it with the raw key and the pinned settings.
        const QString shell = QStandardPaths::findExecutable(QStringLiteral("sqlcipher"));
        QVERIFY2(!shell.isEmpty(), "the sqlcipher shell (Debian package sqlcipher) is required");
        auto key = rawKey(dir, "correct horse");
        QProcess process;
        process.start(shell, { ProfileStore::databasePath(dir) });
        QVERIFY(process.waitForStarted());
        const QByteArray script = "PRAGMA key = \"x'" + QByteArray::fromStdString(tenchat::crypto::toHex(key.view()))
            + "'\";\nPRAGMA cipher_page_size = 4096;\nSELECT count(*) FROM messages;\nSELECT body FROM messages "
              "ORDER BY sort_seq LIMIT 1;\n.quit\n";
        process.write(script);
        process.closeWriteChannel();
        QVERIFY(process.waitForFinished(20000));
        const QByteArray out = process.readAllStandardOutput();
        QCOMPARE(process.exitCode(), 0);
        QVERIFY2(out.contains("50\n"), out.constData());
        QVERIFY2(out.contains(marker + " body 0"), out.constData());
    }

    void migratesEveryEarlierVersion()
    {
        const int latest = Migrations::latestVersion();
        QVERIFY(latest >= 2);
        for (int version = 1; version < latest; ++version) {
            QTemporaryDir tmp;
            const QString dir = tmp.filePath(QStringLiteral("profile"));
            {
                // A fixture of the old version, built from the migration list itself.
                ProfileStore::Options old = fastOptions();
                old.schemaVersion = version;
                auto store = ProfileStore::create(dir, "pw", old);
                QVERIFY2(store.hasValue(), store ? "" : qPrintable(store.error().message));
                Database& db = (*store)->database();
                QCOMPARE(db.userVersion().valueOr(-1), version);
                auto tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('messages_fts', 'inbox')");
                QVERIFY(tables.hasValue() && tables->step().valueOr(false));
                QCOMPARE(tables->int32(0), (version >= 2 ? 1 : 0) + (version >= 3 ? 1 : 0));
                // Rows written with version-1 SQL, as an old build would have.
                QVERIFY(
                    db.exec("INSERT INTO conversations (id, type, title, created_at) VALUES ('old', 0, 'Old', 1);"
                            "INSERT INTO messages (id, conversation_id, sender_user_id, sender_device_id, "
                            "server_seq, sort_seq, sent_at, received_at, body) VALUES ('01HZZZZZZZZZZZZZZZZZZZZZZZ', "
                            "'old', 'u', 1, 7, 7, 1000, 1000, 'archaeology of version one');")
                        .hasValue());
                // From version 4 on the writer queues new rows for indexing itself.
                if (version >= 4)
                    QVERIFY(
                        db.exec("INSERT INTO fts_pending (rid) SELECT rid FROM messages WHERE conversation_id = 'old'")
                            .hasValue());
            }
            auto store = ProfileStore::open(dir, "pw", fastOptions());
            QVERIFY2(store.hasValue(), store ? "" : qPrintable(store.error().message));
            QCOMPARE((*store)->database().userVersion().valueOr(-1), latest);
            auto page = (*store)->messages().page("old", std::nullopt, 10);
            QVERIFY(page.hasValue());
            QCOMPARE(page->size(), 1);
            QCOMPARE(page->first().body, QStringLiteral("archaeology of version one"));
            // Migration 2 indexed the existing message; migration 3 added the inbox.
            SearchIndex::Query query;
            query.text = QStringLiteral("archaeology");
            auto hits = (*store)->search().search(query);
            QVERIFY(hits.hasValue());
            QCOMPARE(hits->size(), 1);
            InboxEnvelope envelope;
            envelope.envelope = "x";
            envelope.serverSeq = 1;
            QVERIFY((*store)->inbox().add(envelope).valueOr(0) > 0);
            // Migration 5 dropped two indexes; the outbox still reads in id order.
            auto dropped = (*store)->database().prepare(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('outbox_due', 'conversations_recency')");
            QVERIFY(dropped.hasValue() && dropped->step().valueOr(false));
            QCOMPARE(dropped->int32(0), 0);
            OutboxItem later;
            later.kind = OutboxKind::ConversationAppend;
            later.payload = "b";
            later.nextAttemptAt = 5;
            OutboxItem first = later;
            first.payload = "a";
            first.nextAttemptAt = 9;
            QVERIFY((*store)->outbox().enqueue(first).hasValue());
            QVERIFY((*store)->outbox().enqueue(later).hasValue());
            auto due = (*store)->outbox().due(10, 10);
            QVERIFY(due.hasValue() && due->size() == 2);
            QCOMPARE(due->at(0).payload, QByteArray("a"));
            QCOMPARE((*store)->outbox().due(6, 10).valueOr(QList<OutboxItem>()).size(), 1);
        }
    }

    void migrationStepsAreNumberedInOrder()
    {
        int expected = 1;
        for (const auto& step : Migrations::steps())
            QCOMPARE(step.version, expected++);
    }

    void protocolStoreRoundTripAndReopen()
    {
        using namespace tenchat::crypto;
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("profile"));
        const ProtocolAddress alice { "alice", 1 };
        const ProtocolAddress alice2 { "alice", 2 };
        const SenderKeyName group { "group-1", alice };
        const Bytes identityKey(33, 0x05);
        Bytes privateKey(32);
        for (std::size_t i = 0; i < privateKey.size(); ++i)
            privateKey[i] = static_cast<std::uint8_t>(i * 7 + 1);
        {
            auto store = ProfileStore::create(dir, "pw", fastOptions());
            QVERIFY(store.hasValue());
            SqlProtocolStore& ps = (*store)->protocolStore();
            QVERIFY(!ps.localIdentity()); // none yet: a failure, not garbage
            LocalIdentity local { identityKey, SecretBytes(ByteView(privateKey)), 4242 };
            QVERIFY(ps.setLocalIdentity(local).hasValue());
            QVERIFY(!ps.loadIdentity(alice).value().has_value());
            QVERIFY(ps.saveIdentity(alice, IdentityRecord { Bytes(33, 0x05), TrustState::Unverified }).hasValue());
            QVERIFY(ps.saveIdentity(alice, IdentityRecord { Bytes(33, 0x06), TrustState::Changed }).hasValue());
            QVERIFY(ps.storeSession(alice, asBytes("session-1")).hasValue());
            QVERIFY(ps.storeSession(alice2, asBytes("session-2")).hasValue());
            QVERIFY(ps.storeSession({ "bob", 1 }, asBytes("session-bob")).hasValue());
            QVERIFY(ps.storePreKey(1, asBytes("prekey-1")).hasValue());
            QVERIFY(ps.storePreKey(2, asBytes("prekey-2")).hasValue());
            QVERIFY(ps.removePreKey(2).hasValue());
            QVERIFY(ps.storeSignedPreKey(9, asBytes("signed-9")).hasValue());
            QVERIFY(ps.storeSenderKey(group, asBytes("sender-key")).hasValue());
        }
        auto store = ProfileStore::open(dir, "pw", fastOptions());
        QVERIFY(store.hasValue());
        SqlProtocolStore& ps = (*store)->protocolStore();
        auto local = ps.localIdentity();
        QVERIFY(local.hasValue());
        QCOMPARE(local->publicKey, identityKey);
        QVERIFY(local->privateKey.equals(privateKey));
        QCOMPARE(local->registrationId, 4242u);
        auto identity = ps.loadIdentity(alice);
        QVERIFY(identity.hasValue() && identity->has_value());
        QCOMPARE((*identity)->publicKey, Bytes(33, 0x06));
        QCOMPARE((*identity)->trust, TrustState::Changed);
        QCOMPARE(toString(*ps.loadSession(alice).value()), std::string("session-1"));
        QVERIFY(ps.containsSession(alice2).value());
        QCOMPARE(ps.subDeviceSessions("alice").value(), (std::vector<std::int32_t> { 1, 2 }));
        QVERIFY(ps.deleteSession(alice2).hasValue());
        QVERIFY(!ps.containsSession(alice2).value());
        QCOMPARE(ps.deleteAllSessions("alice").value(), 1);
        QVERIFY(ps.containsSession({ "bob", 1 }).value());
        QCOMPARE(toString(*ps.loadPreKey(1).value()), std::string("prekey-1"));
        QVERIFY(!ps.containsPreKey(2).value());
        QVERIFY(!ps.loadPreKey(2).value().has_value());
        QVERIFY(ps.containsSignedPreKey(9).value());
        QCOMPARE(toString(*ps.loadSignedPreKey(9).value()), std::string("signed-9"));
        QVERIFY(ps.removeSignedPreKey(9).hasValue());
        QVERIFY(!ps.containsSignedPreKey(9).value());
        QCOMPARE(toString(*ps.loadSenderKey(group).value()), std::string("sender-key"));
        QVERIFY(!ps.loadSenderKey({ "group-2", alice }).value().has_value());
    }

    void auditLogIsAppendOnly()
    {
        QTemporaryDir tmp;
        const QString dir = newProfile(tmp);
        auto store = ProfileStore::open(dir, "correct horse", fastOptions());
        QVERIFY(store.hasValue());
        QVERIFY((*store)->audit("device.added", "device 2").hasValue());
        QVERIFY(!(*store)->database().exec("DELETE FROM audit_log").hasValue());
        QVERIFY(!(*store)->database().exec("UPDATE audit_log SET event = 'x'").hasValue());
        auto count = (*store)->database().prepare("SELECT count(*) FROM audit_log");
        QVERIFY(count.hasValue() && count->step().valueOr(false));
        QVERIFY(count->int32(0) >= 2); // profile.created + device.added
    }
};

QTEST_GUILESS_MAIN(ProfileStoreTest)
#include "ProfileStoreTest.moc"
