// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by the store tests: fast Argon2 parameters, message
// factories and a byte-exact snapshot of a profile directory.

#include "tenchat/core/store/Database.h"
#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/core/store/SearchIndex.h"
#include "tenchat/core/store/Ulid.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMap>
#include <QTest>

namespace storetest {

using namespace tenchat::core::store;

inline ProfileStore::Options fastOptions()
{
    ProfileStore::Options options;
    options.kdf = tenchat::crypto::Argon2Params::forTests();
    return options;
}

inline UlidGenerator& ulids()
{
    static UlidGenerator generator;
    return generator;
}

inline Conversation conversation(const QString& id, ConversationType type = ConversationType::Direct, qint64 ttlMs = 0)
{
    Conversation c;
    c.id = id;
    c.type = type;
    c.title = QStringLiteral("Chat ") + id;
    c.ttlMs = ttlMs;
    c.createdAt = 0; // activity comes from messages only, so tests control the order
    return c;
}

inline Message message(const QString& conversationId, const QString& body, std::optional<qint64> seq = std::nullopt,
    qint64 sentAt = QDateTime::currentMSecsSinceEpoch())
{
    Message m;
    m.id = ulids().next();
    m.conversationId = conversationId;
    m.senderUserId = QStringLiteral("user-bob");
    m.senderDeviceId = 1;
    m.serverSeq = seq;
    m.sentAt = sentAt;
    m.receivedAt = sentAt;
    m.body = body;
    return m;
}

// Every file of the directory (recursively) with its exact bytes.
inline QMap<QString, QByteArray> snapshot(const QString& dir)
{
    QMap<QString, QByteArray> files;
    const QDir root(dir);
    const auto entries = root.entryInfoList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QFileInfo& info : entries) {
        QFile file(info.absoluteFilePath());
        if (file.open(QIODevice::ReadOnly))
            files.insert(info.fileName(), file.readAll());
    }
    return files;
}

// How many messages a search for `text` finds (-1 on error); the newest
// hit's snippet in `snippet`.
inline int searchHits(ProfileStore& store, const QString& text, QString* snippet = nullptr)
{
    SearchIndex::Query query;
    query.text = text;
    auto found = store.search().search(query);
    if (!found)
        return -1;
    if (snippet && !found->isEmpty())
        *snippet = found->first().snippet;
    return int(found->size());
}

// Creates a profile at schema `version` with conversation "c1" holding
// `messages`, its full-text index built from the raw bodies (as the versions
// before 6 did for files and before 7 for structured payloads), so that
// `rawTerm` (a word only a raw body holds) is found. Returns "" or the error.
inline QString createRawIndexedProfile(
    const QString& dir, int version, const QList<Message>& messages, const char* rawTerm)
{
    ProfileStore::Options old = fastOptions();
    old.schemaVersion = version;
    auto store = ProfileStore::create(dir, "pw", old);
    if (!store)
        return store.error().message;
    if (!(*store)->conversations().save(conversation(QStringLiteral("c1"))))
        return QStringLiteral("conversation not saved");
    for (const Message& m : messages)
        if (!(*store)->messages().insert(m).valueOr(false))
            return QStringLiteral("message not inserted");
    Database& db = (*store)->database();
    const auto reindexed
        = db.exec("DELETE FROM fts_pending; INSERT INTO messages_fts (docid, body) SELECT rid, body FROM messages;");
    if (!reindexed)
        return reindexed.error().message;
    auto raw = db.prepare(std::string("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH '") + rawTerm + "'");
    const bool found = raw && raw->step().valueOr(false) && raw->int32(0) == 1;
    return found ? QString() : QStringLiteral("the raw term is not indexed");
}

} // namespace storetest
