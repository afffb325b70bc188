// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by the store tests: fast Argon2 parameters, message
// factories and a byte-exact snapshot of a profile directory.

#include "tenchat/core/store/ProfileStore.h"
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

} // namespace storetest
