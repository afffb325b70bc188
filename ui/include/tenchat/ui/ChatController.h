// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/Ulid.h"
#include "tenchat/ui/ContactController.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/GroupController.h"
#include "tenchat/ui/MediaController.h"
#include "tenchat/ui/NewGroupController.h"
#include "tenchat/ui/PluginsController.h"
#include "tenchat/ui/SearchModel.h"
#include "tenchat/ui/SettingsController.h"
#include "tenchat/ui/TimelineDecorator.h"
#include "tenchat/ui/TypingController.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace tenchat::core::store {
class AsyncStore;
class ConversationListModel;
class TimelineModel;
} // namespace tenchat::core::store

namespace tenchat::ui {

class MessagingService;

// The main window's state: the conversation list, the open conversation's
// timeline, and the composer (drafts per conversation, sending). Reads and
// writes through the AsyncStore only, so the GUI thread never waits on disk.
// Sending goes through the messaging engine (MessagingService): the message
// is committed as queued (it shows at once, also offline) and the engine's
// outbox delivers it; the timeline follows its delivery state.
class ChatController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by SessionController")
    Q_PROPERTY(tenchat::ui::ConversationFilterModel* conversations READ conversations CONSTANT)
    Q_PROPERTY(tenchat::ui::TimelineDecorator* timeline READ timeline CONSTANT)
    // The other person of the open direct chat (contact page, identity banner).
    Q_PROPERTY(tenchat::ui::ContactController* contact READ contact CONSTANT)
    Q_PROPERTY(tenchat::ui::SearchModel* search READ search CONSTANT)
    Q_PROPERTY(tenchat::ui::SettingsController* settings READ settings CONSTANT)
    Q_PROPERTY(tenchat::ui::PluginsController* plugins READ plugins CONSTANT)
    // The open group's info page, the new-group dialog, typing indicators.
    Q_PROPERTY(tenchat::ui::GroupController* group READ group CONSTANT)
    Q_PROPERTY(tenchat::ui::NewGroupController* newGroup READ newGroup CONSTANT)
    Q_PROPERTY(tenchat::ui::TypingController* typing READ typing CONSTANT)
    // ConversationFilterModel::Presence of the open direct chat's contact.
    Q_PROPERTY(int currentPresence READ currentPresence NOTIFY presenceChanged)
    Q_PROPERTY(tenchat::ui::MediaController* media READ media CONSTANT)
    Q_PROPERTY(QString currentConversationId READ currentConversationId NOTIFY currentChanged)
    Q_PROPERTY(QString currentTitle READ currentTitle NOTIFY currentChanged)
    Q_PROPERTY(bool currentIsGroup READ currentIsGroup NOTIFY currentChanged)
    Q_PROPERTY(int currentMemberCount READ currentMemberCount NOTIFY membersChanged)
    Q_PROPERTY(QString draft READ draft NOTIFY draftChanged)
    // Composer mode: replying to or editing one message ("" when neither).
    Q_PROPERTY(QString replyToId READ replyToId NOTIFY composeModeChanged)
    Q_PROPERTY(QString editingId READ editingId NOTIFY composeModeChanged)
    Q_PROPERTY(QString composeQuote READ composeQuote NOTIFY composeModeChanged)
    // The last refused input or failure (the chat page shows it until
    // dismissed): its sentence and its InputError kind.
    Q_PROPERTY(QString lastError READ lastError NOTIFY errorOccurred)
    Q_PROPERTY(tenchat::ui::InputError::Kind lastErrorKind READ lastErrorKind NOTIFY errorOccurred)
    // What became of the last "Request again" of a waiting group message
    // ("" until asked in the open conversation).
    Q_PROPERTY(QString keyRequestNote READ keyRequestNote NOTIFY keyRequestNoteChanged)
public:
    explicit ChatController(QObject* parent = nullptr);
    ~ChatController() override;

    // Called by SessionController once the profile is open.
    void attach(core::store::AsyncStore* store, MessagingService* messaging, const QString& selfUserId);

    ConversationFilterModel* conversations() const { return conversations_; }
    TimelineDecorator* timeline() const { return timeline_; }
    ContactController* contact() const { return contact_; }
    SearchModel* search() const { return search_; }
    SettingsController* settings() const { return settings_; }
    PluginsController* plugins() const { return plugins_; }
    GroupController* group() const { return group_; }
    NewGroupController* newGroup() const { return newGroup_; }
    TypingController* typing() const { return typing_; }
    int currentPresence() const { return int(conversations_->presenceOf(currentId_)); }
    MediaController* media() const { return media_; }
    QString currentConversationId() const { return currentId_; }
    QString currentTitle() const { return currentTitle_; }
    bool currentIsGroup() const { return currentIsGroup_; }
    int currentMemberCount() const { return memberCount_; }
    QString draft() const { return draft_; }
    QString replyToId() const { return replyToId_; }
    QString editingId() const { return editingId_; }
    QString composeQuote() const { return composeQuote_; }
    QString lastError() const { return lastError_; }
    InputError::Kind lastErrorKind() const { return lastErrorKind_; }
    QString keyRequestNote() const { return keyRequestNote_; }

    Q_INVOKABLE void openConversation(const QString& id);
    Q_INVOKABLE void openAdjacent(int step); // Alt+Up/Down
    // Opens a conversation at one of its messages (a search result).
    Q_INVOKABLE void openMessage(const QString& conversationId, const QString& messageId);
    // Sends the text (trimmed) — or, in edit mode, edits the message; false
    // when there is nothing to send (InputError::EmptyMessage: nothing is
    // queued, the draft stays). "/name args" goes to the plugin that
    // declares the command instead (false, with a hint, when none does);
    // "//text" sends "/text".
    Q_INVOKABLE bool send(const QString& text);
    Q_INVOKABLE void startReply(const QString& messageId);
    Q_INVOKABLE void startEdit(const QString& messageId); // own messages only
    Q_INVOKABLE void cancelComposeMode();
    Q_INVOKABLE void toggleReaction(const QString& messageId, const QString& emoji);
    Q_INVOKABLE void deleteForEveryone(const QString& messageId);
    Q_INVOKABLE void retry(const QString& messageId);
    Q_INVOKABLE static void copyToClipboard(const QString& text);
    // Opens (creating on the relay the first time) the direct chat with a handle.
    Q_INVOKABLE void startDirectChat(const QString& handle);
    // Whether the window is in front (set by the view): no notification for
    // the open conversation then.
    Q_INVOKABLE void setWindowActive(bool active) { windowActive_ = active; }
    // The composer's current text; saved as the conversation's draft shortly after typing stops.
    Q_INVOKABLE void setDraftText(const QString& text);
    Q_INVOKABLE void setPinned(const QString& id, bool pinned);
    Q_INVOKABLE void setMuted(const QString& id, bool muted);
    Q_INVOKABLE bool isPinned(const QString& id) const;
    // Removes the conversation, its messages and draft from this device
    // only (the others and the relay keep theirs).
    Q_INVOKABLE void deleteLocally(const QString& id);
    // Asks the senders of the open group's waiting messages again for their
    // keys (rate limited by the engine: too soon after the last request,
    // the note says when asking is possible again).
    Q_INVOKABLE void requestKeysAgain();
    // The person dismissed the error shown.
    Q_INVOKABLE void clearError();

    // Blocks until the store has run every queued job (tests only).
    void waitForStore();

Q_SIGNALS:
    void currentChanged();
    void membersChanged();
    void presenceChanged();
    void draftChanged();
    void composeModeChanged();
    // The timeline should scroll to this message (loading older pages as needed).
    void jumpRequested(const QString& messageId);
    void messageSent(const QString& messageId);
    void directChatFailed(const QString& message);
    // A message arrived that the user should hear about (not muted, not the
    // conversation in front of them); the body is hidden when previews are off.
    void notificationRequested(const QString& title, const QString& body, const QString& conversationId);
    void errorOccurred(const QString& message);
    void keyRequestNoteChanged();

private:
    void flushDraft();
    void fail(const QString& message, InputError::Kind kind = InputError::SendFailed);
    void lookUpPreviewNames();
    void onMessageReceived(const QString& conversationId, const QString& from, const QString& preview);
    void loadNames(const QString& conversationId);
    void connectGroupsAndTyping(MessagingService* messaging);
    void refreshMemberCount();
    void refreshGroupTitle();
    // Placeholder rows for the open group's entries that cannot be opened yet.
    void refreshUndecrypted();
    void setKeyRequestNote(const QString& note);

    QPointer<core::store::AsyncStore> store_;
    QPointer<MessagingService> messaging_;
    QString replyToId_;
    QString editingId_;
    QString composeQuote_;
    QString lastError_;
    InputError::Kind lastErrorKind_ = InputError::None;
    QString keyRequestNote_;
    bool windowActive_ = true;
    bool lookingUpNames_ = false;
    QString selfUserId_;
    core::store::ConversationListModel* list_ = nullptr;
    ConversationFilterModel* conversations_ = nullptr;
    TimelineDecorator* timeline_ = nullptr;
    ContactController* contact_ = nullptr;
    SearchModel* search_ = nullptr;
    SettingsController* settings_ = nullptr;
    PluginsController* plugins_ = nullptr;
    GroupController* group_ = nullptr;
    NewGroupController* newGroup_ = nullptr;
    TypingController* typing_ = nullptr;
    MediaController* media_ = nullptr;
    std::unique_ptr<core::store::TimelineModel> timelineSource_;
    core::store::UlidGenerator ulids_;
    QString currentId_;
    QString currentTitle_;
    bool currentIsGroup_ = false;
    int memberCount_ = 0;
    QString draft_;
    QString pendingDraft_;
    QString pendingDraftConversation_;
    QTimer draftTimer_;
};

} // namespace tenchat::ui
