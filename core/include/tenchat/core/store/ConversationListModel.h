// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreTypes.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QSet>

namespace tenchat::core::store {

class AsyncStore;

// Conversations by recency (latest activity first) with unread counts and a
// preview of the last message. Loads once, then follows the store's change
// signals with row-level updates and moves; changes that arrive in a burst
// are coalesced into one query on the worker thread.
class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TitleRole,
        TypeRole,
        TtlRole,
        MutedRole,
        ArchivedRole,
        LastActivityRole,
        LastMessageIdRole,
        PreviewRole,
        PreviewSenderRole,
        UnreadCountRole,
    };
    Q_ENUM(Role)

    explicit ConversationListModel(AsyncStore* store, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool loading() const { return loading_; }
    void reload();
    const ConversationSummary& summaryAt(int row) const { return rows_.at(row); }

Q_SIGNALS:
    void loadingChanged();
    void updated(); // after a load or a batch of changes was applied
    void loadFailed(const QString& message);

private:
    void onChanged(const QString& conversationId);
    void onRemoved(const QString& conversationId);
    void flushPending();
    void applySummary(const ConversationSummary& summary);
    void removeId(const QString& id);
    int rowOf(const QString& id) const;
    int positionFor(const ConversationSummary& summary) const;

    QPointer<AsyncStore> store_;
    QList<ConversationSummary> rows_;
    QSet<QString> pending_;
    bool flushScheduled_ = false;
    bool loading_ = false;
};

} // namespace tenchat::core::store
