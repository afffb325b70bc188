// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlobStore.h"

#include "SqliteTransaction.h"

#include <QByteArray>
#include <QDir>
#include <QFile>

#include <atomic>
#include <fcntl.h>
#include <set>
#include <unistd.h>

namespace tenchat::relay {

namespace {

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS blobs(
  id BLOB PRIMARY KEY, size INTEGER NOT NULL, owner BLOB NOT NULL,
  created_ms INTEGER NOT NULL, claimed_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS blobs_by_owner ON blobs(owner);
CREATE TABLE IF NOT EXISTS blob_refs(
  blob_id BLOB NOT NULL, conversation_id BLOB NOT NULL, created_ms INTEGER NOT NULL,
  PRIMARY KEY(blob_id, conversation_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS blob_refs_by_time ON blob_refs(created_ms);
)sql";

bool writeAll(int fd, const char* data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0)
            return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace

StorageResult<std::unique_ptr<BlobStore>> BlobStore::open(const QString& dir, bool durable)
{
    if (!QDir().mkpath(dir + QStringLiteral("/tmp")))
        return storageError(StorageErrorCode::Failure, "cannot create the blob directory " + dir.toStdString());
    // Temporary files of uploads cut short by a crash are worthless.
    QDir tmp(dir + QStringLiteral("/tmp"));
    for (const auto& name : tmp.entryList(QDir::Files))
        tmp.remove(name);
    const std::string path = QDir(dir).filePath(QStringLiteral("blobs.db")).toStdString();
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return storageError(StorageErrorCode::Failure, "cannot open " + path + ": " + message);
    }
    std::unique_ptr<BlobStore> store(new BlobStore(db, dir, durable));
    // Chunks are committed without an fsync; reference() (the end of an
    // upload) makes the files and every earlier commit durable at once.
    if (!store->exec("PRAGMA journal_mode=WAL") || !store->exec("PRAGMA synchronous=NORMAL")
        || !store->exec("PRAGMA busy_timeout=5000") || !store->exec(kSchema))
        return Unexpected<StorageError>(store->failure("cannot configure " + path));
    if (auto totals = store->refreshTotals(); !totals)
        return Unexpected<StorageError>(totals.error());
    return store;
}

BlobStore::BlobStore(sqlite3* db, QString dir, bool durable) : db_(db), dir_(std::move(dir)), durable_(durable)
{ }

BlobStore::~BlobStore()
{
    statements_.clear();
    sqlite3_close(db_);
}

bool BlobStore::exec(const char* sql)
{
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

SqliteStatement& BlobStore::statement(const char* sql)
{
    auto& slot = statements_[sql];
    if (!slot)
        slot = std::make_unique<SqliteStatement>(db_, sql);
    return slot->reset();
}

StorageError BlobStore::failure(const std::string& what) const
{
    return StorageError { StorageErrorCode::Failure, what + ": " + sqlite3_errmsg(db_) };
}

StorageResult<void> BlobStore::refreshTotals()
{
    auto& s = statement("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM blobs");
    if (s.step() != SQLITE_ROW)
        return Unexpected<StorageError>(failure("cannot count blobs"));
    count_ = static_cast<std::uint64_t>(s.integer(0));
    totalBytes_ = static_cast<std::uint64_t>(s.integer(1));
    s.reset();
    return {};
}

QString BlobStore::pathOf(const std::string& id) const
{
    const QString hex = QString::fromLatin1(QByteArray::fromRawData(id.data(), qsizetype(id.size())).toHex());
    return QStringLiteral("%1/%2/%3/%4").arg(dir_, hex.left(2), hex.mid(2, 2), hex);
}

StorageResult<bool> BlobStore::claim(const std::string& id, std::uint64_t nowMs)
{
    auto& s = statement("UPDATE blobs SET claimed_ms = ? WHERE id = ?");
    s.bind(1, i64(nowMs)).bindStatic(2, id);
    if (s.step() != SQLITE_DONE)
        return Unexpected<StorageError>(failure("cannot look up a blob"));
    s.reset();
    return sqlite3_changes(db_) > 0;
}

StorageResult<bool> BlobStore::put(
    const std::string& id, const std::string& data, const std::string& ownerUserId, std::uint64_t nowMs)
{
    auto present = claim(id, nowMs);
    if (!present || *present)
        return present;
    if (auto written = writeFile(id, data); !written)
        return Unexpected<StorageError>(written.error());
    return record(id, data.size(), ownerUserId, nowMs);
}

StorageResult<void> BlobStore::writeFile(const std::string& id, const std::string& data) const
{
    static std::atomic<std::uint64_t> serial { 0 };
    const QString target = pathOf(id);
    const QString folder = QFileInfo(target).absolutePath();
    if (!QDir().mkpath(folder))
        return storageError(StorageErrorCode::Failure, "cannot create a blob folder");
    // Write to tmp/, then rename into place: a blob file is always complete.
    // The serial keeps concurrent writers of the same id apart.
    const QString temp = QStringLiteral("%1/tmp/%2.%3").arg(dir_, QFileInfo(target).fileName()).arg(serial++);
    const QByteArray tempPath = QFile::encodeName(temp);
    const int fd = ::open(tempPath.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return storageError(StorageErrorCode::Failure, "cannot create a blob file");
    const bool written = writeAll(fd, data.data(), data.size());
#ifdef __linux__
    // Write the blob back now (on a worker thread, the event loop does not
    // wait) and let the kernel drop its pages: blobs are written once and
    // read rarely, and keeping them cached costs a fresh page per 4 KiB
    // (on a VM whose free memory is handed back to the host that tripled the
    // cost of storing a chunk). reference() still fdatasyncs every file.
    if (written && durable_
        && ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER)
            == 0)
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
#endif
    ::close(fd);
    if (!written || ::rename(tempPath.constData(), QFile::encodeName(target).constData()) != 0) {
        ::unlink(tempPath.constData());
        return storageError(StorageErrorCode::Failure, "cannot write a blob file (disk full?)");
    }
    return {};
}

StorageResult<bool> BlobStore::record(
    const std::string& id, std::uint64_t size, const std::string& ownerUserId, std::uint64_t nowMs)
{
    auto present = claim(id, nowMs);
    if (!present || *present)
        return present;
    auto& s = statement("INSERT OR REPLACE INTO blobs(id, size, owner, created_ms, claimed_ms) VALUES(?, ?, ?, ?, ?)");
    s.bindStatic(1, id).bind(2, i64(size)).bindStatic(3, ownerUserId).bind(4, i64(nowMs)).bind(5, i64(nowMs));
    if (s.step() != SQLITE_DONE) {
        s.reset();
        QFile::remove(pathOf(id));
        return Unexpected<StorageError>(failure("cannot record a blob"));
    }
    s.reset();
    ++count_;
    totalBytes_ += size;
    if (auto it = usage_.find(ownerUserId); it != usage_.end())
        it->second += size;
    return false;
}

StorageResult<void> BlobStore::reference(
    const std::vector<std::string>& ids, const std::string& conversationId, std::uint64_t nowMs)
{
    if (durable_) {
        // The blob files and their folders reach the disk before anything
        // refers to them.
        std::set<QString> folders;
        for (const auto& id : ids) {
            const QString path = pathOf(id);
            const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                continue; // reported as missing below
            const bool synced = ::fdatasync(fd) == 0;
            ::close(fd);
            if (!synced)
                return storageError(StorageErrorCode::Failure, "cannot flush a blob file");
            folders.insert(QFileInfo(path).absolutePath());
        }
        for (const auto& folder : folders) {
            const int fd = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd >= 0) {
                ::fsync(fd);
                ::close(fd);
            }
        }
    }
    // A FULL commit syncs the WAL, and with it the chunks' earlier commits.
    if (durable_ && !exec("PRAGMA synchronous=FULL"))
        return Unexpected<StorageError>(failure("cannot configure"));
    struct Restore {
        BlobStore* store;
        bool on;
        ~Restore()
        {
            if (on)
                store->exec("PRAGMA synchronous=NORMAL");
        }
    } restore { this, durable_ };
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("cannot begin"));
    for (const auto& id : ids) {
        auto& check = statement("SELECT 1 FROM blobs WHERE id = ?");
        check.bindStatic(1, id);
        const int rc = check.step();
        check.reset();
        if (rc == SQLITE_DONE)
            return storageError(StorageErrorCode::NotFound,
                "blob " + QByteArray::fromStdString(id).toHex().left(16).toStdString() + "... is not stored");
        if (rc != SQLITE_ROW)
            return Unexpected<StorageError>(failure("cannot look up a blob"));
        auto& s = statement("INSERT OR REPLACE INTO blob_refs(blob_id, conversation_id, created_ms) VALUES(?, ?, ?)");
        s.bindStatic(1, id).bindStatic(2, conversationId).bind(3, i64(nowMs));
        if (s.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("cannot reference a blob"));
        s.reset();
    }
    if (!tx.commit())
        return Unexpected<StorageError>(failure("cannot commit"));
    return {};
}

StorageResult<std::vector<std::string>> BlobStore::referencedBy(const std::string& id)
{
    auto& s = statement("SELECT conversation_id FROM blob_refs WHERE blob_id = ?");
    s.bindStatic(1, id);
    std::vector<std::string> out;
    int rc = 0;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back(s.blob(0));
    s.reset();
    if (rc != SQLITE_DONE)
        return Unexpected<StorageError>(failure("cannot read blob references"));
    return out;
}

StorageResult<std::string> BlobStore::read(
    const std::string& id, std::uint64_t offset, std::uint64_t length, std::uint64_t& total)
{
    QFile file(pathOf(id));
    if (!file.open(QIODevice::ReadOnly))
        return storageError(StorageErrorCode::NotFound, "blob not stored");
    total = static_cast<std::uint64_t>(file.size());
    if (offset > total)
        return storageError(StorageErrorCode::Conflict, "offset beyond the end of the blob");
    const std::uint64_t available = total - offset;
    const std::uint64_t n = length == 0 ? available : std::min(length, available);
    std::string out(n, '\0');
    if (!file.seek(static_cast<qint64>(offset)) || file.read(out.data(), qint64(n)) != qint64(n))
        return storageError(StorageErrorCode::Failure, "cannot read a blob file");
    return out;
}

StorageResult<std::uint64_t> BlobStore::usage(const std::string& userId)
{
    if (auto it = usage_.find(userId); it != usage_.end())
        return it->second;
    auto& s = statement("SELECT COALESCE(SUM(size), 0) FROM blobs WHERE owner = ?");
    s.bindStatic(1, userId);
    if (s.step() != SQLITE_ROW)
        return Unexpected<StorageError>(failure("cannot sum an account's blobs"));
    const auto used = static_cast<std::uint64_t>(s.integer(0));
    s.reset();
    usage_[userId] = used;
    return used;
}

StorageResult<BlobGarbage> BlobStore::collectGarbage(
    std::uint64_t nowMs, std::uint64_t graceMs, std::uint64_t maxReferenceAgeMs)
{
    BlobGarbage garbage;
    if (maxReferenceAgeMs > 0 && nowMs > maxReferenceAgeMs) {
        auto& s = statement("DELETE FROM blob_refs WHERE created_ms < ?");
        s.bind(1, i64(nowMs - maxReferenceAgeMs));
        if (s.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("cannot expire blob references"));
        s.reset();
        garbage.referencesExpired = static_cast<std::uint64_t>(sqlite3_changes(db_));
    }
    const std::uint64_t cutoff = nowMs > graceMs ? nowMs - graceMs : 0;
    std::vector<std::string> victims;
    {
        auto& s = statement("SELECT id, size FROM blobs WHERE claimed_ms < ? AND NOT EXISTS "
                            "(SELECT 1 FROM blob_refs WHERE blob_refs.blob_id = blobs.id) LIMIT 10000");
        s.bind(1, i64(cutoff));
        int rc = 0;
        while ((rc = s.step()) == SQLITE_ROW) {
            victims.push_back(s.blob(0));
            garbage.bytesRemoved += static_cast<std::uint64_t>(s.integer(1));
        }
        s.reset();
        if (rc != SQLITE_DONE)
            return Unexpected<StorageError>(failure("cannot find garbage blobs"));
    }
    if (victims.empty())
        return garbage;
    SqliteTransaction tx(db_);
    if (!tx.begun())
        return Unexpected<StorageError>(failure("cannot begin"));
    for (const auto& id : victims) {
        auto& s = statement("DELETE FROM blobs WHERE id = ?");
        s.bindStatic(1, id);
        if (s.step() != SQLITE_DONE)
            return Unexpected<StorageError>(failure("cannot delete a blob"));
        s.reset();
    }
    if (!tx.commit())
        return Unexpected<StorageError>(failure("cannot commit"));
    // Files go after the commit: a crash in between leaves orphan files,
    // never rows pointing at missing files.
    for (const auto& id : victims)
        QFile::remove(pathOf(id));
    garbage.blobsRemoved = victims.size();
    usage_.clear();
    if (auto totals = refreshTotals(); !totals)
        return Unexpected<StorageError>(totals.error());
    return garbage;
}

} // namespace tenchat::relay
