// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/ChatController.h"

#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/ConversationListModel.h"
#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/TimelineDecorator.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace tenchat::ui {

using namespace core::store;

namespace {
const QString kPinnedSetting = QStringLiteral("ui.pinned");
constexpr int kDraftDelayMs = 400;

struct ConversationInfo {
    std::optional<Conversation> conversation;
    std::optional<QString> draft;
    QHash<QString, QString> names;
    int members = 0;
};
} // namespace

ChatController::ChatController(QObject* parent)
    : QObject(parent), conversations_(new ConversationFilterModel(this)), timeline_(new TimelineDecorator(this))
{
    draftTimer_.setSingleShot(true);
    draftTimer_.setInterval(kDraftDelayMs);
    connect(&draftTimer_, &QTimer::timeout, this, &ChatController::flushDraft);
}

ChatController::~ChatController()
{
    flushDraft();
    timeline_->setTimeline(nullptr);
}

void ChatController::attach(AsyncStore* store, const QString& selfUserId)
{
    store_ = store;
    selfUserId_ = selfUserId;
    list_ = new ConversationListModel(store, this);
    conversations_->setSourceModel(list_);
    store->query<QStringList>(
        [](ProfileStore& profile) {
            QStringList ids;
            auto value = profile.keyValues().setting(kPinnedSetting);
            if (value && *value)
                for (const QJsonValue& id : QJsonDocument::fromJson(**value).array())
                    ids << id.toString();
            return ids;
        },
        this, [this](QStringList ids) { conversations_->setPinned(ids); });
}

void ChatController::openConversation(const QString& id)
{
    if (!store_ || id == currentId_)
        return;
    flushDraft();
    currentId_ = id;
    timeline_->setTimeline(nullptr);
    timelineSource_ = std::make_unique<TimelineModel>(store_.data(), id);
    timeline_->setTimeline(timelineSource_.get());
    const int row = conversations_->rowOfId(id);
    currentTitle_ = row >= 0 ? conversations_->index(row, 0).data(ConversationListModel::TitleRole).toString() : id;
    currentIsGroup_ = row >= 0
        && conversations_->index(row, 0).data(ConversationListModel::TypeRole).toInt() != int(ConversationType::Direct);
    timeline_->setGroup(currentIsGroup_);
    draft_.clear();
    emit currentChanged();
    emit draftChanged();
    store_->post([id](ProfileStore& profile) { (void)profile.conversations().markRead(id); });
    loadNames(id);
}

void ChatController::loadNames(const QString& conversationId)
{
    store_->query<ConversationInfo>(
        [conversationId](ProfileStore& profile) {
            ConversationInfo info;
            if (auto conversation = profile.conversations().get(conversationId))
                info.conversation = *conversation;
            if (auto draft = profile.conversations().draft(conversationId))
                info.draft = *draft;
            if (auto members = profile.conversations().members(conversationId)) {
                info.members = int(members->size());
                for (const auto& member : *members) {
                    auto contact = profile.keyValues().contact(member.first);
                    if (contact && *contact && !(*contact)->displayName.isEmpty())
                        info.names.insert(member.first, (*contact)->displayName);
                }
            }
            return info;
        },
        this,
        [this, conversationId](ConversationInfo info) {
            if (conversationId != currentId_)
                return;
            if (info.conversation) {
                currentTitle_ = info.conversation->title;
                currentIsGroup_ = info.conversation->type != ConversationType::Direct;
                timeline_->setGroup(currentIsGroup_);
            }
            memberCount_ = info.members;
            timeline_->setNames(info.names, selfUserId_);
            emit currentChanged();
            emit membersChanged();
            if (info.draft && pendingDraftConversation_ != conversationId) {
                draft_ = *info.draft;
                emit draftChanged();
            }
        });
}

void ChatController::openAdjacent(int step)
{
    const int count = conversations_->rowCount();
    if (count == 0)
        return;
    const int row = conversations_->rowOfId(currentId_);
    const int next = row < 0 ? 0 : qBound(0, row + step, count - 1);
    openConversation(conversations_->idAt(next));
}

bool ChatController::send(const QString& text)
{
    const QString body = text.trimmed();
    if (!store_ || currentId_.isEmpty() || body.isEmpty())
        return false;
    Message message;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    message.id = ulids_.next();
    message.conversationId = currentId_;
    message.senderUserId = selfUserId_;
    message.outgoing = true;
    message.sentAt = now;
    message.receivedAt = now;
    message.body = body;
    message.delivery = DeliveryState::Queued;
    message.read = true;
    draftTimer_.stop();
    pendingDraftConversation_.clear();
    const QString conversationId = currentId_;
    store_->query<QString>(
        [message, conversationId](ProfileStore& profile) {
            auto inserted = profile.messages().insert(message);
            if (!inserted)
                return inserted.error().message;
            (void)profile.conversations().clearDraft(conversationId);
            return QString();
        },
        this,
        [this, id = message.id](QString error) {
            if (error.isEmpty())
                emit messageSent(id);
            else
                emit errorOccurred(tr("The message could not be saved: %1").arg(error));
        });
    draft_.clear();
    emit draftChanged();
    return true;
}

void ChatController::setDraftText(const QString& text)
{
    if (currentId_.isEmpty())
        return;
    pendingDraft_ = text;
    pendingDraftConversation_ = currentId_;
    draftTimer_.start();
}

void ChatController::flushDraft()
{
    draftTimer_.stop();
    if (!store_ || pendingDraftConversation_.isEmpty())
        return;
    const QString id = pendingDraftConversation_;
    const QString text = pendingDraft_;
    pendingDraftConversation_.clear();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    store_->post([id, text, now](ProfileStore& profile) {
        if (text.trimmed().isEmpty())
            (void)profile.conversations().clearDraft(id);
        else
            (void)profile.conversations().saveDraft(id, text, QString(), now);
    });
}

void ChatController::setPinned(const QString& id, bool pinned)
{
    QStringList ids = conversations_->pinned();
    ids.removeAll(id);
    if (pinned)
        ids << id;
    ids.sort();
    conversations_->setPinned(ids);
    if (!store_)
        return;
    const QByteArray json = QJsonDocument(QJsonArray::fromStringList(ids)).toJson(QJsonDocument::Compact);
    store_->post([json](ProfileStore& profile) { (void)profile.keyValues().setSetting(kPinnedSetting, json); });
}

bool ChatController::isPinned(const QString& id) const
{
    return conversations_->isPinned(id);
}

void ChatController::setMuted(const QString& id, bool muted)
{
    if (!store_)
        return;
    store_->post([id, muted](ProfileStore& profile) {
        auto conversation = profile.conversations().get(id);
        if (!conversation || !*conversation)
            return;
        Conversation changed = **conversation;
        changed.muted = muted;
        (void)profile.conversations().save(changed);
    });
}

void ChatController::waitForStore()
{
    flushDraft();
    if (store_)
        store_->waitForIdle();
}

} // namespace tenchat::ui
