// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreTypes.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>

namespace tenchat::core::store {

class AsyncStore;

// The messages of one conversation, newest first (row 0 is the latest; a
// QML ListView shows it bottom-to-top). Pages of older messages load lazily
// through canFetchMore()/fetchMore() on the store's worker thread. New
// messages, edits, receipts, reactions and deletions arrive as row-level
// inserts, dataChanged, moves and removals — never as a reset. The cache is
// bounded for the long-running case: when live messages push the row count
// past maxRows, the oldest rows are dropped and become fetchable again
// (paging back with fetchMore is user-driven and may exceed it meanwhile).
//
// Placeholders (setPlaceholders): received entries that cannot be shown yet
// (a group message waiting for its sender's key, or one that could not be
// decrypted) get a row at their relay position, with the sender and the
// receive time but no body; the message itself replaces it (same seq) when
// it arrives, without a reload.
class TimelineModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(QString conversationId READ conversationId CONSTANT)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        BodyRole,
        SenderRole,
        SenderDeviceRole,
        OutgoingRole,
        ServerSeqRole,
        LamportRole,
        SentAtRole,
        ReceivedAtRole,
        ContentTypeRole,
        ReplyToRole,
        EditedRole,
        EditedAtRole,
        DeliveryStateRole,
        ReadRole,
        TombstoneRole,
        ExpiresAtRole,
        ReactionsRole, // list of {emoji, count, users}
        PlaceholderRole, // "" (a message), "waiting" or "undecryptable" (a placeholder row)
    };
    Q_ENUM(Role)

    TimelineModel(AsyncStore* store, const QString& conversationId, int pageSize = 50, int maxRows = 2000,
        QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex& parent = QModelIndex()) const override;
    void fetchMore(const QModelIndex& parent = QModelIndex()) override;

    QString conversationId() const { return conversationId_; }
    bool loading() const { return loading_; }
    bool atStart() const { return atEnd_; } // the oldest message is loaded
    const Message& messageAt(int row) const { return rows_.at(row); }

    // The content types of placeholder rows (their ids start with kPlaceholderPrefix).
    static inline const QString kWaitingType = QStringLiteral("application/x-tenchat-waiting");
    static inline const QString kUndecryptableType = QStringLiteral("application/x-tenchat-undecryptable");
    static inline const QString kPlaceholderPrefix = QStringLiteral("~placeholder-");
    static bool isPlaceholder(const Message& message) { return message.id.startsWith(kPlaceholderPrefix); }
    // A placeholder row for the entry at `seq` from `senderUserId`/`device`.
    static Message placeholder(const QString& conversationId, qint64 seq, const QString& senderUserId,
        int senderDeviceId, qint64 receivedAt, bool undecryptable);
    // The conversation's current placeholders (any order): rows for entries
    // no longer listed go, new ones appear at their position (when in the
    // loaded range; paging older brings the others), changed ones update.
    // An entry whose message is shown already gets no row.
    void setPlaceholders(const QList<Message>& placeholders);

Q_SIGNALS:
    void loadingChanged();
    void pageLoaded(int rows);
    void loadFailed(const QString& message);

private:
    void onPage(quint64 generation, const QList<Message>& page, const QString& error);
    void onUpserted(const Message& message);
    void onRemoved(const QString& conversationId, const QString& messageId);
    int positionFor(const Message& message) const; // insertion row keeping newest-first order
    int rowOf(const QString& id) const;
    void trim();
    // Inserts the placeholders that belong to the loaded range and are not shown.
    void mergePlaceholders();
    void insertAt(int row, const Message& message);
    bool seqShown(qint64 seq) const; // a message (not a placeholder) holds this seq

    QPointer<AsyncStore> store_;
    QString conversationId_;
    int pageSize_;
    int maxRows_;
    QList<Message> rows_;
    QHash<QString, Message> placeholders_; // by id
    bool loading_ = false;
    bool atEnd_ = false;
    quint64 generation_ = 0; // pages requested before a trim are discarded
};

} // namespace tenchat::core::store
