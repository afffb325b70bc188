// SPDX-License-Identifier: GPL-3.0-or-later
// ChatController: groups (info page, new group), typing and presence, and
// deleting a conversation locally.
#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/MessagingService.h"

#include <QDateTime>

#include <algorithm>

namespace tenchat::ui {

using namespace core::store;

void ChatController::connectGroupsAndTyping(MessagingService* messaging)
{
    newGroup_->attach(messaging, messaging ? messaging->handle() : QString());
    typing_->setSender([this](const QString& conversationId, bool typing) {
        if (messaging_)
            messaging_->setTyping(conversationId, typing);
    });
    typing_->setEnabledCheck([this] { return settings_->typingIndicators(); });
    connect(newGroup_, &NewGroupController::created, this, &ChatController::openConversation);
    if (!messaging)
        return;
    connect(messaging, &MessagingService::typingChanged, typing_, &TypingController::onRemoteTyping);
    connect(messaging, &MessagingService::presenceChanged, this,
        [this](const QString&, const QString& conversationId, int presence) {
            conversations_->setPresence(conversationId, ConversationFilterModel::Presence(presence));
            if (conversationId == currentId_)
                emit presenceChanged();
        });
    connect(messaging, &MessagingService::groupChanged, this, [this](const QString& id) {
        if (id == currentId_) {
            refreshMemberCount();
            refreshGroupTitle();
        }
    });
    connect(messaging, &MessagingService::undecryptedChanged, this, [this](const QString& id) {
        if (id == currentId_)
            refreshUndecrypted();
    });
}

void ChatController::refreshGroupTitle()
{
    if (!store_ || currentId_.isEmpty() || !currentIsGroup_)
        return;
    const QString id = currentId_;
    store_->query<QString>(
        [id](ProfileStore& profile) {
            auto conversation = profile.conversations().get(id);
            return conversation && conversation->has_value() ? (*conversation)->title : QString();
        },
        this,
        [this, id](const QString& title) {
            // A group's name arrives end to end (with a sender key): the header follows.
            if (id != currentId_ || title.isEmpty() || title == currentTitle_)
                return;
            currentTitle_ = title;
            emit currentChanged();
        });
}

void ChatController::refreshUndecrypted()
{
    if (!messaging_ || currentId_.isEmpty())
        return;
    const QString id = currentId_;
    messaging_->undecrypted(id, [this, id](QList<core::messaging::UndecryptedEntry> entries) {
        if (id != currentId_ || !timelineSource_)
            return;
        QList<Message> rows;
        for (const auto& e : entries)
            rows << TimelineModel::placeholder(id, e.seq, e.senderUserId, int(e.senderDeviceId), e.receivedAt,
                e.state == core::messaging::UndecryptedEntry::State::Undecryptable);
        timelineSource_->setPlaceholders(rows);
    });
}

void ChatController::requestKeysAgain()
{
    if (!messaging_ || currentId_.isEmpty())
        return;
    const QString id = currentId_;
    messaging_->requestKeysAgain(id, [this, id](qint64 next) {
        if (id != currentId_)
            return;
        if (next == 0) {
            setKeyRequestNote(tr("Asked again. The message appears when the sender's device answers."));
        } else if (next > 0) {
            const qint64 wait = next - QDateTime::currentMSecsSinceEpoch();
            const int minutes = int(std::max<qint64>(1, (wait + 59'999) / 60'000));
            setKeyRequestNote(tr("Asked a moment ago. You can ask again in %n minute(s).", nullptr, minutes));
        } else {
            setKeyRequestNote(tr("Nothing is waiting for a key any more."));
        }
    });
}

void ChatController::setKeyRequestNote(const QString& note)
{
    if (note == keyRequestNote_)
        return;
    keyRequestNote_ = note;
    emit keyRequestNoteChanged();
}

void ChatController::refreshMemberCount()
{
    if (!store_ || currentId_.isEmpty())
        return;
    const QString id = currentId_;
    store_->query<int>(
        [id](ProfileStore& profile) {
            auto members = profile.conversations().members(id);
            return members ? int(members->size()) : 0;
        },
        this,
        [this, id](int count) {
            if (id != currentId_ || count == memberCount_)
                return;
            memberCount_ = count;
            emit membersChanged();
        });
}

void ChatController::deleteLocally(const QString& id)
{
    if (!store_ || id.isEmpty())
        return;
    if (isPinned(id))
        setPinned(id, false);
    if (id == currentId_) {
        flushDraft();
        pendingDraftConversation_.clear();
        currentId_.clear();
        currentTitle_.clear();
        currentIsGroup_ = false;
        memberCount_ = 0;
        timeline_->setTimeline(nullptr);
        timelineSource_.reset();
        group_->setConversation({}, false);
        typing_->setConversation({});
        contact_->setPeer({}, {});
        emit currentChanged();
        emit membersChanged();
        emit presenceChanged();
    }
    store_->post([id](ProfileStore& profile) { (void)profile.conversations().remove(id); });
}

} // namespace tenchat::ui
