// SPDX-License-Identifier: GPL-3.0-or-later
// Crash safety: a child process (this binary re-executed with --crash-child)
// is SIGKILLed in the middle of a large transaction, or right after it
// committed. The profile must open afterwards, pass an integrity check and
// hold either none or all of that transaction. Full-text indexing is
// deferred: committed rows are queued in fts_pending by the same transaction
// and indexed by the next open.

#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/core/store/Transaction.h"
#include "tenchat/core/store/Ulid.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cstdio>

using namespace tenchat::core::store;

namespace {

constexpr int kBatch = 20000;
constexpr const char* kPassphrase = "crash test passphrase";

ProfileStore::Options testOptions()
{
    ProfileStore::Options options;
    options.kdf = tenchat::crypto::Argon2Params::forTests();
    return options;
}

// Child: one big transaction; report progress on stdout, then wait to be killed.
int runChild(const QString& dir, const QString& mode)
{
    auto store = ProfileStore::open(dir, kPassphrase, testOptions());
    if (!store) {
        std::fprintf(stderr, "child open failed: %s\n", qPrintable(store.error().message));
        return 2;
    }
    Database& db = (*store)->database();
    // A small page cache forces the transaction to spill pages into the WAL
    // before commit: the hard case for recovery.
    (void)db.exec("PRAGMA cache_size = 50");
    UlidGenerator ulids;
    // The outer transaction holds every batch; insertBatch() nests inside it
    // as a savepoint, so this is the app's own write path.
    auto transaction = std::make_unique<Transaction>(db);
    if (!transaction->begun())
        return 3;
    const QString filler = QString(200, QLatin1Char('x'));
    for (int first = 0; first < kBatch; first += 1000) {
        QList<Message> batch;
        for (int i = first; i < first + 1000; ++i) {
            Message m;
            m.id = ulids.next();
            m.conversationId = QStringLiteral("crash");
            m.senderUserId = QStringLiteral("child");
            m.serverSeq = 1000 + i;
            m.sentAt = m.receivedAt = QDateTime::currentMSecsSinceEpoch();
            m.body = QStringLiteral("crash batch %1 %2").arg(i).arg(filler);
            batch.append(m);
        }
        if (auto inserted = (*store)->messages().insertBatch(batch); !inserted || *inserted != 1000)
            return 4;
    }
    if (mode == QLatin1String("commit")) {
        if (!transaction->commit())
            return 6;
        std::printf("COMMITTED\n");
    } else {
        std::printf("INSIDE\n");
    }
    std::fflush(stdout);
    for (;;)
        QThread::sleep(1); // SIGKILL arrives here
}

} // namespace

class CrashSafetyTest : public QObject {
    Q_OBJECT

    void killChildAndCheck(const QString& mode, const QByteArray& token, qint64 expectedBatchRows)
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("profile"));
        {
            auto store = ProfileStore::create(dir, kPassphrase, testOptions());
            QVERIFY2(store.hasValue(), store ? "" : qPrintable(store.error().message));
            Conversation c;
            c.id = QStringLiteral("crash");
            QVERIFY((*store)->conversations().save(c).hasValue());
            Message before;
            before.id = UlidGenerator().next();
            before.conversationId = c.id;
            before.serverSeq = 1;
            before.body = QStringLiteral("committed before the crash");
            QVERIFY((*store)->messages().insert(before).hasValue());
        }
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(), { QStringLiteral("--crash-child"), dir, mode });
        QVERIFY(child.waitForStarted());
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (!out.contains(token) && timer.elapsed() < 60000 && child.state() == QProcess::Running) {
            child.waitForReadyRead(200);
            out += child.readAllStandardOutput();
        }
        QVERIFY2(out.contains(token), out.constData());
        if (mode == QLatin1String("inside")) // the uncommitted transaction really reached the disk
            QVERIFY(QFileInfo(ProfileStore::databasePath(dir) + "-wal").size() > 1024 * 1024);
        child.kill(); // SIGKILL on Unix
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        {
            // Before any open indexes them: the committed rows are in the
            // messages table and queued in fts_pending (same transaction),
            // not yet in the full-text index (deferred to the SearchIndexer).
            auto key = ProfileStore::deriveKey(dir, kPassphrase);
            QVERIFY2(key.hasValue(), key ? "" : qPrintable(key.error().message));
            auto db = Database::open(ProfileStore::databasePath(dir), *key, false);
            QVERIFY2(db.hasValue(), db ? "" : qPrintable(db.error().message));
            auto queued = (*db)->prepare("SELECT count(*) FROM fts_pending");
            QVERIFY(queued.hasValue() && queued->step().valueOr(false));
            QCOMPARE(queued->int64(0), expectedBatchRows);
            auto indexed = (*db)->prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'batch'");
            QVERIFY(indexed.hasValue() && indexed->step().valueOr(false));
            QCOMPARE(indexed->int64(0), 0);
        }
        auto store = ProfileStore::open(dir, kPassphrase, testOptions());
        QVERIFY2(store.hasValue(), store ? "" : qPrintable(store.error().message));
        // open() indexed the leftovers of the crash.
        QCOMPARE((*store)->indexer().pendingCount().valueOr(-1), 0);
        auto check = (*store)->database().prepare("PRAGMA integrity_check");
        QVERIFY(check.hasValue() && check->step().valueOr(false));
        QCOMPARE(check->text(0), QStringLiteral("ok"));
        QCOMPARE((*store)->messages().count(QStringLiteral("crash")).valueOr(-1), 1 + expectedBatchRows);
        // The full-text index is consistent with the table.
        SearchIndex::Query query;
        query.text = QStringLiteral("batch");
        query.limit = kBatch + 10;
        QCOMPARE((*store)->search().search(query).valueOr(QList<SearchHit>()).size(), expectedBatchRows);
        auto fts = (*store)->database().prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'batch'");
        QVERIFY(fts.hasValue() && fts->step().valueOr(false));
        QCOMPARE(fts->int64(0), expectedBatchRows);
    }

private Q_SLOTS:
    void killedInsideTransactionKeepsNone() { killChildAndCheck("inside", "INSIDE", 0); }
    void killedAfterCommitKeepsAll() { killChildAndCheck("commit", "COMMITTED", kBatch); }
};

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 4 && QByteArray(argv[1]) == "--crash-child")
        return runChild(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3]));
    CrashSafetyTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "CrashSafetyTest.moc"
