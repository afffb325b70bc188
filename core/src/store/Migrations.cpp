// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/Migrations.h"

#include "tenchat/core/store/Database.h"
#include "tenchat/core/store/Transaction.h"

namespace tenchat::core::store {

namespace {

// Version 1: the initial schema. Times are Unix milliseconds (UTC); ids
// are text (ULIDs for messages, relay ids for users/devices/conversations).
const char* const kInitialSchema = R"SQL(
CREATE TABLE profile (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  user_id TEXT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  avatar_path TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE own_devices (
  device_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  identity_key BLOB,
  is_current INTEGER NOT NULL DEFAULT 0,
  added_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE TABLE contacts (
  user_id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL DEFAULT '',
  trust INTEGER NOT NULL DEFAULT 0 CHECK (trust IN (0, 1, 2)), -- unverified, verified, changed
  blocked INTEGER NOT NULL DEFAULT 0,
  added_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- ProtocolStore (libsignal state), see crypto/ProtocolStore.h.
CREATE TABLE local_identity (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  public_key BLOB NOT NULL,
  private_key BLOB NOT NULL,
  registration_id INTEGER NOT NULL
);
CREATE TABLE identities (
  name TEXT NOT NULL,
  device_id INTEGER NOT NULL,
  public_key BLOB NOT NULL,
  trust INTEGER NOT NULL CHECK (trust IN (0, 1, 2)),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (name, device_id)
);
CREATE TABLE sessions (
  name TEXT NOT NULL,
  device_id INTEGER NOT NULL,
  record BLOB NOT NULL,
  PRIMARY KEY (name, device_id)
);
CREATE TABLE pre_keys (id INTEGER PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE signed_pre_keys (id INTEGER PRIMARY KEY, record BLOB NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE sender_keys (
  group_id TEXT NOT NULL,
  name TEXT NOT NULL,
  device_id INTEGER NOT NULL,
  record BLOB NOT NULL,
  PRIMARY KEY (group_id, name, device_id)
);
CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  type INTEGER NOT NULL CHECK (type IN (0, 1, 2, 3)), -- direct, group, channel, ephemeral
  title TEXT NOT NULL DEFAULT '',
  ttl_ms INTEGER NOT NULL DEFAULT 0, -- > 0: messages expire ttl_ms after they were sent
  policy TEXT NOT NULL DEFAULT '{}', -- JSON: who may post, invite, pin
  feature_flags INTEGER NOT NULL DEFAULT 0,
  muted INTEGER NOT NULL DEFAULT 0,
  archived INTEGER NOT NULL DEFAULT 0,
  last_message_id TEXT,
  last_activity_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX conversations_recency ON conversations (last_activity_at DESC);
CREATE TABLE members (
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  role INTEGER NOT NULL DEFAULT 0, -- member, moderator, admin, owner
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, user_id)
);
CREATE TABLE messages (
  rid INTEGER PRIMARY KEY, -- local row id (FTS docid)
  id TEXT NOT NULL UNIQUE, -- ULID
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  sender_user_id TEXT NOT NULL,
  sender_device_id INTEGER NOT NULL,
  outgoing INTEGER NOT NULL DEFAULT 0,
  server_seq INTEGER, -- relay sequence; NULL until the relay accepted it
  sort_seq INTEGER NOT NULL, -- server_seq, or a value above every sequence while pending
  lamport INTEGER NOT NULL DEFAULT 0,
  sent_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  content_type TEXT NOT NULL DEFAULT 'text/plain',
  body TEXT, -- NULL once tombstoned
  reply_to TEXT,
  edited_at INTEGER,
  delivery_state INTEGER NOT NULL DEFAULT 0, -- queued, sent, delivered, read, failed
  is_read INTEGER NOT NULL DEFAULT 0,
  tombstone INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER -- ephemeral conversations
);
CREATE INDEX messages_timeline ON messages (conversation_id, sort_seq, id);
CREATE INDEX messages_unread ON messages (conversation_id) WHERE outgoing = 0 AND is_read = 0;
CREATE INDEX messages_expiry ON messages (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE message_edits (
  message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  edited_at INTEGER NOT NULL,
  previous_body TEXT NOT NULL
);
CREATE INDEX message_edits_message ON message_edits (message_id);
CREATE TABLE reactions (
  message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  emoji TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, user_id, emoji)
);
CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  manifest BLOB NOT NULL, -- chunk hashes, keys, sizes (protocol message)
  mime_type TEXT NOT NULL DEFAULT '',
  size INTEGER NOT NULL DEFAULT 0,
  local_path TEXT,
  state INTEGER NOT NULL DEFAULT 0 -- remote, downloading, complete, failed
);
CREATE INDEX attachments_message ON attachments (message_id);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  message_id TEXT,
  conversation_id TEXT,
  kind INTEGER NOT NULL, -- conversation append, to-device, receipt, ...
  payload BLOB NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id);
CREATE TABLE sync_cursors (stream TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE drafts (
  conversation_id TEXT PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
  body TEXT NOT NULL,
  reply_to TEXT,
  updated_at INTEGER NOT NULL
);
CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE plugin_state (
  plugin_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value BLOB,
  PRIMARY KEY (plugin_id, key)
);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  event TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)SQL";

// Version 2: local full-text search. An external-content FTS4 table over
// messages.body kept in sync by triggers (the BEFORE triggers remove the old
// text while it is still readable), and a backfill of existing messages.
const char* const kFullTextSearch = R"SQL(
CREATE VIRTUAL TABLE messages_fts USING fts4(content="messages", body, tokenize=unicode61);
CREATE TRIGGER messages_fts_before_update BEFORE UPDATE OF body ON messages
BEGIN DELETE FROM messages_fts WHERE docid = old.rid; END;
CREATE TRIGGER messages_fts_before_delete BEFORE DELETE ON messages
BEGIN DELETE FROM messages_fts WHERE docid = old.rid; END;
CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF body ON messages WHEN new.body IS NOT NULL
BEGIN INSERT INTO messages_fts (docid, body) VALUES (new.rid, new.body); END;
CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages WHEN new.body IS NOT NULL
BEGIN INSERT INTO messages_fts (docid, body) VALUES (new.rid, new.body); END;
INSERT INTO messages_fts (docid, body) SELECT rid, body FROM messages WHERE body IS NOT NULL;
)SQL";

// Version 3: incoming envelopes are persisted before decryption, so a crash
// between receipt (and relay ack) and decryption loses nothing.
const char* const kInbox = R"SQL(
CREATE TABLE inbox (
  id INTEGER PRIMARY KEY,
  source INTEGER NOT NULL, -- conversation log or to-device queue
  conversation_id TEXT,
  server_seq INTEGER,
  envelope BLOB NOT NULL,
  received_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE UNIQUE INDEX inbox_dedupe ON inbox (source, conversation_id, server_seq) WHERE server_seq IS NOT NULL;
)SQL";

// Version 4: index new messages per transaction instead of per row.
// Measured on SQLCipher 3.4.1: any AFTER INSERT trigger on messages makes
// every INSERT open a statement journal, whose pages SQLCipher encrypts too
// (about 3x slower keyed inserts), and FTS4 flushes its pending terms into a
// new segment at each of those savepoints. So the insert path (only
// MessageRepository writes messages) indexes the row-id range of each batch
// with one INSERT ... SELECT before commit. fts_pending is the queue for any
// other writer (SearchIndex::flushPending runs at open and before a search).
// Edits, tombstones, deletes and expiry stay trigger-driven; they skip rows
// still queued.
const char* const kBatchedIndexing = R"SQL(
CREATE TABLE fts_pending (rid INTEGER PRIMARY KEY);
DROP TRIGGER messages_fts_after_insert;
DROP TRIGGER messages_fts_before_update;
DROP TRIGGER messages_fts_after_update;
DROP TRIGGER messages_fts_before_delete;
CREATE TRIGGER messages_fts_before_update BEFORE UPDATE OF body ON messages
BEGIN
  DELETE FROM messages_fts WHERE docid = old.rid AND NOT EXISTS (SELECT 1 FROM fts_pending WHERE rid = old.rid);
END;
CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF body ON messages
WHEN new.body IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fts_pending WHERE rid = new.rid)
BEGIN INSERT INTO messages_fts (docid, body) VALUES (new.rid, new.body); END;
CREATE TRIGGER messages_fts_before_delete BEFORE DELETE ON messages
BEGIN
  DELETE FROM messages_fts WHERE docid = old.rid AND NOT EXISTS (SELECT 1 FROM fts_pending WHERE rid = old.rid);
  DELETE FROM fts_pending WHERE rid = old.rid;
END;
)SQL";

// Version 5: two indexes that every queued message paid for and no query
// needs. Each is one more B-tree page that SQLCipher encrypts into the WAL
// at every commit (a queueText() commit touched about 8 pages). The outbox
// is read in id order (OutboxRepository::due scans by rowid and stops at its
// limit); the conversation list sorts its few hundred rows in memory.
const char* const kDropUnusedIndexes = R"SQL(
DROP INDEX IF EXISTS outbox_due;
DROP INDEX IF EXISTS conversations_recency;
)SQL";

// Version 6: the index holds only what a person reads. Until now it indexed
// messages.body, which for a file message is the media manifest with its
// per-file key, chunk ids and sizes: searching could find (and snippets
// show) key material. The index now reads its content through the view
// messages_search, whose body is tenchat_visible_text(content_type, body)
// (a C++ function registered on every connection, VisibleText.cpp): the
// text of a text message, only the file name of a file message. The FTS
// table is recreated over the view and rebuilt from it; the triggers index
// the same expression.
const char* const kVisibleTextIndex = R"SQL(
DROP TRIGGER messages_fts_before_update;
DROP TRIGGER messages_fts_after_update;
DROP TRIGGER messages_fts_before_delete;
DROP TABLE messages_fts;
CREATE VIEW messages_search AS
  SELECT rid AS rowid, tenchat_visible_text(content_type, body) AS body FROM messages;
CREATE VIRTUAL TABLE messages_fts USING fts4(content="messages_search", body, tokenize=unicode61);
CREATE TRIGGER messages_fts_before_update BEFORE UPDATE OF body ON messages
BEGIN
  DELETE FROM messages_fts WHERE docid = old.rid AND NOT EXISTS (SELECT 1 FROM fts_pending WHERE rid = old.rid);
END;
CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF body ON messages
WHEN new.body IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fts_pending WHERE rid = new.rid)
BEGIN
  INSERT INTO messages_fts (docid, body) VALUES (new.rid, tenchat_visible_text(new.content_type, new.body));
END;
CREATE TRIGGER messages_fts_before_delete BEFORE DELETE ON messages
BEGIN
  DELETE FROM messages_fts WHERE docid = old.rid AND NOT EXISTS (SELECT 1 FROM fts_pending WHERE rid = old.rid);
  DELETE FROM fts_pending WHERE rid = old.rid;
END;
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
DELETE FROM fts_pending;
)SQL";

// Version 7: structured payloads (a plugin's poll or card, any content type
// this client cannot show) are indexed by their plain-text fallback only,
// as tenchat_visible_text now gives it; until now the function passed their
// JSON through, so field names and values were searchable and showed in
// snippets. The index (FTS4 over the view, its content computed at read
// time) is rebuilt from the view, so rows indexed with their JSON get the
// fallback's terms, and deleting or editing them later removes exactly the
// terms the index holds. Conversation previews and notifications are
// computed on read and need nothing.
const char* const kStructuredFallbackIndex = R"SQL(
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
DELETE FROM fts_pending;
)SQL";

} // namespace

const std::vector<Migrations::Step>& Migrations::steps()
{
    static const std::vector<Step> all {
        { 1, "initial schema", kInitialSchema },
        { 2, "full-text search (FTS4, unicode61)", kFullTextSearch },
        { 3, "inbox of undecrypted envelopes", kInbox },
        { 4, "full-text indexing batched per transaction", kBatchedIndexing },
        { 5, "drop the outbox_due and conversations_recency indexes", kDropUnusedIndexes },
        { 6, "full-text index of visible text only (file names, never manifests)", kVisibleTextIndex },
        { 7, "full-text index of structured payloads by their fallback text, never their JSON",
            kStructuredFallbackIndex },
    };
    return all;
}

int Migrations::latestVersion()
{
    return steps().back().version;
}

StoreOk Migrations::migrate(Database& db, int target)
{
    auto current = db.userVersion();
    if (!current)
        return makeUnexpected(std::move(current).error());
    if (*current > latestVersion())
        return storeError(StoreErrorCode::SchemaTooNew,
            QStringLiteral("schema version %1 is newer than this TenChat (%2)").arg(*current).arg(latestVersion()));
    for (const Step& step : steps()) {
        if (step.version <= *current || step.version > target)
            continue;
        Transaction transaction(db);
        if (!transaction.begun())
            return transaction.begun();
        if (auto applied = db.exec(step.sql); !applied)
            return storeError(StoreErrorCode::Sql,
                QStringLiteral("migration %1 (%2) failed: %3")
                    .arg(step.version)
                    .arg(step.description, applied.error().message));
        if (auto bumped = db.setUserVersion(step.version); !bumped)
            return bumped;
        if (auto committed = transaction.commit(); !committed)
            return committed;
    }
    return {};
}

} // namespace tenchat::core::store
