// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/GroupInfo.h"
#include "tenchat/core/messaging/MessagingError.h"
#include "tenchat/core/messaging/OwnDevice.h"
#include "tenchat/core/messaging/UndecryptedEntry.h"
#include "tenchat/core/store/AsyncStore.h"
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace tenchat::core::messaging {
class Messenger;
}

namespace tenchat::ui {

class MediaWorker;

// The messaging engine (Account + Messenger) of the open profile, run on the
// AsyncStore's worker thread next to the store it uses synchronously. This
// object is the GUI-thread side: every call posts a job to the worker and
// every answer comes back on the GUI thread. The timeline and conversation
// list follow the engine's writes through the store's change signals.
class MessagingService : public QObject {
    Q_OBJECT
public:
    enum class State { Offline, Connecting, Syncing, Live };
    Q_ENUM(State)

    using Done = std::function<void(QString error)>;
    using IdDone = std::function<void(QString id, QString error)>;
    using CodeShown = std::function<void(QString code, qint64 expiresAtMs)>;
    using DevicesDone = std::function<void(QList<core::messaging::OwnDevice> devices, QString error)>;

    explicit MessagingService(core::store::AsyncStore* store, QObject* parent = nullptr);
    ~MessagingService() override; // stops the engine on the worker and waits for it

    // Attaches the account to the open store; registers `handle` on
    // `relayUrl` first when the profile is not registered yet (first run).
    // Then starts syncing. `done` gets "" or the reason it failed.
    void start(const QUrl& relayUrl, const QString& handle, Done done);
    bool isStarted() const { return started_; }

    State state() const { return state_; }
    QString handle() const { return handle_; }
    QString userId() const { return userId_; } // hex
    QString deviceSummary() const { return deviceSummary_; }
    // The engine's media side (lives on the worker thread; talk to it with
    // queued calls). Null before start() succeeded.
    MediaWorker* mediaWorker() const { return mediaWorker_; }

    void queueText(const QString& conversationId, const QString& text, const QString& replyTo, IdDone done);
    void queueEdit(const QString& messageId, const QString& text, IdDone done);
    void queueDelete(const QString& messageId, IdDone done);
    void queueReaction(const QString& messageId, const QString& emoji, bool remove, IdDone done);
    // Sends a failed message again (as a new message) and drops the failed copy.
    void retry(const QString& messageId, IdDone done);
    // Resolves a handle to a direct conversation (created on the relay the first time).
    void openDirect(const QString& handle, IdDone done);
    void safetyNumber(const QString& handle, IdDone done);
    void trust(const QString& handle, Done done);
    void identityChanged(const QString& handle, std::function<void(bool changed)> done);
    // Runs `job` on the store's worker thread with the running messenger
    // (null before start() finished or after shutdown): for services that
    // live next to it there (the plugin container).
    void withMessenger(std::function<void(core::messaging::Messenger*)> job);

    // --- groups and channels (MessagingServiceGroups.cpp) ---------------------
    // A failed group operation: what went wrong, for an inline message.
    struct Failure {
        QString message; // "" on success
        core::messaging::MessagingErrorCode code = core::messaging::MessagingErrorCode::Network;
        bool ok() const { return message.isEmpty(); }
    };
    using GroupDone = std::function<void(Failure failure)>;
    // Creates a group (or channel) with members by handle (without '@');
    // `done` gets the new conversation's id.
    void createGroup(const QString& title, const QStringList& handles, bool channel, quint32 ttlSeconds,
        std::function<void(QString id, Failure failure)> done);
    void groupInfo(
        const QString& conversationId, std::function<void(core::messaging::GroupInfo info, Failure failure)> done);
    void addMember(const QString& conversationId, const QString& handle, GroupDone done);
    void removeMember(const QString& conversationId, const QString& handle, GroupDone done);
    void setRole(const QString& conversationId, const QString& handle, core::store::MemberRole role, GroupDone done);
    void leaveGroup(const QString& conversationId, GroupDone done);
    // The group's received entries that cannot be opened yet (or at all),
    // oldest first (empty when none, or before start()).
    void undecrypted(
        const QString& conversationId, std::function<void(QList<core::messaging::UndecryptedEntry> entries)> done);
    // Asks the senders of the group's waiting entries again for their keys,
    // within the request limiter's rules: `done` gets 0 (asked), the time
    // asking is allowed again (ms since the epoch) or -1 (nothing waits).
    void requestKeysAgain(const QString& conversationId, std::function<void(qint64 next)> done);
    // Typing indicator for a conversation (the engine sends nothing when the
    // preference is off or the relay is not reachable).
    void setTyping(const QString& conversationId, bool typing);

    // First run, linking to an existing account (core LinkRequest): on the
    // open, unregistered profile, publishes an offer and reports the
    // one-time code; `done` gets "" once a device of the account approved
    // and this device is registered (then call start()), or the reason.
    void startLink(const QUrl& relayUrl, const QString& deviceName, CodeShown onCode, Done done);
    // Stops waiting for an approval (`done` of startLink is not called).
    void cancelLink();
    // This account's devices (asks the relay), revoking one, approving a new one.
    void listDevices(DevicesDone done);
    void revokeDevice(quint32 deviceId, Done done);
    // `done` gets the new device's id.
    void approveLink(const QString& code, IdDone done);

Q_SIGNALS:
    void stateChanged();
    void identityChangeDetected(const QString& handle);
    // A new incoming message (for notifications and unread counts).
    void messageReceived(
        const QString& conversationId, const QString& messageId, const QString& fromHandle, const QString& preview);
    // Members, roles or the name of a group changed (also: this account left or was removed).
    void groupChanged(const QString& conversationId);
    // Entries of the group started or stopped waiting for a sender key, or
    // became undecryptable (see undecrypted()).
    void undecryptedChanged(const QString& conversationId);
    void typingChanged(const QString& conversationId, const QString& fromHandle, bool typing);
    // Coarse presence of a contact; `conversationId` is the direct chat with
    // it ("" when there is none). `presence`: ConversationFilterModel::Presence.
    void presenceChanged(const QString& handle, const QString& conversationId, int presence);

private:
    struct Engine;
    // Runs `job` on the worker with the engine (null before start()).
    void withEngine(std::function<void(Engine&)> job);
    // Forwards the engine's group, typing and presence signals (worker thread).
    void connectEngineSignals(core::messaging::Messenger* messenger);
    void setState(State state);
    // Posts `fn` to the GUI thread unless this object is gone.
    void toGui(std::function<void()> fn);

    QPointer<core::store::AsyncStore> store_;
    std::shared_ptr<Engine> engine_; // touched on the worker thread only
    State state_ = State::Offline;
    bool started_ = false;
    QString handle_;
    QString userId_;
    QString deviceSummary_;
    MediaWorker* mediaWorker_ = nullptr; // owned by the engine, destroyed with it on the worker
};

} // namespace tenchat::ui
