// SPDX-License-Identifier: GPL-3.0-or-later
// ChatController: groups (info page, new group), typing and presence, and
// deleting a conversation locally.
#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/MessagingService.h"

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
        if (id == currentId_)
            refreshMemberCount();
    });
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
