// SPDX-License-Identifier: GPL-3.0-or-later
// The relay's BlobStore: sharded content-addressed files, idempotent puts,
// references, per-owner usage, range reads, garbage collection after the
// grace period, and request validation of the blob frames.
#include "BlobStore.h"
#include "BlobHandler.h"

#include "tenchat/crypto/Hash.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace tenchat::relay;

namespace {

std::string idOf(const std::string& data)
{
    return tenchat::crypto::toString(*tenchat::crypto::blake2b(tenchat::crypto::asBytes(data), 32));
}

} // namespace

class BlobStoreTest : public QObject {
    Q_OBJECT

private slots:
    void putReadAndReference();
    void garbageCollection();
    void survivesReopen();
    void validation();
    void concurrentWritesOfOneBlob();
};

void BlobStoreTest::putReadAndReference()
{
    QTemporaryDir dir;
    auto store = BlobStore::open(dir.path(), false);
    QVERIFY(store);
    auto& s = **store;
    const std::string data = "ciphertext of one chunk";
    const std::string id = idOf(data);
    const std::string alice(16, 'a');
    QCOMPARE(s.claim(id, 1000).valueOr(true), false);
    QCOMPARE(s.put(id, data, alice, 1000).valueOr(true), false);
    QCOMPARE(s.put(id, data, std::string(16, 'b'), 1001).valueOr(false), true); // stored once
    QCOMPARE(s.count(), std::uint64_t(1));
    QCOMPARE(s.totalBytes(), std::uint64_t(data.size()));
    QCOMPARE(s.usage(alice).valueOr(0), std::uint64_t(data.size()));
    QCOMPARE(s.usage(std::string(16, 'b')).valueOr(1), std::uint64_t(0)); // the first uploader pays
    // Sharded path named by the hex id.
    const QString path = s.pathOf(id);
    const QString hex = QString::fromLatin1(QByteArray::fromStdString(id).toHex());
    QVERIFY(path.endsWith(hex.left(2) + QLatin1Char('/') + hex.mid(2, 2) + QLatin1Char('/') + hex));
    QVERIFY(QFileInfo::exists(path));

    std::uint64_t total = 0;
    QCOMPARE(s.read(id, 0, 0, total).valueOr(std::string()), data);
    QCOMPARE(total, std::uint64_t(data.size()));
    QCOMPARE(s.read(id, 11, 2, total).valueOr(std::string()), std::string("of"));
    QVERIFY(!s.read(id, 1000, 0, total)); // beyond the end
    QVERIFY(!s.read(std::string(32, 'z'), 0, 0, total)); // unknown

    const std::string conversation(16, 'c');
    QVERIFY(s.referencedBy(id)->empty());
    QVERIFY(s.reference({ id }, conversation, 2000));
    QCOMPARE(s.referencedBy(id)->size(), std::size_t(1));
    auto missing = s.reference({ id, std::string(32, 'q') }, std::string(16, 'd'), 2000);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, StorageErrorCode::NotFound);
    QCOMPARE(s.referencedBy(id)->size(), std::size_t(1)); // all or nothing
}

void BlobStoreTest::garbageCollection()
{
    QTemporaryDir dir;
    auto store = BlobStore::open(dir.path(), false);
    QVERIFY(store);
    auto& s = **store;
    const std::string owner(16, 'o');
    const std::string kept = "referenced", orphan = "never finished", claimed = "claimed again";
    for (const auto* data : { &kept, &orphan, &claimed })
        QVERIFY(s.put(idOf(*data), *data, owner, 1000));
    QVERIFY(s.reference({ idOf(kept) }, std::string(16, 'c'), 1000));
    QCOMPARE(s.claim(idOf(claimed), 50'000).valueOr(false), true);

    // Within the grace period nothing goes.
    auto early = s.collectGarbage(10'000, 20'000, 0);
    QVERIFY(early);
    QCOMPARE(early->blobsRemoved, std::uint64_t(0));
    // After it, only the unreferenced blob not claimed since.
    auto later = s.collectGarbage(60'000, 20'000, 0);
    QVERIFY(later);
    QCOMPARE(later->blobsRemoved, std::uint64_t(1));
    QCOMPARE(later->bytesRemoved, std::uint64_t(orphan.size()));
    QVERIFY(!QFileInfo::exists(s.pathOf(idOf(orphan))));
    QVERIFY(QFileInfo::exists(s.pathOf(idOf(kept))));
    QVERIFY(QFileInfo::exists(s.pathOf(idOf(claimed))));
    QCOMPARE(s.count(), std::uint64_t(2));
    QCOMPARE(s.usage(owner).valueOr(0), std::uint64_t(kept.size() + claimed.size()));
    // References expire with the retention; the blob then goes after grace.
    auto expired = s.collectGarbage(200'000, 20'000, 100'000);
    QVERIFY(expired);
    QCOMPARE(expired->referencesExpired, std::uint64_t(1));
    QCOMPARE(expired->blobsRemoved, std::uint64_t(2));
    QCOMPARE(s.count(), std::uint64_t(0));
    QCOMPARE(s.totalBytes(), std::uint64_t(0));
}

void BlobStoreTest::survivesReopen()
{
    QTemporaryDir dir;
    const std::string data = "persisted";
    {
        auto store = BlobStore::open(dir.path(), true);
        QVERIFY(store);
        QVERIFY((*store)->put(idOf(data), data, std::string(16, 'o'), 1));
    }
    auto store = BlobStore::open(dir.path(), true);
    QVERIFY(store);
    QCOMPARE((*store)->count(), std::uint64_t(1));
    QCOMPARE((*store)->claim(idOf(data), 2).valueOr(false), true);
}

void BlobStoreTest::validation()
{
    tenchat::v1::Request r;
    auto* begin = r.mutable_blob_upload_begin();
    begin->set_conversation_id(std::string(16, 'c'));
    begin->set_total_bytes(100);
    begin->set_chunk_count(1);
    QVERIFY(!validateBlobRequest(r));
    begin->set_chunk_count(0);
    QVERIFY(validateBlobRequest(r));
    begin->set_chunk_count(20000);
    QVERIFY(validateBlobRequest(r));
    begin->set_chunk_count(1);
    begin->set_conversation_id("short");
    QVERIFY(validateBlobRequest(r));

    r.mutable_blob_has()->add_blob_ids(std::string(31, 'x'));
    QVERIFY(validateBlobRequest(r));
    r.mutable_blob_has()->set_blob_ids(0, std::string(32, 'x'));
    QVERIFY(!validateBlobRequest(r));

    auto* put = r.mutable_blob_put();
    put->set_session_id(std::string(16, 's'));
    put->set_blob_id(std::string(32, 'b'));
    QVERIFY(validateBlobRequest(r)); // no data
    put->set_data("x");
    QVERIFY(!validateBlobRequest(r));

    r.mutable_blob_get()->set_blob_id("nope");
    QVERIFY(validateBlobRequest(r));
    r.mutable_blob_quota();
    QVERIFY(!validateBlobRequest(r));
}

void BlobStoreTest::concurrentWritesOfOneBlob()
{
    // The relay writes chunk files on worker threads and records them on its
    // event loop: two uploads of the same chunk may write at once.
    QTemporaryDir dir;
    auto store = BlobStore::open(dir.path(), true);
    QVERIFY(store);
    auto& s = **store;
    const std::string data(300'000, 'x');
    const std::string id = idOf(data);
    std::vector<std::thread> writers;
    std::atomic<int> failures { 0 };
    for (int i = 0; i < 4; ++i)
        writers.emplace_back([&] {
            if (!s.writeFile(id, data))
                ++failures;
        });
    for (auto& w : writers)
        w.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(s.record(id, data.size(), std::string(16, 'a'), 1000).valueOr(true), false);
    QCOMPARE(s.record(id, data.size(), std::string(16, 'b'), 1001).valueOr(false), true); // recorded once
    QCOMPARE(s.count(), std::uint64_t(1));
    QCOMPARE(s.usage(std::string(16, 'a')).valueOr(0), std::uint64_t(data.size()));
    std::uint64_t total = 0;
    QCOMPARE(s.read(id, 0, 0, total).valueOr(std::string()), data);
    // No temporary file is left behind.
    QCOMPARE(QDir(dir.filePath(QStringLiteral("tmp"))).entryList(QDir::Files).size(), qsizetype(0));
}

QTEST_GUILESS_MAIN(BlobStoreTest)
#include "BlobStoreTest.moc"
