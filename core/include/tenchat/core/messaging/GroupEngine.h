// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/GroupInfo.h"
#include "tenchat/core/messaging/MessagingError.h"
#include "tenchat/core/store/StoreTypes.h"
#include "tenchat/v1/frame.pb.h"
#include "tenchat/v1/messaging.pb.h"

#include <QObject>
#include <QSet>

#include <functional>
#include <vector>

namespace tenchat::core::messaging {

class Messenger;

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

signals:
    void groupChanged(const QString& conversationId); // members, roles, name
    void removedFromGroup(const QString& conversationId); // this account was removed (or left)

private:
    friend class Messenger;

    // Hooks called by the Messenger.
    void sendItem(const store::OutboxItem& item, int attempt);
    bool processEntry(const store::InboxEnvelope& envelope, const tenchat::v1::Entry& entry);
    bool applyMembership(const store::InboxEnvelope& envelope, const tenchat::v1::Entry& entry);
    std::vector<std::uint64_t> onToDevice(const std::vector<tenchat::v1::ToDeviceMessage>& messages);
    // Envelopes waiting for a sender key stay in the inbox (for a while).
    bool waitingForKey(qint64 envelopeId) const { return waitingForKey_.contains(envelopeId); }

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

    Messenger& m_;
    QSet<qint64> waitingForKey_;
};

} // namespace tenchat::core::messaging
