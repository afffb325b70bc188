// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/ConversationListModel.h"

#include "tenchat/core/store/AsyncStore.h"

#include <QTimer>

#include <algorithm>

namespace tenchat::core::store {

namespace {

bool before(const ConversationSummary& a, const ConversationSummary& b)
{
    if (a.lastActivityAt != b.lastActivityAt)
        return a.lastActivityAt > b.lastActivityAt;
    return a.conversation.id < b.conversation.id;
}

} // namespace

ConversationListModel::ConversationListModel(AsyncStore* store, QObject* parent)
    : QAbstractListModel(parent), store_(store)
{
    connect(store, &AsyncStore::conversationChanged, this, &ConversationListModel::onChanged);
    connect(store, &AsyncStore::conversationRemoved, this, &ConversationListModel::onRemoved);
    reload();
}

int ConversationListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConversationSummary& s = rows_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return s.conversation.title;
    case IdRole: return s.conversation.id;
    case TypeRole: return static_cast<int>(s.conversation.type);
    case TtlRole: return s.conversation.ttlMs;
    case MutedRole: return s.conversation.muted;
    case ArchivedRole: return s.conversation.archived;
    case LastActivityRole: return s.lastActivityAt;
    case LastMessageIdRole: return s.lastMessageId;
    case PreviewRole: return s.lastMessagePreview;
    case PreviewSenderRole: return s.lastMessageSender;
    case UnreadCountRole: return s.unreadCount;
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {
        { IdRole, "conversationId" },
        { TitleRole, "title" },
        { TypeRole, "conversationType" },
        { TtlRole, "ttlMs" },
        { MutedRole, "muted" },
        { ArchivedRole, "archived" },
        { LastActivityRole, "lastActivity" },
        { LastMessageIdRole, "lastMessageId" },
        { PreviewRole, "preview" },
        { PreviewSenderRole, "previewSender" },
        { UnreadCountRole, "unreadCount" },
    };
}

void ConversationListModel::reload()
{
    if (!store_)
        return;
    loading_ = true;
    Q_EMIT loadingChanged();
    using Result = std::pair<QList<ConversationSummary>, QString>;
    store_->query<Result>(
        [](ProfileStore& store) {
            auto list = store.conversations().summaries();
            return list ? Result { std::move(*list), QString() } : Result { {}, list.error().message };
        },
        this,
        [this](Result result) {
            loading_ = false;
            if (!result.second.isEmpty()) {
                Q_EMIT loadingChanged();
                Q_EMIT loadFailed(result.second);
                return;
            }
            // The initial load (or an explicit reload) is the one place for a reset.
            beginResetModel();
            rows_ = std::move(result.first);
            endResetModel();
            Q_EMIT loadingChanged();
            Q_EMIT updated();
        });
}

void ConversationListModel::onChanged(const QString& conversationId)
{
    pending_.insert(conversationId);
    if (!flushScheduled_) {
        flushScheduled_ = true;
        QTimer::singleShot(0, this, &ConversationListModel::flushPending);
    }
}

void ConversationListModel::onRemoved(const QString& conversationId)
{
    pending_.remove(conversationId);
    removeId(conversationId);
}

void ConversationListModel::flushPending()
{
    flushScheduled_ = false;
    if (!store_ || pending_.isEmpty())
        return;
    const QStringList ids(pending_.begin(), pending_.end());
    pending_.clear();
    // Each id comes back with its summary, or none if it no longer exists (or is archived).
    using Result = QList<std::pair<QString, std::optional<ConversationSummary>>>;
    store_->query<Result>(
        [ids](ProfileStore& store) {
            Result out;
            for (const QString& id : ids) {
                auto summary = store.conversations().summary(id);
                if (summary)
                    out.append({ id, *summary });
            }
            return out;
        },
        this,
        [this](Result result) {
            for (const auto& [id, summary] : result) {
                if (summary && !summary->conversation.archived)
                    applySummary(*summary);
                else
                    removeId(id);
            }
            Q_EMIT updated();
        });
}

int ConversationListModel::rowOf(const QString& id) const
{
    for (int i = 0; i < rows_.size(); ++i) {
        if (rows_.at(i).conversation.id == id)
            return i;
    }
    return -1;
}

int ConversationListModel::positionFor(const ConversationSummary& summary) const
{
    return static_cast<int>(std::lower_bound(rows_.begin(), rows_.end(), summary, before) - rows_.begin());
}

void ConversationListModel::applySummary(const ConversationSummary& summary)
{
    const int existing = rowOf(summary.conversation.id);
    if (existing < 0) {
        const int row = positionFor(summary);
        beginInsertRows({}, row, row);
        rows_.insert(row, summary);
        endInsertRows();
        return;
    }
    // Where the row belongs once it is taken out of the list.
    ConversationSummary old = rows_.takeAt(existing);
    const int target = positionFor(summary);
    rows_.insert(existing, std::move(old));
    if (target != existing) {
        // beginMoveRows counts the destination in the list *before* the move.
        const int destination = target > existing ? target + 1 : target;
        beginMoveRows({}, existing, existing, {}, destination);
        rows_.removeAt(existing);
        rows_.insert(target, summary);
        endMoveRows();
    } else {
        rows_[existing] = summary;
    }
    Q_EMIT dataChanged(index(target), index(target));
}

void ConversationListModel::removeId(const QString& id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    rows_.removeAt(row);
    endRemoveRows();
}

} // namespace tenchat::core::store
