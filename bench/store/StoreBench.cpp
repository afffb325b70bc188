// SPDX-License-Identifier: GPL-3.0-or-later
// Encrypted store benchmark; prints one JSON object.
//
//  1. insert: N messages in batches through MessageRepository, keyed
//     SQLCipher beside the same code on plain SQLite. Full-text indexing is
//     deferred (the insert transaction only queues row ids in fts_pending),
//     so it is measured apart: the SearchIndexer draining that queue in its
//     own transactions, and the total of insert + index;
//  2. search: FTS4 median query time for a rare and a common word over a
//     profile of M messages;
//  3. open: open that profile with its key (after key derivation, timed
//     apart) and load the first timeline page.
//
// Sizes: --insert N (200000) --profile M (1000000) --batch B (5000)
//        --queries Q (21) --dir D (a temporary directory)

#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/core/store/Ulid.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

using namespace tenchat::core::store;

namespace {

constexpr int kConversations = 100;
constexpr const char* kRareWord = "xylophonist"; // in one message of every 100,000
constexpr const char* kCommonWord = "meeting"; // in roughly one message of three

[[noreturn]] void die(const QString& what, const StoreError& error)
{
    std::fprintf(stderr, "%s: %s\n", qPrintable(what), qPrintable(error.message));
    std::exit(1);
}

// A deterministic corpus: words drawn from a Zipf-like distribution over a
// synthetic vocabulary, so that FTS doclists look like real chat text.
class Corpus {
public:
    Corpus() : random_(42)
    {
        static const char* syllables[]
            = { "ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "en", "dar", "pel", "qu", "ost", "ber", "fi", "zan" };
        for (int i = 0; i < 20000; ++i) {
            QString word;
            int n = i;
            do {
                word += QLatin1String(syllables[n % 16]);
                n /= 16;
            } while (n > 0);
            words_.append(word);
        }
    }

    QString body(qint64 index)
    {
        const int length = 4 + static_cast<int>(random_.bounded(16));
        QStringList parts;
        for (int i = 0; i < length; ++i) {
            // Zipf-ish: rank = floor(exp(u * ln(V))) favours small ranks.
            const double u = random_.generateDouble();
            const int rank = std::min(static_cast<int>(std::exp(u * std::log(20000.0))) - 1, 19999);
            parts.append(words_.at(rank));
        }
        if (random_.bounded(3) == 0)
            parts.insert(static_cast<int>(random_.bounded(parts.size())), QLatin1String(kCommonWord));
        if (index % 100000 == 4242)
            parts.append(QLatin1String(kRareWord));
        return parts.join(QLatin1Char(' '));
    }

private:
    QRandomGenerator random_;
    QStringList words_;
};

QList<Message> makeBatch(Corpus& corpus, UlidGenerator& ulids, qint64 first, int count, qint64 total)
{
    QList<Message> batch;
    batch.reserve(count);
    const qint64 base = 1700000000000;
    for (qint64 i = first; i < first + count; ++i) {
        Message m;
        m.id = ulids.next(static_cast<std::uint64_t>(base + i * 10));
        m.conversationId = QStringLiteral("conv-%1").arg(i % kConversations);
        m.senderUserId = QStringLiteral("user-%1").arg(i % 7);
        m.senderDeviceId = 1;
        m.outgoing = (i % 7) == 0;
        m.serverSeq = i / kConversations + 1;
        m.lamport = i;
        m.sentAt = m.receivedAt = base + i * 10;
        m.delivery = DeliveryState::Read;
        m.read = i < total - 2000; // the last messages are unread
        m.body = corpus.body(i);
        batch.append(std::move(m));
    }
    return batch;
}

void addConversations(ProfileStore& store)
{
    for (int c = 0; c < kConversations; ++c) {
        Conversation conversation;
        conversation.id = QStringLiteral("conv-%1").arg(c);
        conversation.title = QStringLiteral("Conversation %1").arg(c);
        conversation.type = c % 5 == 0 ? ConversationType::Group : ConversationType::Direct;
        if (auto saved = store.conversations().save(conversation); !saved)
            die("save conversation", saved.error());
    }
}

double cpuSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Rate {
    double wall = 0; // messages per wall-clock second
    double cpu = 0; // messages per CPU second of this (single-threaded) process
};

struct InsertRates {
    Rate insert; // insertBatch only (indexing deferred: row ids queued)
    Rate index; // SearchIndexer::drain of the queue the inserts left
    Rate total; // insert + index, the cost of a searchable message
};

Rate rateOf(qint64 count, double wallSeconds, double cpuSeconds)
{
    return Rate { static_cast<double>(count) / wallSeconds, static_cast<double>(count) / cpuSeconds };
}

// Inserts `total` messages in batches, then lets the SearchIndexer index
// them. CPU time is reported beside wall time because the benchmark machine
// is shared: CPU time is what the store costs, wall time also counts waiting
// for other processes.
InsertRates insertAll(ProfileStore& store, qint64 total, int batchSize)
{
    Corpus corpus;
    UlidGenerator ulids;
    addConversations(store);
    // Bodies are generated outside the timed region.
    QList<QList<Message>> batches;
    for (qint64 i = 0; i < total; i += batchSize)
        batches.append(makeBatch(corpus, ulids, i, static_cast<int>(std::min<qint64>(batchSize, total - i)), total));
    QElapsedTimer timer;
    timer.start();
    const double cpuStart = cpuSeconds();
    for (const auto& batch : batches) {
        auto inserted = store.messages().insertBatch(batch);
        if (!inserted)
            die("insert", inserted.error());
    }
    const double insertCpu = cpuSeconds() - cpuStart;
    const double insertWall = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    auto indexed = store.indexer().drain();
    if (!indexed)
        die("index", indexed.error());
    if (*indexed != total)
        die("index", StoreError { StoreErrorCode::Sql, QStringLiteral("indexed %1 of %2").arg(*indexed).arg(total) });
    const double totalCpu = cpuSeconds() - cpuStart;
    const double totalWall = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    return InsertRates { rateOf(total, insertWall, insertCpu),
        rateOf(total, totalWall - insertWall, totalCpu - insertCpu), rateOf(total, totalWall, totalCpu) };
}

tenchat::crypto::SecretBytes randomKey()
{
    tenchat::crypto::SecretBytes key(32);
    QRandomGenerator::system()->generate(key.data(), key.data() + key.size());
    return key;
}

std::unique_ptr<ProfileStore> attachAt(const QString& path, const tenchat::crypto::SecretBytes& key)
{
    auto db = Database::open(path, key, true);
    if (!db)
        die("open " + path, db.error());
    ProfileStore::Options options;
    options.expireOnOpen = false;
    auto store = ProfileStore::attach(std::move(*db), options);
    if (!store)
        die("attach " + path, store.error());
    return std::move(*store);
}

double medianMs(QList<double> samples)
{
    std::sort(samples.begin(), samples.end());
    return samples.at(samples.size() / 2);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    qint64 insertCount = 200000;
    qint64 profileCount = 1000000;
    int batchSize = 5000;
    int queries = 21;
    QString baseDir;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        const QString& flag = args.at(i);
        const QString& value = args.at(i + 1);
        if (flag == QLatin1String("--insert"))
            insertCount = value.toLongLong();
        else if (flag == QLatin1String("--profile"))
            profileCount = value.toLongLong();
        else if (flag == QLatin1String("--batch"))
            batchSize = std::max(1, value.toInt());
        else if (flag == QLatin1String("--queries"))
            queries = std::max(1, value.toInt());
        else if (flag == QLatin1String("--dir"))
            baseDir = value;
    }
    QTemporaryDir tmp(
        baseDir.isEmpty() ? QDir::tempPath() + "/tenchat-store-bench-XXXXXX" : baseDir + "/tenchat-store-bench-XXXXXX");
    if (!tmp.isValid()) {
        std::fprintf(stderr, "cannot create a temporary directory\n");
        return 1;
    }
    QJsonObject result;
    result["machine"]
        = QJsonObject { { "cpus", QThread::idealThreadCount() }, { "os", QSysInfo::prettyProductName() } };

    // 1. Insert throughput, keyed vs plain, same code path.
    {
        tenchat::crypto::SecretBytes none;
        auto plain = attachAt(tmp.filePath("plain.db"), none);
        const InsertRates plainRate = insertAll(*plain, insertCount, batchSize);
        plain.reset();
        auto keyed = attachAt(tmp.filePath("keyed.db"), randomKey());
        const QString cipherVersion = keyed->database().cipherVersion();
        const InsertRates keyedRate = insertAll(*keyed, insertCount, batchSize);
        keyed.reset();
        const auto ratio
            = [](double plainRate, double keyedRate) { return std::round(plainRate / keyedRate * 100) / 100; };
        // "insert": insertBatch alone (indexing deferred to the SearchIndexer).
        result["insert"] = QJsonObject { { "messages", insertCount }, { "batch", batchSize },
            { "fts_indexing", "deferred (row ids queued in the insert transaction)" },
            { "keyed_msgs_per_s", std::round(keyedRate.insert.wall) },
            { "plain_msgs_per_s", std::round(plainRate.insert.wall) },
            { "keyed_msgs_per_cpu_s", std::round(keyedRate.insert.cpu) },
            { "plain_msgs_per_cpu_s", std::round(plainRate.insert.cpu) },
            { "keyed_slowdown", ratio(plainRate.insert.wall, keyedRate.insert.wall) },
            { "keyed_slowdown_cpu", ratio(plainRate.insert.cpu, keyedRate.insert.cpu) },
            { "sqlcipher", cipherVersion } };
        // "index": the SearchIndexer draining the queue those inserts left
        // (batches of SearchIndexer::kDefaultBatchSize, one transaction each).
        result["index"] = QJsonObject { { "messages", insertCount }, { "batch", SearchIndexer::kDefaultBatchSize },
            { "keyed_msgs_per_s", std::round(keyedRate.index.wall) },
            { "plain_msgs_per_s", std::round(plainRate.index.wall) },
            { "keyed_msgs_per_cpu_s", std::round(keyedRate.index.cpu) },
            { "plain_msgs_per_cpu_s", std::round(plainRate.index.cpu) } };
        // "insert_and_index": a searchable message end to end.
        result["insert_and_index"]
            = QJsonObject { { "messages", insertCount }, { "keyed_msgs_per_s", std::round(keyedRate.total.wall) },
                  { "plain_msgs_per_s", std::round(plainRate.total.wall) },
                  { "keyed_msgs_per_cpu_s", std::round(keyedRate.total.cpu) },
                  { "plain_msgs_per_cpu_s", std::round(plainRate.total.cpu) },
                  { "keyed_slowdown", ratio(plainRate.total.wall, keyedRate.total.wall) },
                  { "keyed_slowdown_cpu", ratio(plainRate.total.cpu, keyedRate.total.cpu) } };
        QFile::remove(tmp.filePath("plain.db"));
        QFile::remove(tmp.filePath("keyed.db"));
    }

    // 2. A large profile (created like the app does) for search and open.
    const QString profileDir = tmp.filePath("profile");
    const char* passphrase = "benchmark passphrase";
    {
        ProfileStore::Options options; // interactive Argon2id parameters, as in the app
        auto store = ProfileStore::create(profileDir, passphrase, options);
        if (!store)
            die("create profile", store.error());
        QElapsedTimer fill;
        fill.start();
        const InsertRates rate = insertAll(**store, profileCount, 5000); // indexed too
        (void)(*store)->database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        result["profile"]
            = QJsonObject { { "messages", profileCount }, { "fill_msgs_per_s", std::round(rate.total.wall) },
                  { "db_bytes", QFileInfo(ProfileStore::databasePath(profileDir)).size() } };
    }
    {
        QElapsedTimer kdf;
        kdf.start();
        auto key = ProfileStore::deriveKey(profileDir, passphrase);
        if (!key)
            die("derive", key.error());
        const double kdfMs = static_cast<double>(kdf.nsecsElapsed()) / 1e6;

        QElapsedTimer open;
        open.start();
        const double openCpu = cpuSeconds();
        ProfileStore::Options options;
        auto store = ProfileStore::openWithKey(profileDir, *key, options);
        if (!store)
            die("open profile", store.error());
        const double openMs = static_cast<double>(open.nsecsElapsed()) / 1e6;
        auto page = (*store)->messages().page(QStringLiteral("conv-0"), std::nullopt, 50);
        if (!page)
            die("page", page.error());
        const double firstPageMs = static_cast<double>(open.nsecsElapsed()) / 1e6;
        const double firstPageCpuMs = (cpuSeconds() - openCpu) * 1e3;
        QElapsedTimer list;
        list.start();
        auto summaries = (*store)->conversations().summaries();
        if (!summaries)
            die("summaries", summaries.error());
        const double listMs = static_cast<double>(list.nsecsElapsed()) / 1e6;
        result["open"]
            = QJsonObject { { "kdf_ms", kdfMs }, { "open_ms", openMs }, { "open_and_first_page_ms", firstPageMs },
                  { "open_and_first_page_cpu_ms", firstPageCpuMs }, { "page_rows", static_cast<int>(page->size()) },
                  { "conversation_list_ms", listMs }, { "conversations", static_cast<int>(summaries->size()) } };

        // 3. Search medians (after the open, the way a user searches).
        QJsonObject search;
        for (const char* word : { kRareWord, kCommonWord }) {
            QList<double> samples;
            QList<double> cpuSamples;
            qsizetype hits = 0;
            for (int q = 0; q < queries; ++q) {
                SearchIndex::Query query;
                query.text = QString::fromLatin1(word);
                QElapsedTimer t;
                t.start();
                const double cpu = cpuSeconds();
                auto found = (*store)->search().search(query);
                cpuSamples.append((cpuSeconds() - cpu) * 1e3);
                samples.append(static_cast<double>(t.nsecsElapsed()) / 1e6);
                if (!found)
                    die("search", found.error());
                hits = found->size();
            }
            search[word == kRareWord ? "rare" : "common"]
                = QJsonObject { { "word", word }, { "median_ms", medianMs(samples) },
                      { "median_cpu_ms", medianMs(cpuSamples) }, { "hits_returned", static_cast<int>(hits) } };
        }
        SearchIndex::Query filtered;
        filtered.text = QString::fromLatin1(kCommonWord);
        filtered.conversationId = QStringLiteral("conv-7");
        QList<double> samples;
        for (int q = 0; q < queries; ++q) {
            QElapsedTimer t;
            t.start();
            if (auto found = (*store)->search().search(filtered); !found)
                die("search", found.error());
            samples.append(static_cast<double>(t.nsecsElapsed()) / 1e6);
        }
        search["common_in_one_conversation"] = QJsonObject { { "median_ms", medianMs(samples) } };
        result["search"] = search;
    }
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Indented).constData());
    return 0;
}
