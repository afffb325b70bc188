// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/TimelineDecorator.h"

#include "tenchat/core/store/TimelineModel.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/MarkdownRenderer.h"
#include "tenchat/ui/MediaController.h"
#include "tenchat/ui/PluginCardCache.h"

#include "tenchat/core/plugins/Card.h"

#include <QDateTime>
#include <QLocale>

#include <utility>

namespace tenchat::ui {

using core::store::TimelineModel;

TimelineDecorator::TimelineDecorator(QObject* parent) : QIdentityProxyModel(parent)
{
    connect(this, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex&, int first, int last) {
        // The row above the new block (newer) now has a different older neighbour,
        // and the old top row may now have an older one of the same day.
        refreshRow(first - 1);
        refreshRow(last + 1);
        findUnreadMarker();
        emit countChanged();
    });
    connect(this, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex&, int first, int) {
        refreshRow(first - 1);
        refreshRow(first);
        emit countChanged();
    });
    connect(this, &QAbstractItemModel::rowsMoved, this, [this] {
        if (rowCount() > 0)
            emit dataChanged(index(0, 0), index(rowCount() - 1, 0));
    });
    connect(this, &QAbstractItemModel::modelReset, this, &TimelineDecorator::countChanged);
}

void TimelineDecorator::setTimeline(TimelineModel* timeline)
{
    if (timeline_)
        disconnect(timeline_, nullptr, this, nullptr);
    timeline_ = timeline;
    markerId_.clear();
    unreadPending_ = 0;
    pendingRefresh_.clear();
    setSourceModel(timeline);
    emit unreadMarkerChanged();
    if (timeline_) {
        connect(timeline_, &TimelineModel::loadingChanged, this, &TimelineDecorator::loadingChanged);
        // The oldest loaded row shows its day once no older page remains.
        connect(timeline_, &TimelineModel::pageLoaded, this, [this] { refreshRow(rowCount() - 1); });
    }
    emit countChanged();
    emit loadingChanged();
}

void TimelineDecorator::setGroup(bool group)
{
    group_ = group;
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, 0), { ShowSenderRole });
}

void TimelineDecorator::setCards(PluginCardCache* cards)
{
    if (cards_)
        disconnect(cards_, nullptr, this, nullptr);
    cards_ = cards;
    if (!cards_)
        return;
    connect(cards_, &PluginCardCache::cardReady, this, [this](const QString& messageId) {
        const int row = rowOfId(messageId);
        if (row >= 0)
            emit dataChanged(index(row, 0), index(row, 0), { CardRole });
    });
    connect(cards_, &PluginCardCache::invalidated, this, [this] {
        if (rowCount() > 0)
            emit dataChanged(index(0, 0), index(rowCount() - 1, 0), { CardRole });
    });
}

void TimelineDecorator::setNames(const QHash<QString, QString>& names, const QString& selfUserId)
{
    names_ = names;
    selfUserId_ = selfUserId;
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, 0), { SenderNameRole, InitialsRole, ReplySenderRole });
}

void TimelineDecorator::setUnreadCount(int unread)
{
    const int old = markerId_.isEmpty() ? -1 : rowOfId(markerId_);
    markerId_.clear();
    unreadPending_ = unread;
    refreshRow(old);
    findUnreadMarker();
    emit unreadMarkerChanged();
}

bool TimelineDecorator::loading() const
{
    return timeline_ && timeline_->loading();
}

bool TimelineDecorator::canFetchOlder() const
{
    return timeline_ && timeline_->canFetchMore();
}

int TimelineDecorator::rowOfId(const QString& id) const
{
    if (!timeline_)
        return -1;
    for (int row = 0; row < timeline_->rowCount(); ++row)
        if (timeline_->messageAt(row).id == id)
            return row;
    return -1;
}

void TimelineDecorator::fetchOlder()
{
    if (timeline_ && !timeline_->loading() && timeline_->canFetchMore())
        timeline_->fetchMore();
}

void TimelineDecorator::refreshRow(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    // Not from inside a rowsInserted/rowsRemoved handler: views connected
    // after us have not moved their items yet and would update the wrong one.
    pendingRefresh_.append(QPersistentModelIndex(index(row, 0)));
    if (pendingRefresh_.size() == 1)
        QMetaObject::invokeMethod(this, &TimelineDecorator::flushRefresh, Qt::QueuedConnection);
}

void TimelineDecorator::flushRefresh()
{
    const QList<QPersistentModelIndex> rows = std::exchange(pendingRefresh_, {});
    for (const QPersistentModelIndex& row : rows)
        if (row.isValid())
            emit dataChanged(row, row);
}

void TimelineDecorator::findUnreadMarker()
{
    if (unreadPending_ <= 0 || !markerId_.isEmpty() || !timeline_)
        return;
    // The oldest of the `unreadPending_` newest incoming messages.
    int incoming = 0;
    for (int row = 0; row < timeline_->rowCount(); ++row) {
        const core::store::Message& message = timeline_->messageAt(row);
        if (message.outgoing || TimelineModel::isPlaceholder(message))
            continue;
        if (++incoming == unreadPending_) {
            markerId_ = message.id;
            unreadPending_ = 0;
            refreshRow(row);
            emit unreadMarkerChanged();
            return;
        }
    }
}

QString TimelineDecorator::nameOf(const QString& userId) const
{
    const QString name = names_.value(userId);
    return name.isEmpty() ? userId : name;
}

bool TimelineDecorator::isSupportedContentType(const QString& contentType)
{
    return contentType == QLatin1String("text/plain") || contentType == QLatin1String("text/markdown")
        || MediaController::isMediaType(contentType);
}

QString TimelineDecorator::dayLabel(qint64 msSinceEpoch, qint64 nowMs)
{
    const QDate day = QDateTime::fromMSecsSinceEpoch(msSinceEpoch).date();
    const qint64 days = day.daysTo(QDateTime::fromMSecsSinceEpoch(nowMs).date());
    if (days == 0)
        return tr("Today");
    if (days == 1)
        return tr("Yesterday");
    const QLocale locale;
    if (days > 1 && days < 7)
        return locale.dayName(day.dayOfWeek(), QLocale::LongFormat);
    return locale.toString(day, QLocale::LongFormat);
}

QVariant TimelineDecorator::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !timeline_ || role < DayLabelRole)
        return QIdentityProxyModel::data(index, role);
    const int row = index.row();
    const core::store::Message& message = timeline_->messageAt(row);
    const bool hasOlder = row + 1 < timeline_->rowCount();
    const core::store::Message* older = hasOlder ? &timeline_->messageAt(row + 1) : nullptr;
    const auto dayOf = [](qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms).date(); };
    const bool newDay = older ? dayOf(older->sentAt) != dayOf(message.sentAt) : !timeline_->canFetchMore();
    const bool sameSenderAsOlder = older && !newDay && older->senderUserId == message.senderUserId
        && older->outgoing == message.outgoing && !older->tombstone;

    switch (role) {
    case DayLabelRole: return newDay ? dayLabel(message.sentAt, QDateTime::currentMSecsSinceEpoch()) : QString();
    case ShowSenderRole: return group_ && !message.outgoing && !sameSenderAsOlder;
    case GroupedWithOlderRole: return sameSenderAsOlder;
    case SenderNameRole: return message.outgoing ? tr("You") : nameOf(message.senderUserId);
    case InitialsRole: return ConversationFilterModel::initialsOf(nameOf(message.senderUserId));
    case TimeTextRole: return ConversationFilterModel::timeOfDay(message.sentAt);
    case ReplySenderRole:
    case ReplyBodyRole: {
        if (message.replyTo.isEmpty())
            return QString();
        const int original = rowOfId(message.replyTo);
        if (original < 0)
            return role == ReplyBodyRole ? tr("Original message not loaded") : QString();
        const core::store::Message& quoted = timeline_->messageAt(original);
        if (role == ReplySenderRole)
            return quoted.outgoing ? tr("You") : nameOf(quoted.senderUserId);
        return quoted.tombstone ? tr("Message deleted") : quoted.body.section(QLatin1Char('\n'), 0, 0);
    }
    case UnsupportedRole:
        return !message.tombstone && !TimelineModel::isPlaceholder(message)
            && !isSupportedContentType(message.contentType);
    case CardRole: {
        if (message.tombstone || TimelineModel::isPlaceholder(message) || isSupportedContentType(message.contentType))
            return QVariantMap();
        return cards_ ? cards_->cardFor(message)
                      : core::plugins::Card::unsupportedCard(message.contentType, message.body).toVariantMap();
    }
    case UnreadMarkerRole: return !markerId_.isEmpty() && message.id == markerId_;
    case ReactedByMeRole: {
        QStringList mine;
        for (const auto& reaction : message.reactions)
            if (reaction.userId == selfUserId_)
                mine << reaction.emoji;
        return mine;
    }
    case BodyHtmlRole: {
        if (message.tombstone || message.body.isEmpty())
            return QString();
        const QString key = message.id + QLatin1Char('/') + QString::number(message.editedAt.value_or(0));
        if (const QString* cached = htmlCache_.object(key))
            return *cached;
        auto* html = new QString(MarkdownRenderer::toHtml(message.body));
        const QString copy = *html;
        htmlCache_.insert(key, html);
        return copy;
    }
    default: return QIdentityProxyModel::data(index, role);
    }
}

QHash<int, QByteArray> TimelineDecorator::roleNames() const
{
    QHash<int, QByteArray> names = QIdentityProxyModel::roleNames();
    names.insert(DayLabelRole, "dayLabel");
    names.insert(ShowSenderRole, "showSender");
    names.insert(SenderNameRole, "senderName");
    names.insert(InitialsRole, "initials");
    names.insert(TimeTextRole, "timeText");
    names.insert(ReplySenderRole, "replySender");
    names.insert(ReplyBodyRole, "replyBody");
    names.insert(UnsupportedRole, "unsupported");
    names.insert(GroupedWithOlderRole, "groupedWithOlder");
    names.insert(BodyHtmlRole, "bodyHtml");
    names.insert(UnreadMarkerRole, "unreadMarker");
    names.insert(ReactedByMeRole, "reactedByMe");
    names.insert(CardRole, "card");
    return names;
}

} // namespace tenchat::ui
