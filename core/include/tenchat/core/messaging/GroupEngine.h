// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/GroupInfo.h"
#include "tenchat/core/messaging/MessagingError.h"
#include "tenchat/core/messaging/UndecryptedEntry.h"
#include "tenchat/core/store/StoreTypes.h"
#include "tenchat/crypto/Bytes.h"
#include "tenchat/v1/frame.pb.h"
#include "tenchat/v1/messaging.pb.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace tenchat::crypto {
struct SenderKeyPosition;
}

namespace tenchat::core::messaging {

class Messenger;
class KeyRequestLimiter;
struct ToDeviceBody;

// Groups and channels of one Messenger (same thread).
//
// Management: create (members by handle), add, remove, leave and list, with
// the relay as the authority on membership and roles (owner, admin, member;
// in a channel only owners and admins post, the others read).
//
// Encryption: every group message is encrypted once with this device's
// sender key (libsignal group_cipher). The key's distribution message goes
// to every member device over pairwise double-ratchet to-device messages,
// before the first message that needs it; which devices already have the
// current key is remembered, so new members and new devices get it with the
// next message (or at once when we add them). When a member is removed or
// leaves, every remaining member rotates its sender key (eagerly when it
// sees the membership entry, at the latest before its next message) and
// hands the new key to the remaining members only: a removed member cannot
// read anything sent after its removal.
//
// Sender-key recovery (GroupKeyRecovery.cpp): a group entry that cannot be
// opened because the sender's key is missing or behind stays stored, and the
// sender device is asked for its key over a pairwise to-device message (rate
// limited per sender device and group, with backoff). The sender answers
// only a current member, with its key from the iteration the requester needs
// when it still has it (never from before the requesting device had the key).
class GroupEngine : public QObject {
    Q_OBJECT
public:
    explicit GroupEngine(Messenger& messenger);

    // Creates a group (or a channel) with the given members (handles without
    // '@'); this account becomes its owner. `ttlSeconds` > 0 makes it
    // ephemeral. Done with the conversation id.
    void create(const QString& title, const QStringList& handles, bool channel, quint32 ttlSeconds,
        std::function<void(MessagingExpected<QString>)> done);
    void addMember(const QString& conversationId, const QString& handle, std::function<void(MessagingOk)> done);
    void removeMember(const QString& conversationId, const QString& handle, std::function<void(MessagingOk)> done);
    void leave(const QString& conversationId, std::function<void(MessagingOk)> done);
    // Owners only (the relay enforces it): makes a member an owner, an admin
    // (who may post in a channel and add members) or a plain member.
    void setRole(const QString& conversationId, const QString& handle, store::MemberRole role,
        std::function<void(MessagingOk)> done);

    // Compares the local groups with the relay's list (done on every
    // connect): a group we were removed from while offline is marked left
    // (the relay does not sync a conversation to former members), and the
    // members and roles of the others are brought up to date.
    void reconcile(std::function<void(MessagingOk)> done);

    MessagingExpected<QList<GroupInfo>> list();
    MessagingExpected<GroupInfo> info(const QString& conversationId);
    // A conversation id, or the name of exactly one known group.
    MessagingExpected<QString> resolve(const QString& idOrName);
    // Whether this account may post in the conversation now: NotFound (no
    // such conversation, or no longer a member), Forbidden (a channel reader).
    MessagingOk canPost(const QString& conversationId);
    bool isGroup(const QString& conversationId);

    // The conversation's received entries that cannot be opened yet (or at
    // all), oldest first: for the UI to show in the timeline.
    MessagingExpected<QList<UndecryptedEntry>> undecrypted(const QString& conversationId);
    // Asks a sender device for its sender key from `keyId`/`iteration` on,
    // now (a user's "retry"; recovery asks by itself when needed).
    void requestSenderKey(const QString& conversationId, const QString& senderUserHex, quint32 senderDevice,
        quint32 keyId, quint32 iteration);
    // The user asks again for the keys the conversation's waiting entries
    // need ("Request again" on a waiting message): each sender device we
    // wait for is asked now unless the request limiter says it was asked
    // too recently. 0: asked now; > 0: when asking is allowed again (ms
    // since the epoch); -1: nothing of the conversation is waiting.
    qint64 requestAgain(const QString& conversationId);
    ~GroupEngine() override;

signals:
    void groupChanged(const QString& conversationId); // members, roles, name
    void removedFromGroup(const QString& conversationId); // this account was removed (or left)
    // Entries of the conversation started or stopped waiting for a key, or
    // became undecryptable (see undecrypted()).
    void undecryptedChanged(const QString& conversationId);
    // Sender-key recovery, for diagnostics: a request sent by this device; a
    // request from another device answered, or refused (not a member).
    void senderKeyRequested(const QString& conversationId, const QString& senderUserHex, quint32 senderDevice);
    void senderKeyRequestAnswered(const QString& conversationId, const QString& requesterUserHex, quint32 device);
    void senderKeyRequestRefused(const QString& conversationId, const QString& requesterUserHex, quint32 device);

private:
    friend class Messenger;
    // The sender key a waiting entry needs: from this device, this key id,
    // from this iteration on.
    struct KeyWant {
        QString conversationId;
        QString userHex;
        quint32 device = 0;
        quint32 keyId = 0;
        quint32 iteration = 0;
    };

    // Hooks called by the Messenger.
    void sendItem(const store::OutboxItem& item, int attempt);
    bool processEntry(const store::InboxEnvelope& envelope, const tenchat::v1::Entry& entry);
    bool applyMembership(const store::InboxEnvelope& envelope, const tenchat::v1::Entry& entry);
    std::vector<std::uint64_t> onToDevice(const std::vector<tenchat::v1::ToDeviceMessage>& messages);

    // Hands our current sender key (rotated first when due) to every member
    // device that does not have it yet.
    void distribute(const QString& conversationId, std::function<void(MessagingOk)> done, int attempt = 0);
    void sendEncrypted(const store::OutboxItem& item, int attempt);
    void failItem(const store::OutboxItem& item);
    void lookupUser(const QString& handle, std::function<void(MessagingExpected<QString>)> done);
    void resolveHandles(
        QStringList pending, QStringList resolved, std::function<void(MessagingExpected<QStringList>)> done);
    void membershipRequest(const tenchat::v1::Request& request, std::function<void(MessagingOk)> done);
    MessagingOk ensureGroup(const QString& conversationId, const QString& title);
    MessagingOk markRotation(const QString& conversationId);
    bool processToDevice(const tenchat::v1::ToDeviceMessage& message);
    // Encrypts `body` for each (user, device) with a session into `request`
    // (a send_to_device); the devices it went to.
    MessagingExpected<QStringList> encryptToDevices(
        const ToDeviceBody& body, const QList<QPair<QString, std::int32_t>>& targets, tenchat::v1::Request& request);
    // Sends `body` to one device (sessions set up first), outside any transaction.
    void sendToDevice(
        const ToDeviceBody& body, const QString& userHex, quint32 device, std::function<void(MessagingOk)> done);

    // Sender-key recovery (GroupKeyRecovery.cpp). A "stream" is one sender
    // device in one conversation.
    // An entry of `stream` failed for lack of a key (missing or behind):
    // records its state (waiting / undecryptable) and asks when due.
    bool keepUndecrypted(const store::InboxEnvelope& envelope, const QString& conversationId, const QString& senderHex,
        quint32 senderDevice, const crypto::SenderKeyPosition& position);
    // true: a waiting entry nothing new can open yet (skip decrypting it).
    bool stillWaiting(const store::InboxEnvelope& envelope, const QString& stream);
    void wantKey(const QString& stream, const KeyWant& want);
    void flushKeyRequests();
    void sendKeyRequest(const QString& stream, const KeyWant& want);
    void onSenderKeyAnswer(const QString& stream, const ToDeviceBody& body);
    void answerKeyRequest(const QString& requesterHex, quint32 device, const ToDeviceBody& request);
    void saveCheckpoint(const QString& conversationId, const QByteArray& distribution, const QSet<QString>& devices);
    void checkpointIfDue(const QString& conversationId, const crypto::Bytes& ciphertext);
    // The requests sent and not answered, with their limits (settings
    // keyRequestsKey()): loaded when the engine is made, saved on change.
    void loadKeyRequests();
    void saveKeyRequests();

    Messenger& m_;
    QHash<QString, KeyWant> wanted_; // stream -> the key to ask for
    QHash<QString, KeyWant> asked_; // stream -> the last request sent
    // stream -> key id -> iteration from which the sender answered: entries
    // of that key from there on that still fail are undecryptable.
    QHash<QString, QHash<quint32, quint32>> answered_;
    QHash<QString, quint64> keyGeneration_; // stream -> keys taken in so far
    struct Tried {
        quint64 generation = 0; // of its stream's keys, when it last failed
        KeyWant want;
    };
    QHash<qint64, Tried> triedAt_; // waiting envelope id -> its last attempt
    std::unique_ptr<KeyRequestLimiter> requestLimiter_;
    std::unique_ptr<KeyRequestLimiter> answerLimiter_;
    QTimer requestTimer_;
};

} // namespace tenchat::core::messaging
