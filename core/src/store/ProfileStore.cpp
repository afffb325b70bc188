// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/ProfileStore.h"

#include "tenchat/core/store/Migrations.h"
#include "tenchat/core/store/ProfileHeader.h"
#include "tenchat/core/store/Transaction.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

#include <cstdio>

namespace tenchat::core::store {

QString ProfileStore::databasePath(const QString& dir)
{
    return QDir(dir).filePath(QStringLiteral("profile.db"));
}

QString ProfileStore::headerPath(const QString& dir)
{
    return QDir(dir).filePath(QStringLiteral("profile.header"));
}

QString ProfileStore::pendingHeaderPath(const QString& dir)
{
    return QDir(dir).filePath(QStringLiteral("profile.header.pending"));
}

bool ProfileStore::exists(const QString& dir)
{
    return QFile::exists(databasePath(dir)) || QFile::exists(headerPath(dir));
}

ProfileStore::ProfileStore(std::unique_ptr<Database> db, QString dir)
    : db_(std::move(db)), dir_(std::move(dir)), notifier_(std::make_unique<ChangeNotifier>())
{
    messages_ = std::make_unique<MessageRepository>(*db_, notifier_.get());
    conversations_ = std::make_unique<ConversationRepository>(*db_, notifier_.get());
    outbox_ = std::make_unique<OutboxRepository>(*db_);
    inbox_ = std::make_unique<InboxRepository>(*db_);
    search_ = std::make_unique<SearchIndex>(*db_);
    indexer_ = std::make_unique<SearchIndexer>(*db_);
    keyValues_ = std::make_unique<KeyValueRepository>(*db_);
    protocolStore_ = std::make_unique<SqlProtocolStore>(*db_);
    account_ = std::make_unique<AccountRepository>(*db_);
}

ProfileStore::~ProfileStore()
{
    // Repositories hold cached statements of db_: drop them first.
    account_.reset();
    protocolStore_.reset();
    keyValues_.reset();
    search_.reset();
    indexer_.reset();
    inbox_.reset();
    outbox_.reset();
    conversations_.reset();
    messages_.reset();
    db_.reset();
}

StoreExpected<std::unique_ptr<ProfileStore>> ProfileStore::attach(std::unique_ptr<Database> db, const Options& options)
{
    const int target = options.schemaVersion < 0 ? Migrations::latestVersion() : options.schemaVersion;
    if (auto readable = db->verifyReadable(); !readable)
        return makeUnexpected(std::move(readable).error());
    // Check the version before anything writes (journal mode, migrations).
    auto version = db->userVersion();
    if (!version)
        return makeUnexpected(StoreError { StoreErrorCode::DamagedDatabase, version.error().message });
    if (*version > Migrations::latestVersion())
        return storeError(StoreErrorCode::SchemaTooNew,
            QStringLiteral("the profile was written by a newer TenChat (schema %1, this build knows %2)")
                .arg(*version)
                .arg(Migrations::latestVersion()));
    if (auto settings = db->applyConnectionSettings(); !settings)
        return makeUnexpected(std::move(settings).error());
    if (auto migrated = Migrations::migrate(*db, target); !migrated)
        return makeUnexpected(std::move(migrated).error());
    if (target >= 4) {
        // Messages committed but not yet indexed (a crash after the insert
        // transaction, before the SearchIndexer ran) are indexed now, in
        // bounded transactions of their own.
        if (auto drained = SearchIndexer(*db).drain(); !drained)
            return makeUnexpected(std::move(drained).error());
    }
    const QString dir = QFileInfo(db->path()).absolutePath();
    std::unique_ptr<ProfileStore> store(new ProfileStore(std::move(db), dir));
    store->kdf_ = options.kdf;
    if (options.expireOnOpen && target >= 1) {
        if (auto expired = store->messages().expireEphemeral(QDateTime::currentMSecsSinceEpoch()); !expired)
            return makeUnexpected(std::move(expired).error());
    }
    return store;
}

StoreExpected<std::unique_ptr<ProfileStore>> ProfileStore::create(
    const QString& dir, std::string_view passphrase, const Options& options)
{
    if (passphrase.empty())
        return storeError(StoreErrorCode::InvalidArgument, QStringLiteral("the passphrase must not be empty"));
    if (exists(dir))
        return storeError(StoreErrorCode::AlreadyExists, QStringLiteral("a profile already exists in %1").arg(dir));
    if (!QDir().mkpath(dir))
        return storeError(StoreErrorCode::Io, QStringLiteral("cannot create %1").arg(dir));
    ProfileHeader header = ProfileHeader::fresh(options.kdf);
    auto key = header.derive(passphrase, true);
    if (!key)
        return makeUnexpected(std::move(key).error());
    // A half-created profile would block the next attempt (AlreadyExists):
    // remove what this call wrote if any step fails.
    auto discard = [&dir]() {
        for (const QString& path :
            { databasePath(dir), databasePath(dir) + "-wal", databasePath(dir) + "-shm", headerPath(dir) })
            QFile::remove(path);
    };
    if (auto written = header.writeAtomically(headerPath(dir)); !written)
        return makeUnexpected(std::move(written).error());
    auto db = Database::open(databasePath(dir), key->databaseKey, true, header.cipher());
    if (!db) {
        discard();
        return makeUnexpected(std::move(db).error());
    }
    auto store = attach(std::move(*db), options);
    if (!store) {
        discard();
        return store;
    }
    (void)(*store)->audit(QStringLiteral("profile.created"));
    return store;
}

StoreExpected<std::unique_ptr<ProfileStore>> ProfileStore::open(
    const QString& dir, std::string_view passphrase, const Options& options)
{
    if (!QFile::exists(databasePath(dir)))
        return storeError(StoreErrorCode::NotFound, QStringLiteral("no profile in %1").arg(dir));
    // The committed header first; a pending one is left by a re-key that was
    // interrupted and is tried second (it holds the new passphrase's key).
    const QString candidates[] = { headerPath(dir), pendingHeaderPath(dir) };
    StoreError firstError { StoreErrorCode::NotFound, QStringLiteral("no profile header in %1").arg(dir) };
    bool haveError = false;
    for (int i = 0; i < 2; ++i) {
        if (i == 1 && !QFile::exists(candidates[1]))
            break;
        auto header = ProfileHeader::read(candidates[i]);
        if (!header && header.error().code == StoreErrorCode::NotFound) // the database is there, its key header not
            header = storeError(StoreErrorCode::DamagedHeader,
                QStringLiteral("%1 is missing: the database cannot be unlocked without it").arg(candidates[i]));
        StoreError error;
        if (header) {
            auto key = header->derive(passphrase);
            if (key) {
                auto db = Database::open(databasePath(dir), key->databaseKey, false, header->cipher());
                if (db) {
                    auto store = attach(std::move(*db), options);
                    if (store) {
                        if (i == 1) // the re-key had completed: promote the new header
                            std::rename(QFile::encodeName(candidates[1]).constData(),
                                QFile::encodeName(candidates[0]).constData());
                        else if (QFile::exists(candidates[1]))
                            QFile::remove(candidates[1]); // the re-key never happened
                        return store;
                    }
                    error = std::move(store).error();
                } else {
                    error = std::move(db).error();
                }
            } else {
                error = std::move(key).error();
            }
        } else {
            error = std::move(header).error();
        }
        if (!haveError) {
            firstError = std::move(error);
            haveError = true;
        }
    }
    return makeUnexpected(std::move(firstError));
}

StoreExpected<std::unique_ptr<ProfileStore>> ProfileStore::openWithKey(
    const QString& dir, const crypto::SecretBytes& rawKey, const Options& options)
{
    if (!QFile::exists(databasePath(dir)))
        return storeError(StoreErrorCode::NotFound, QStringLiteral("no profile in %1").arg(dir));
    auto header = ProfileHeader::read(headerPath(dir));
    if (!header)
        return makeUnexpected(std::move(header).error());
    auto db = Database::open(databasePath(dir), rawKey, false, header->cipher());
    if (!db)
        return makeUnexpected(std::move(db).error());
    return attach(std::move(*db), options);
}

StoreExpected<crypto::SecretBytes> ProfileStore::deriveKey(const QString& dir, std::string_view passphrase)
{
    auto header = ProfileHeader::read(headerPath(dir));
    if (!header)
        return makeUnexpected(std::move(header).error());
    auto key = header->derive(passphrase);
    if (!key)
        return makeUnexpected(std::move(key).error());
    return std::move(key->databaseKey);
}

StoreOk ProfileStore::changePassphrase(std::string_view oldPassphrase, std::string_view newPassphrase)
{
    if (newPassphrase.empty())
        return storeError(StoreErrorCode::InvalidArgument, QStringLiteral("the passphrase must not be empty"));
    if (!db_->keyed())
        return storeError(StoreErrorCode::InvalidArgument, QStringLiteral("the database is not encrypted"));
    auto current = ProfileHeader::read(headerPath(dir_));
    if (!current)
        return makeUnexpected(std::move(current).error());
    if (auto check = current->derive(oldPassphrase); !check)
        return makeUnexpected(std::move(check).error());

    ProfileHeader next = ProfileHeader::fresh(kdf_);
    auto key = next.derive(newPassphrase, true);
    if (!key)
        return makeUnexpected(std::move(key).error());
    if (auto written = next.writeAtomically(pendingHeaderPath(dir_)); !written)
        return written;
    if (auto rekeyed = db_->rekey(key->databaseKey); !rekeyed) {
        QFile::remove(pendingHeaderPath(dir_));
        return rekeyed;
    }
    if (std::rename(
            QFile::encodeName(pendingHeaderPath(dir_)).constData(), QFile::encodeName(headerPath(dir_)).constData())
        != 0)
        return storeError(StoreErrorCode::Io, QStringLiteral("cannot replace the profile header"));
    (void)audit(QStringLiteral("profile.rekeyed"));
    return {};
}

StoreOk ProfileStore::audit(const QString& event, const QString& detail)
{
    auto stmt = db_->cached("INSERT INTO audit_log (at, event, detail) VALUES (?, ?, ?)");
    if (!stmt)
        return makeUnexpected(std::move(stmt).error());
    (*stmt)
        ->bind(1, static_cast<std::int64_t>(QDateTime::currentMSecsSinceEpoch()))
        .bind(2, event)
        .bind(3, detail.isNull() ? QStringLiteral("") : detail);
    auto done = (*stmt)->exec();
    if (!done)
        return makeUnexpected(std::move(done).error());
    return {};
}

} // namespace tenchat::core::store
