// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QList>
#include <QString>

#include <optional>

namespace tenchat::core::store {

class ChangeNotifier;
class Database;
class Statement;

// Messages, their edit history and reactions. Every change runs in one
// transaction and is announced through the ChangeNotifier after commit.
class MessageRepository {
public:
    MessageRepository(Database& db, ChangeNotifier* notifier) : db_(db), notifier_(notifier) { }

    // Inserts a message; a duplicate id (at-least-once delivery) is ignored
    // and returns false. The conversation must exist. In an ephemeral
    // conversation expiresAt defaults to sentAt + the conversation's TTL.
    StoreExpected<bool> insert(const Message& message);
    // The same inside the caller's open transaction, without a savepoint of
    // its own: on an error the caller must roll back. (SQLCipher encrypts
    // every page a savepoint journals, which doubled the cost of an insert.)
    StoreExpected<bool> insertInTransaction(const Message& message);
    // Inserts many messages in one transaction; returns how many were new.
    StoreExpected<int> insertBatch(const QList<Message>& messages);
    StoreExpected<int> insertBatch(const QList<Message>& messages, bool ownSavepoint);

    StoreExpected<std::optional<Message>> get(const QString& id);
    // Newest first, strictly older than `before` (from the start when empty).
    StoreExpected<QList<Message>> page(
        const QString& conversationId, const std::optional<TimelineCursor>& before, int limit);

    // Replaces the body, keeping the previous text in the edit history.
    StoreOk edit(const QString& id, const QString& newBody, qint64 editedAt);
    StoreExpected<QList<MessageEdit>> editHistory(const QString& id);
    StoreOk setDeliveryState(const QString& id, DeliveryState state);
    // The relay accepted the message with this sequence number (moves it in the timeline).
    StoreOk assignServerSeq(const QString& id, qint64 serverSeq);
    // The relay's answer to a send: the seq (if accepted) and the delivery
    // state in one update. false when there is no such message (not an error).
    StoreExpected<bool> markSent(const QString& id, std::optional<qint64> serverSeq, DeliveryState state);
    // "Deleted for everyone": the body, edits and reactions go; the row stays as a tombstone.
    StoreOk tombstone(const QString& id);
    // Removes the row entirely (local delete, expiry).
    StoreOk remove(const QString& id);

    StoreOk addReaction(const QString& id, const QString& userId, const QString& emoji, qint64 at);
    StoreOk removeReaction(const QString& id, const QString& userId, const QString& emoji);

    // Deletes messages whose expiresAt is at or before nowMs; returns the count.
    StoreExpected<int> expireEphemeral(qint64 nowMs);
    // The earliest pending expiry, to arm a timer.
    StoreExpected<std::optional<qint64>> nextExpiry();
    StoreExpected<qint64> count(const QString& conversationId = {});
    // Whether a message of `senderUserId` already holds this relay sequence
    // number in the conversation (a redelivered entry).
    StoreExpected<bool> existsAt(const QString& conversationId, qint64 serverSeq, const QString& senderUserId);

private:
    StoreExpected<bool> insertOne(const Message& message);
    StoreExpected<bool> insertOne(Statement& insert, const Message& message);
    StoreExpected<Statement*> insertStatement(); // the cached INSERT of one message
    StoreExpected<QList<Reaction>> reactionsOf(const QString& id);
    StoreOk announce(const QString& id);
    static Message fromRow(const Statement& row);

    Database& db_;
    ChangeNotifier* notifier_;
};

} // namespace tenchat::core::store
