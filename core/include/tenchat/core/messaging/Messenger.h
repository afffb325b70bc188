// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/EphemeralExpiry.h"
#include "tenchat/core/messaging/GroupEngine.h"
#include "tenchat/core/messaging/MessageBody.h"
#include "tenchat/core/messaging/OwnDevice.h"
#include "tenchat/core/messaging/SyncCoordinator.h"
#include "tenchat/core/store/Ulid.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace tenchat::core::messaging {

class SignedPreKeyRotation;

// The messaging engine of one device, on one thread (the store is used
// synchronously; each step is one short transaction).
//
// Sending: a message is committed to the store (Queued) and to the outbox in
// one transaction first; the outbox is drained in order whenever the sync
// coordinator is live, with a window of appends in flight (pipelined; per
// conversation in outbox order). Each attempt encrypts for every device currently
// known (one double-ratchet ciphertext per recipient device and per other
// device of our own), with the same message id, so a retry after a lost
// answer is deduplicated by the relay. DEVICES_MISMATCH fetches bundles for
// missing devices and drops sessions of stale ones, then retries. A contact
// whose identity changed blocks its conversation until trust().
//
// Receiving: each entry is written to the inbox before decryption; decrypt,
// the message insert and the inbox removal are one transaction (the ratchet
// state commits with it), and only then is the entry acknowledged. Messages
// are deduplicated by id and ordered by the relay's sequence.
class Messenger : public QObject {
    Q_OBJECT
public:
    explicit Messenger(Account& account, QObject* parent = nullptr);
    ~Messenger() override;

    Account& account() { return account_; }
    SyncCoordinator& sync() { return sync_; }
    // Groups and channels (create, members, roles, sender keys).
    GroupEngine& groups() { return *groups_; }

    void start();
    void stop();

    // Resolves `handle` (without '@') to a direct conversation, creating it on
    // the relay the first time; known contacts resolve offline.
    void openDirect(const QString& handle, std::function<void(MessagingExpected<QString>)> done);
    // The direct conversation with `handle` known locally, if any.
    MessagingExpected<QString> knownDirect(const QString& handle);

    // Commits a message to a conversation (Queued) and schedules sending.
    // Returns the message id. Works offline.
    MessagingExpected<QString> queueText(
        const QString& conversationId, const QString& text, const QString& replyTo = {});
    // Commits several text messages to one conversation (Queued) in ONE
    // transaction and schedules sending; returns their ids, in order. All
    // or nothing: when it returns the ids, every message is committed (a
    // crash afterwards loses none); on an error none is stored. Cheaper than
    // one queueText() per message (one commit for the whole list).
    MessagingExpected<QStringList> queueTexts(const QString& conversationId, const QStringList& texts);
    // Same for a message of another content type (e.g. a file manifest,
    // application/vnd.tenchat.file+json, see docs/media.md).
    MessagingExpected<QString> queueContent(
        const QString& conversationId, const QString& contentType, const QString& content);
    // Edits, deletes for everyone, or reacts to one of the conversation's messages.
    MessagingExpected<QString> queueEdit(const QString& messageId, const QString& newText);
    MessagingExpected<QString> queueDelete(const QString& messageId);
    MessagingExpected<QString> queueReaction(const QString& messageId, const QString& emoji, bool remove = false);

    // Safety number with a contact (60 digits, grouped), from its first device.
    MessagingExpected<QString> safetyNumber(const QString& handle);
    // Accepts the current identity keys of a contact (after a change) and
    // releases the messages held for it.
    MessagingOk trust(const QString& handle);
    // Whether the contact's identity changed and waits for a decision.
    MessagingExpected<bool> identityChanged(const QString& handle);

    // --- devices, receipts, typing and presence (MessengerDevices.cpp) -----
    enum class Preference { ReadReceipts, Typing, Presence };
    enum class Presence { Online, Away, Offline };
    Q_ENUM(Presence)
    // Preferences are stored in the profile (default on) and move to linked devices.
    bool preference(Preference preference);
    MessagingOk setPreference(Preference preference, bool enabled);

    // This account's devices (online: asks the relay).
    void listDevices(std::function<void(MessagingExpected<QList<OwnDevice>>)> done);
    void revokeDevice(quint32 deviceId, std::function<void(MessagingOk)> done);
    // Approves a new device showing `code` (see LinkApproval); the new device id.
    void approveLink(const QString& code, std::function<void(MessagingExpected<quint32>)> done);

    // Marks the conversation read and, when read receipts are on, sends one
    // read receipt for the messages it covered. Returns how many were unread.
    MessagingExpected<int> markRead(const QString& conversationId);
    // Typing indicator and coarse presence: ephemeral, never stored on the
    // relay; nothing is sent when the preference is off.
    void setTyping(const QString& conversationId, bool typing);
    void setPresence(Presence presence);
    // Signed pre-key rotation (also runs on every connect and daily).
    SignedPreKeyRotation& keyRotation() { return *rotation_; }
    void checkKeyRotation();

    // The contact handle for a user id (hex), if known.
    QString handleOf(const QString& userIdHex);
    MessagingExpected<int> outboxSize();
    // Whether appends are in flight or being prepared (sessions, bundles).
    bool isSending() const { return !inFlight_.empty() || !preparing_.isEmpty(); }
    // Appends kept in flight at once (1: each waits for the relay's answer).
    void setSendWindow(int window) { sendWindow_ = std::max(1, window); }
    int sendWindow() const { return sendWindow_; }
    int appendsInFlight() const { return int(inFlight_.size()); }
    static constexpr int kDefaultSendWindow = 128;
    // Items of a conversation that has appends in flight wait for their
    // answers (and then go out together), unless this many are waiting.
    static constexpr int kCoalesceBatch = 32;
    // This device's Lamport clock (last value used or seen; after a restart
    // the stored ceiling, which is at least every value used before).
    qint64 lamportClock();
    // Clock values reserved by one write of the stored ceiling.
    static constexpr qint64 kLamportReserve = 1024;

signals:
    void messageReceived(const tenchat::core::store::Message& message, const QString& fromHandle);
    void messageChanged(const QString& messageId);
    void deliveryChanged(const QString& messageId, tenchat::core::store::DeliveryState state);
    void identityChangeDetected(const QString& handle);
    void outboxDrained();
    // An ephemeral message expired and was deleted from the store.
    void messageExpired(const QString& conversationId, const QString& messageId);
    void typingChanged(const QString& conversationId, const QString& fromHandle, bool typing);
    void presenceChanged(const QString& handle, tenchat::core::messaging::Messenger::Presence presence);

private:
    friend class GroupEngine;
    struct Recipient;
    // Sending.
    MessagingExpected<QString> queueOp(const QString& conversationId, MessageBody body, bool storeLocally);
    // Whether this device may queue into the conversation now.
    MessagingOk mayQueue(const QString& conversationId);
    // Stamps `body` (id, time, Lamport clock) and writes its local effect and
    // its outbox item, inside the caller's transaction. With `rows`, a new
    // message's row is appended there for the caller to insert, and the
    // clock is left for the caller to persist (persistLamport()).
    MessagingExpected<QString> stageOp(
        const QString& conversationId, MessageBody& body, bool storeLocally, QList<store::Message>* rows = nullptr);
    void scheduleFlush();
    // Seals the next batch in a transaction of its own, then sends it.
    void flushOutbox();
    struct Sealed;
    // Picks the due outbox items that may go now and encrypts them inside
    // the caller's transaction (false: a store error; nothing may be sent).
    bool sealNext(Sealed& next);
    // Encrypts `items` inside the caller's transaction into `next`.
    bool seal(const std::vector<store::OutboxItem>& items, Sealed& next);
    // Sends what was sealed, once its transaction has committed.
    void dispatch(Sealed& next);
    // The devices a conversation's messages are encrypted for; empty when
    // the conversation cannot send now (held, or sessions being set up).
    struct Targets;
    std::optional<Targets> sendTargets(const store::OutboxItem& item);
    void prepareSessions(const store::OutboxItem& item, const QStringList& userIds);
    void onAppendResponse(qint64 outboxId, MessagingExpected<tenchat::v1::Response> response);
    // A group item the GroupEngine finished without an append answer
    // (rescheduled, held, failed or dropped): it leaves the window.
    void groupItemDone(const store::OutboxItem& item);
    void repairDevices(const store::OutboxItem& item, const tenchat::v1::DevicesMismatch& mismatch);
    void commitResults();
    // Lamport clock: the next value for a message of ours, or the clock
    // moved past a received one (max + 1); persisted with the caller's
    // transaction, unless `persist` is false: then the caller calls
    // persistLamport() before its commit. What is stored is a ceiling
    // (clock + kLamportReserve - 1), written only when the clock passes it.
    MessagingExpected<qint64> tickLamport(qint64 seen = 0, bool persist = true);
    MessagingOk persistLamport();
    void ensureSessions(const QStringList& userIds, std::function<void(MessagingOk)> done);
    void fetchBundles(const QString& userIdHex, std::uint32_t deviceId, std::function<void(MessagingOk)> done);
    MessagingOk installBundle(const QString& userIdHex, const tenchat::v1::DeviceBundle& bundle, bool knownContact);
    void holdConversation(const QString& conversationId, const QString& reason);

    // Receiving.
    std::vector<tenchat::v1::SyncCursor> onEntries(const std::vector<tenchat::v1::Entry>& entries);
    std::vector<std::uint64_t> onToDevice(const std::vector<tenchat::v1::ToDeviceMessage>& messages);
    // false: an envelope was not done and the fast path must be abandoned.
    bool processInbox();
    // Emits now, or after the enclosing batch transaction commits.
    void announce(std::function<void()> signal);
    // true: done with the envelope (stored or permanently refused).
    bool processEnvelope(const store::InboxEnvelope& envelope);
    MessagingOk ensureConversation(const QString& conversationId, const tenchat::v1::Entry& entry);
    // Stores what a decrypted body says (a new message, an edit, a delete, a
    // reaction) inside the caller's transaction; `received`/`changed` tell
    // what to announce after the commit.
    MessagingOk applyBody(const QString& conversationId, const tenchat::v1::Entry& entry, const QString& senderHex,
        const MessageBody& body, std::optional<store::Message>& received, QString& changed);
    // Announces a stored message (once its sender's handle is known).
    void announceReceived(const store::Message& message, const QString& senderHex);
    void resolveContact(const QString& userIdHex);
    void refreshConversation(const QString& conversationId);
    void replenishPreKeys();
    // Receipts and ephemeral events (MessengerDevices.cpp).
    void applyReceipt(const QString& conversationId, const QString& senderHex, const MessageBody& body);
    void sendDeliveryReceipts();
    // Stages one delivery receipt per conversation for the messages received
    // so far, inside the caller's transaction (the caller flushes after its commit).
    MessagingOk stageDeliveryReceipts();
    void onEphemeral(const tenchat::v1::Event& event);
    void onLive();
    void onDeviceRevoked(quint32 deviceId, bool thisDevice);

    // Contacts.
    MessagingOk saveContact(const QString& userIdHex, const QString& handle);
    MessagingExpected<QString> userIdOfHandle(const QString& handle);
    MessagingExpected<QStringList> members(const QString& conversationId);

    Account& account_;
    SyncCoordinator sync_;
    store::UlidGenerator ulids_;
    QTimer flushTimer_;
    // The send window: appends sent and not answered (or answered, with the
    // result not yet committed), by outbox id.
    std::map<qint64, store::OutboxItem> inFlight_;
    int sendWindow_ = kDefaultSendWindow;
    QSet<QString> preparing_; // conversations waiting for sessions or a device-list repair
    QHash<qint64, int> mismatchRetries_; // outbox id -> DEVICES_MISMATCH retries so far
    struct SendResult {
        qint64 outboxId = 0;
        std::optional<qint64> seq; // none: refused for good (Failed)
    };
    std::vector<SendResult> results_; // answered appends, committed together
    QTimer resultTimer_;
    std::optional<qint64> lamport_; // loaded lazily
    QSet<QString> resolving_; // user ids with a handle lookup in flight
    // Messages from senders whose handle is still being looked up: announced
    // once it is known, so every messageReceived carries a handle.
    QHash<QString, QList<store::Message>> awaitingHandle_;
    int deferDepth_ = 0;
    // Within a batch: envelopes are processed without a savepoint each; the
    // first one that is not done makes the batch start again with savepoints.
    bool fastPath_ = false;
    std::vector<std::function<void()>> deferred_;
    QSet<QString> refreshing_; // conversations with a metadata fetch in flight
    std::unique_ptr<GroupEngine> groups_;
    EphemeralExpiry expiry_;
    // Received message ids per conversation, acknowledged with one delivery
    // receipt after the batch commits.
    QHash<QString, QStringList> pendingDelivered_;
    std::unique_ptr<SignedPreKeyRotation> rotation_;
    QTimer rotationTimer_;
};

} // namespace tenchat::core::messaging
