// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/AccountRepository.h"
#include "tenchat/core/store/ChangeNotifier.h"
#include "tenchat/core/store/ConversationRepository.h"
#include "tenchat/core/store/Database.h"
#include "tenchat/core/store/InboxRepository.h"
#include "tenchat/core/store/KeyValueRepository.h"
#include "tenchat/core/store/MessageRepository.h"
#include "tenchat/core/store/OutboxRepository.h"
#include "tenchat/core/store/SearchIndex.h"
#include "tenchat/core/store/SqlProtocolStore.h"
#include "tenchat/core/store/StoreError.h"
#include "tenchat/crypto/Kdf.h"

#include <QString>

#include <memory>
#include <string_view>

namespace tenchat::core::store {

struct ProfileOptions {
    crypto::Argon2Params kdf = crypto::Argon2Params::interactive(); // create() and changePassphrase()
    int schemaVersion = -1; // -1: the newest. Older versions exist for migration tests only.
    bool expireOnOpen = true; // delete expired ephemeral messages at start-up
};

// One profile: a directory holding profile.db (SQLCipher) and profile.header
// (Argon2id salt/parameters, cipher settings, key verifier). Owns the
// connection and the repositories; every call belongs to one thread (use
// AsyncStore to run it on a worker thread).
//
// open() errors: NotFound (no profile), DamagedHeader, WrongPassphrase,
// DamagedDatabase, SchemaTooNew. In each of these cases no file of the profile
// has been written.
class ProfileStore {
public:
    using Options = ProfileOptions;

    static QString databasePath(const QString& dir);
    static QString headerPath(const QString& dir);
    static QString pendingHeaderPath(const QString& dir);
    static bool exists(const QString& dir);

    static StoreExpected<std::unique_ptr<ProfileStore>> create(
        const QString& dir, std::string_view passphrase, const Options& options = Options {});
    static StoreExpected<std::unique_ptr<ProfileStore>> open(
        const QString& dir, std::string_view passphrase, const Options& options = Options {});
    // Opens with the raw database key instead of the passphrase: the key kept
    // in the OS keychain, or one derived ahead with deriveKey(). A key that
    // does not decrypt the database gives DamagedDatabase (a raw key cannot be
    // checked against the header's passphrase verifier).
    static StoreExpected<std::unique_ptr<ProfileStore>> openWithKey(
        const QString& dir, const crypto::SecretBytes& rawKey, const Options& options = Options {});
    // Argon2id over the passphrase with the profile's header: WrongPassphrase,
    // DamagedHeader or NotFound as for open(). Nothing is written.
    static StoreExpected<crypto::SecretBytes> deriveKey(const QString& dir, std::string_view passphrase);
    // Wraps an already opened (keyed or plain) database: applies connection
    // settings and migrations. For benchmarks and tools; apps use open().
    static StoreExpected<std::unique_ptr<ProfileStore>> attach(
        std::unique_ptr<Database> db, const Options& options = Options {});

    ~ProfileStore();
    ProfileStore(const ProfileStore&) = delete;
    ProfileStore& operator=(const ProfileStore&) = delete;

    // Re-keys the database under a new passphrase (fresh salt) and replaces the
    // header atomically. A crash in between is recovered by open(): the new
    // header is written as profile.header.pending first and promoted after.
    StoreOk changePassphrase(std::string_view oldPassphrase, std::string_view newPassphrase);

    Database& database() { return *db_; }
    ChangeNotifier& notifier() { return *notifier_; }
    MessageRepository& messages() { return *messages_; }
    ConversationRepository& conversations() { return *conversations_; }
    OutboxRepository& outbox() { return *outbox_; }
    InboxRepository& inbox() { return *inbox_; }
    SearchIndex& search() { return *search_; }
    // Moves queued messages into the full-text index (see SearchIndexer).
    SearchIndexer& indexer() { return *indexer_; }
    KeyValueRepository& keyValues() { return *keyValues_; }
    SqlProtocolStore& protocolStore() { return *protocolStore_; }
    AccountRepository& account() { return *account_; }
    QString directory() const { return dir_; }

    // Appends to the local append-only audit log (key changes, re-key, device
    // changes). `detail` must not hold secrets or message text.
    StoreOk audit(const QString& event, const QString& detail = {});

private:
    ProfileStore(std::unique_ptr<Database> db, QString dir);

    std::unique_ptr<Database> db_;
    QString dir_;
    crypto::Argon2Params kdf_;
    std::unique_ptr<ChangeNotifier> notifier_;
    std::unique_ptr<MessageRepository> messages_;
    std::unique_ptr<ConversationRepository> conversations_;
    std::unique_ptr<OutboxRepository> outbox_;
    std::unique_ptr<InboxRepository> inbox_;
    std::unique_ptr<SearchIndex> search_;
    std::unique_ptr<SearchIndexer> indexer_;
    std::unique_ptr<KeyValueRepository> keyValues_;
    std::unique_ptr<SqlProtocolStore> protocolStore_;
    std::unique_ptr<AccountRepository> account_;
};

} // namespace tenchat::core::store
