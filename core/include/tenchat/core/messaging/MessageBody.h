// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace tenchat::core::messaging {

// What travels inside the end-to-end ciphertext (never seen by the relay):
// a small versioned JSON object, padded before encryption. Operations on an
// earlier message (edit, delete, reaction) reference it by `target`. A
// content type this client does not know is kept and stored as is.
struct MessageBody {
    // Receipt: a control message (delivered / read) naming `targets`.
    enum class Op { Message, Edit, Delete, Reaction, Receipt };

    Op op = Op::Message;
    QString messageId; // ULID; must equal the entry's message id
    QString contentType = QStringLiteral("text/plain");
    QString text;
    QString replyTo;
    QString target; // edit/delete/reaction: the message operated on
    QString emoji; // reaction
    bool removeReaction = false;
    QString receipt; // receipt: "delivered" or "read"
    QStringList targets; // receipt: the message ids it covers
    qint64 sentAt = 0; // sender's clock, ms since the epoch
    qint64 lamport = 0; // sender's Lamport clock (0: not given, older senders)

    QByteArray encode() const;
    // nullopt for anything that is not a version-1 body.
    static std::optional<MessageBody> decode(const QByteArray& bytes);
};

} // namespace tenchat::core::messaging
