// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/Ulid.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/TimelineDecorator.h"

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

// The main window's state: the conversation list, the open conversation's
// timeline, and the composer (drafts per conversation, sending). Reads and
// writes through the AsyncStore only, so the GUI thread never waits on disk.
// Sending stores the message as queued (it shows at once, also offline); the
// messaging engine's outbox delivers it once it is wired in.
class ChatController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by SessionController")
    Q_PROPERTY(tenchat::ui::ConversationFilterModel* conversations READ conversations CONSTANT)
    Q_PROPERTY(tenchat::ui::TimelineDecorator* timeline READ timeline CONSTANT)
    Q_PROPERTY(QString currentConversationId READ currentConversationId NOTIFY currentChanged)
    Q_PROPERTY(QString currentTitle READ currentTitle NOTIFY currentChanged)
    Q_PROPERTY(bool currentIsGroup READ currentIsGroup NOTIFY currentChanged)
    Q_PROPERTY(int currentMemberCount READ currentMemberCount NOTIFY membersChanged)
    Q_PROPERTY(QString draft READ draft NOTIFY draftChanged)
public:
    explicit ChatController(QObject* parent = nullptr);
    ~ChatController() override;

    // Called by SessionController once the profile is open.
    void attach(core::store::AsyncStore* store, const QString& selfUserId);

    ConversationFilterModel* conversations() const { return conversations_; }
    TimelineDecorator* timeline() const { return timeline_; }
    QString currentConversationId() const { return currentId_; }
    QString currentTitle() const { return currentTitle_; }
    bool currentIsGroup() const { return currentIsGroup_; }
    int currentMemberCount() const { return memberCount_; }
    QString draft() const { return draft_; }

    Q_INVOKABLE void openConversation(const QString& id);
    Q_INVOKABLE void openAdjacent(int step); // Alt+Up/Down
    // Sends the text (trimmed); false when there is nothing to send.
    Q_INVOKABLE bool send(const QString& text);
    // The composer's current text; saved as the conversation's draft shortly after typing stops.
    Q_INVOKABLE void setDraftText(const QString& text);
    Q_INVOKABLE void setPinned(const QString& id, bool pinned);
    Q_INVOKABLE void setMuted(const QString& id, bool muted);
    Q_INVOKABLE bool isPinned(const QString& id) const;

    // Blocks until the store has run every queued job (tests only).
    void waitForStore();

Q_SIGNALS:
    void currentChanged();
    void membersChanged();
    void draftChanged();
    void messageSent(const QString& messageId);
    void errorOccurred(const QString& message);

private:
    void flushDraft();
    void loadNames(const QString& conversationId);

    QPointer<core::store::AsyncStore> store_;
    QString selfUserId_;
    core::store::ConversationListModel* list_ = nullptr;
    ConversationFilterModel* conversations_ = nullptr;
    TimelineDecorator* timeline_ = nullptr;
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
