// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Plain records that the store's repositories read and write and that the
// async API hands across threads (hence the metatype declarations).

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <cstdint>
#include <optional>

namespace tenchat::core::store {

enum class ConversationType { Direct = 0, Group = 1, Channel = 2, Ephemeral = 3 };
enum class DeliveryState { Queued = 0, Sent = 1, Delivered = 2, Read = 3, Failed = 4 };
enum class MemberRole { Member = 0, Moderator = 1, Admin = 2, Owner = 3 };

struct Conversation {
    QString id;
    ConversationType type = ConversationType::Direct;
    QString title;
    qint64 ttlMs = 0; // > 0: messages expire ttlMs after sending
    QString policyJson = QStringLiteral("{}");
    qint64 featureFlags = 0;
    bool muted = false;
    bool archived = false;
    qint64 createdAt = 0;
};

struct ConversationSummary {
    Conversation conversation;
    qint64 lastActivityAt = 0;
    QString lastMessageId;
    QString lastMessagePreview; // first line of the last message, "" when deleted
    QString lastMessageSender;
    int unreadCount = 0;
};

struct Reaction {
    QString userId;
    QString emoji;
    friend bool operator==(const Reaction&, const Reaction&) = default;
};

struct Message {
    QString id; // ULID
    QString conversationId;
    QString senderUserId;
    int senderDeviceId = 0;
    bool outgoing = false;
    std::optional<qint64> serverSeq;
    qint64 lamport = 0;
    qint64 sentAt = 0;
    qint64 receivedAt = 0;
    QString contentType = QStringLiteral("text/plain");
    QString body; // null when tombstoned
    QString replyTo;
    std::optional<qint64> editedAt;
    DeliveryState delivery = DeliveryState::Queued;
    bool read = false;
    bool tombstone = false;
    std::optional<qint64> expiresAt;
    QList<Reaction> reactions;

    // Timeline order: by relay sequence; not-yet-sequenced messages last,
    // by Lamport clock (then id).
    qint64 sortSeq() const { return serverSeq.value_or(kPendingSeq + lamport); }
    static constexpr qint64 kPendingSeq = (qint64(1) << 62);
};

struct MessageEdit {
    qint64 editedAt = 0;
    QString previousBody;
};

// Where a timeline page starts: strictly older than this (sortSeq, id).
struct TimelineCursor {
    qint64 sortSeq = 0;
    QString id;
};

struct SearchHit {
    QString messageId;
    QString conversationId;
    qint64 sentAt = 0;
    QString snippet; // with the caller's highlight markers around matched terms
};

enum class OutboxKind { ConversationAppend = 0, ToDevice = 1, Receipt = 2, Reaction = 3, Edit = 4, Delete = 5 };

struct OutboxItem {
    qint64 id = 0;
    OutboxKind kind = OutboxKind::ConversationAppend;
    QString messageId;
    QString conversationId;
    QByteArray payload;
    int attempts = 0;
    qint64 nextAttemptAt = 0;
    qint64 createdAt = 0;
    QString lastError;
};

enum class InboxSource { ConversationLog = 0, ToDevice = 1 };

struct InboxEnvelope {
    qint64 id = 0;
    InboxSource source = InboxSource::ConversationLog;
    QString conversationId;
    std::optional<qint64> serverSeq;
    QByteArray envelope;
    qint64 receivedAt = 0;
    int attempts = 0;
    QString lastError;
};

struct ProfileInfo {
    QString userId;
    QString displayName;
    QString avatarPath;
    qint64 createdAt = 0;
};

struct OwnDevice {
    int deviceId = 0;
    QString name;
    QByteArray identityKey; // public key
    bool isCurrent = false; // this installation
    qint64 addedAt = 0;
    std::optional<qint64> revokedAt;
};

enum class AttachmentState { Remote = 0, Downloading = 1, Complete = 2, Failed = 3 };

struct Attachment {
    QString id;
    QString messageId;
    QByteArray manifest; // chunk hashes, keys and sizes (protocol message)
    QString mimeType;
    qint64 size = 0;
    QString localPath; // empty until downloaded
    AttachmentState state = AttachmentState::Remote;
};

enum class ContactTrust { Unverified = 0, Verified = 1, Changed = 2 };

struct Contact {
    QString userId;
    QString displayName;
    ContactTrust trust = ContactTrust::Unverified;
    bool blocked = false;
};

} // namespace tenchat::core::store

Q_DECLARE_METATYPE(tenchat::core::store::Message)
Q_DECLARE_METATYPE(tenchat::core::store::ConversationSummary)
