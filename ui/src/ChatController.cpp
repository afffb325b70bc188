// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/ChatController.h"

#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/ConversationListModel.h"
#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/MessagingService.h"
#include "tenchat/ui/TimelineDecorator.h"

#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>
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
    QString peer; // a direct chat's other member
};
} // namespace

ChatController::ChatController(QObject* parent)
    : QObject(parent), conversations_(new ConversationFilterModel(this)), timeline_(new TimelineDecorator(this)),
      contact_(new ContactController(this)), search_(new SearchModel(this)), settings_(new SettingsController(this)),
      plugins_(new PluginsController(this)), group_(new GroupController(this)), newGroup_(new NewGroupController(this)),
      typing_(new TypingController(this)), media_(new MediaController(this))
{
    draftTimer_.setSingleShot(true);
    draftTimer_.setInterval(kDraftDelayMs);
    connect(&draftTimer_, &QTimer::timeout, this, &ChatController::flushDraft);
    // Refused files and pastes, failed transfers: shown like any other error.
    connect(media_, &MediaController::errorOccurred, this,
        [this](InputError::Kind kind, const QString& message) { fail(message, kind); });
}

ChatController::~ChatController()
{
    flushDraft();
    timeline_->setTimeline(nullptr);
}

void ChatController::attach(AsyncStore* store, MessagingService* messaging, const QString& selfUserId)
{
    store_ = store;
    messaging_ = messaging;
    contact_->attach(store, messaging);
    if (messaging)
        connect(messaging, &MessagingService::messageReceived, this,
            [this](const QString& conversation, const QString&, const QString& from, const QString& preview) {
                onMessageReceived(conversation, from, preview);
            });
    search_->attach(store);
    settings_->attach(store);
    if (messaging)
        connect(settings_, &SettingsController::presenceSharingChanged, messaging, [messaging](bool on) {
            messaging->withMessenger([on](core::messaging::Messenger* messenger) {
                if (messenger) // also says "offline" / "online" to contacts right away
                    (void)messenger->setPreference(core::messaging::Messenger::Preference::Presence, on);
            });
        });
    timeline_->setCards(plugins_->cards());
    plugins_->cards()->setImages(media_->images()); // card images: the media image provider
    plugins_->attach(store, messaging);
    connectGroupsAndTyping(messaging);
    group_->attach(messaging, selfUserId);
    media_->attach(messaging);
    selfUserId_ = selfUserId;
    list_ = new ConversationListModel(store, this);
    conversations_->setSelfUserId(selfUserId);
    conversations_->setSourceModel(list_);
    // Preview senders are user ids: look their names up, a batch at a time.
    for (auto signal : { &QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved })
        connect(list_, signal, this, &ChatController::lookUpPreviewNames, Qt::QueuedConnection);
    connect(list_, &QAbstractItemModel::modelReset, this, &ChatController::lookUpPreviewNames, Qt::QueuedConnection);
    connect(list_, &QAbstractItemModel::dataChanged, this, &ChatController::lookUpPreviewNames, Qt::QueuedConnection);
    // What arrives in the open conversation is read (the window shows it).
    connect(store, &AsyncStore::messageUpserted, this, [this](const Message& message) {
        if (message.conversationId != currentId_ || message.outgoing || message.read || !store_)
            return;
        store_->post([id = currentId_](ProfileStore& profile) { (void)profile.conversations().markRead(id); });
    });
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
    setKeyRequestNote({});
    refreshUndecrypted();
    const int row = conversations_->rowOfId(id);
    currentTitle_ = row >= 0 ? conversations_->titleOf(conversations_->index(row, 0)) : QString();
    currentIsGroup_ = row >= 0
        && conversations_->index(row, 0).data(ConversationListModel::TypeRole).toInt() != int(ConversationType::Direct);
    timeline_->setGroup(currentIsGroup_);
    group_->setConversation(id, currentIsGroup_);
    typing_->setConversation(id);
    emit presenceChanged();
    timeline_->setUnreadCount(
        row >= 0 ? conversations_->index(row, 0).data(ConversationListModel::UnreadCountRole).toInt() : 0);
    draft_.clear();
    replyToId_.clear();
    editingId_.clear();
    composeQuote_.clear();
    emit composeModeChanged();
    emit currentChanged();
    emit draftChanged();
    store_->post([id](ProfileStore& profile) { (void)profile.conversations().markRead(id); });
    loadNames(id);
}

void ChatController::loadNames(const QString& conversationId)
{
    store_->query<ConversationInfo>(
        [conversationId, self = selfUserId_](ProfileStore& profile) {
            ConversationInfo info;
            if (auto conversation = profile.conversations().get(conversationId))
                info.conversation = *conversation;
            if (auto draft = profile.conversations().draft(conversationId))
                info.draft = *draft;
            if (auto members = profile.conversations().members(conversationId)) {
                info.members = int(members->size());
                for (const auto& member : *members) {
                    if (member.first != self && info.peer.isEmpty())
                        info.peer = member.first;
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
                currentTitle_ = info.conversation->title.isEmpty() && !info.peer.isEmpty()
                    ? info.names.value(info.peer, info.conversation->title)
                    : info.conversation->title;
                currentIsGroup_ = info.conversation->type != ConversationType::Direct;
                timeline_->setGroup(currentIsGroup_);
                group_->setConversation(conversationId, currentIsGroup_);
            }
            memberCount_ = info.members;
            if (!currentIsGroup_ && !info.peer.isEmpty())
                contact_->setPeer(info.peer, info.names.value(info.peer));
            else
                contact_->setPeer({}, {});
            timeline_->setNames(info.names, selfUserId_);
            emit currentChanged();
            emit membersChanged();
            if (info.draft && pendingDraftConversation_ != conversationId) {
                draft_ = *info.draft;
                emit draftChanged();
            }
        });
}

void ChatController::openMessage(const QString& conversationId, const QString& messageId)
{
    openConversation(conversationId);
    emit jumpRequested(messageId);
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
    QString body = text.trimmed();
    if (body.isEmpty()) {
        fail(tr("There is nothing to send: the message is empty."), InputError::EmptyMessage);
        return false;
    }
    if (currentId_.isEmpty()) {
        fail(tr("Open a conversation to send a message."), InputError::NoConversation);
        return false;
    }
    if (!store_ || !messaging_) {
        fail(tr("Messages can be sent once the profile is open."), InputError::NotReady);
        return false;
    }
    if (editingId_.isEmpty() && body.startsWith(QLatin1Char('/'))) {
        if (!body.startsWith(QStringLiteral("//"))) {
            if (!plugins_->runCommand(currentId_, body))
                return false;
            store_->post([id = currentId_](ProfileStore& profile) { (void)profile.conversations().clearDraft(id); });
            pendingDraftConversation_.clear();
            draftTimer_.stop();
            draft_.clear();
            emit draftChanged();
            return true;
        }
        body.remove(0, 1);
    }
    draftTimer_.stop();
    pendingDraftConversation_.clear();
    const QString conversationId = currentId_;
    if (!editingId_.isEmpty()) {
        messaging_->queueEdit(editingId_, body, [this](QString, QString error) {
            if (!error.isEmpty())
                fail(tr("The message could not be edited: %1").arg(error), InputError::EditFailed);
        });
    } else {
        messaging_->queueText(conversationId, body, replyToId_, [this](QString id, QString error) {
            if (error.isEmpty())
                emit messageSent(id);
            else
                fail(tr("The message could not be sent: %1").arg(error));
        });
    }
    store_->post([conversationId](ProfileStore& profile) { (void)profile.conversations().clearDraft(conversationId); });
    typing_->stop();
    cancelComposeMode();
    draft_.clear();
    emit draftChanged();
    return true;
}

void ChatController::startReply(const QString& messageId)
{
    const int row = timeline_->rowOfId(messageId);
    if (row < 0)
        return;
    const QModelIndex index = timeline_->index(row, 0);
    editingId_.clear();
    replyToId_ = messageId;
    composeQuote_ = index.data(TimelineDecorator::SenderNameRole).toString() + QStringLiteral(": ")
        + index.data(TimelineModel::BodyRole).toString().left(120);
    emit composeModeChanged();
}

void ChatController::startEdit(const QString& messageId)
{
    const int row = timeline_->rowOfId(messageId);
    if (row < 0)
        return;
    const QModelIndex index = timeline_->index(row, 0);
    if (!index.data(TimelineModel::OutgoingRole).toBool() || index.data(TimelineModel::TombstoneRole).toBool())
        return;
    replyToId_.clear();
    editingId_ = messageId;
    composeQuote_ = index.data(TimelineModel::BodyRole).toString();
    emit composeModeChanged();
    draft_ = composeQuote_; // the composer shows the text to edit
    emit draftChanged();
}

void ChatController::cancelComposeMode()
{
    if (replyToId_.isEmpty() && editingId_.isEmpty())
        return;
    replyToId_.clear();
    editingId_.clear();
    composeQuote_.clear();
    emit composeModeChanged();
}

void ChatController::toggleReaction(const QString& messageId, const QString& emoji)
{
    if (!messaging_)
        return;
    const int row = timeline_->rowOfId(messageId);
    bool mine = false;
    if (row >= 0) {
        const auto reactions = timeline_->index(row, 0).data(TimelineModel::ReactionsRole).toList();
        for (const QVariant& r : reactions) {
            const QVariantMap map = r.toMap();
            if (map.value(QStringLiteral("emoji")).toString() == emoji
                && map.value(QStringLiteral("users")).toStringList().contains(selfUserId_))
                mine = true;
        }
    }
    messaging_->queueReaction(messageId, emoji, mine, [this](QString, QString error) {
        if (!error.isEmpty())
            fail(tr("The reaction could not be sent: %1").arg(error));
    });
}

void ChatController::deleteForEveryone(const QString& messageId)
{
    if (!messaging_)
        return;
    messaging_->queueDelete(messageId, [this](QString, QString error) {
        if (!error.isEmpty())
            fail(tr("The message could not be deleted: %1").arg(error));
    });
}

void ChatController::retry(const QString& messageId)
{
    if (!messaging_)
        return;
    messaging_->retry(messageId, [this](QString, QString error) {
        if (!error.isEmpty())
            fail(tr("The message could not be sent again: %1").arg(error));
    });
}

void ChatController::copyToClipboard(const QString& text)
{
    if (QClipboard* clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

void ChatController::startDirectChat(const QString& handle)
{
    QString name = handle.trimmed().toLower();
    if (name.startsWith(QLatin1Char('@')))
        name.remove(0, 1);
    if (!messaging_ || name.isEmpty())
        return;
    messaging_->openDirect(name, [this, name](QString id, QString error) {
        if (!error.isEmpty()) {
            const QString message = tr("Could not start a chat with @%1: %2").arg(name, error);
            emit directChatFailed(message);
            return fail(message);
        }
        openConversation(id);
    });
}

void ChatController::onMessageReceived(const QString& conversationId, const QString& from, const QString& preview)
{
    if (windowActive_ && conversationId == currentId_)
        return;
    const int row = conversations_->rowOfId(conversationId);
    const QModelIndex index = row >= 0 ? conversations_->index(row, 0) : QModelIndex();
    if (index.isValid() && index.data(ConversationListModel::MutedRole).toBool())
        return;
    const bool group
        = index.isValid() && index.data(ConversationListModel::TypeRole).toInt() != int(ConversationType::Direct);
    const QString title = !settings_->notificationPreviews() ? tr("TenChat")
        : group ? tr("@%1 in %2").arg(from, index.data(ConversationListModel::TitleRole).toString())
                : QStringLiteral("@") + from;
    const QString body
        = settings_->notificationPreviews() ? preview.section(QLatin1Char('\n'), 0, 0).left(160) : tr("New message");
    emit notificationRequested(title, body, conversationId);
}

void ChatController::lookUpPreviewNames()
{
    const QStringList ids = conversations_->unnamedSenders();
    const QStringList untitled = conversations_->untitledConversations();
    if ((ids.isEmpty() && untitled.isEmpty()) || !store_ || lookingUpNames_)
        return;
    lookingUpNames_ = true;
    using Names = std::pair<QHash<QString, QString>, QHash<QString, QString>>;
    store_->query<Names>(
        [ids, untitled, self = selfUserId_](ProfileStore& profile) {
            const auto nameOf = [&profile](const QString& id) {
                auto contact = profile.keyValues().contact(id);
                // Unknown users keep a short form of their id rather than 32 hex digits.
                return contact && *contact && !(*contact)->displayName.isEmpty() ? (*contact)->displayName : id.left(8);
            };
            Names out;
            for (const QString& id : ids)
                out.first.insert(id, nameOf(id));
            for (const QString& conversation : untitled) {
                auto members = profile.conversations().members(conversation);
                QStringList others;
                if (members)
                    for (const auto& member : *members)
                        if (member.first != self)
                            others << nameOf(member.first);
                out.second.insert(
                    conversation, others.isEmpty() ? tr("Conversation") : others.join(QStringLiteral(", ")));
            }
            return out;
        },
        this,
        [this](Names names) {
            lookingUpNames_ = false;
            conversations_->addNames(names.first);
            conversations_->addTitles(names.second);
            if (names.second.contains(currentId_) && currentTitle_.isEmpty()) {
                currentTitle_ = names.second.value(currentId_);
                emit currentChanged();
            }
        });
}

void ChatController::fail(const QString& message, InputError::Kind kind)
{
    lastError_ = message;
    lastErrorKind_ = kind;
    emit errorOccurred(message);
}

void ChatController::clearError()
{
    if (lastErrorKind_ == InputError::None && lastError_.isEmpty())
        return;
    lastError_.clear();
    lastErrorKind_ = InputError::None;
    emit errorOccurred({});
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
