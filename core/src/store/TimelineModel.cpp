// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/TimelineModel.h"

#include "tenchat/core/store/AsyncStore.h"

#include <QVariantMap>

#include <algorithm>

namespace tenchat::core::store {

namespace {

// Newest first: a comes before b if its (sortSeq, id) is larger.
bool newerThan(const Message& a, const Message& b)
{
    if (a.sortSeq() != b.sortSeq())
        return a.sortSeq() > b.sortSeq();
    return a.id > b.id;
}

QVariantList reactionSummary(const QList<Reaction>& reactions)
{
    QVariantList out;
    QStringList order;
    QHash<QString, QStringList> users;
    for (const Reaction& r : reactions) {
        if (!users.contains(r.emoji))
            order.append(r.emoji);
        users[r.emoji].append(r.userId);
    }
    for (const QString& emoji : order)
        out.append(QVariantMap { { QStringLiteral("emoji"), emoji }, { QStringLiteral("count"), users[emoji].size() },
            { QStringLiteral("users"), users[emoji] } });
    return out;
}

} // namespace

TimelineModel::TimelineModel(
    AsyncStore* store, const QString& conversationId, int pageSize, int maxRows, QObject* parent)
    : QAbstractListModel(parent), store_(store), conversationId_(conversationId), pageSize_(std::max(1, pageSize)),
      maxRows_(std::max(pageSize_, maxRows))
{
    connect(store, &AsyncStore::messageUpserted, this, &TimelineModel::onUpserted);
    connect(store, &AsyncStore::messageRemoved, this, &TimelineModel::onRemoved);
}

int TimelineModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Message& m = rows_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case BodyRole: return m.body;
    case IdRole: return m.id;
    case SenderRole: return m.senderUserId;
    case SenderDeviceRole: return m.senderDeviceId;
    case OutgoingRole: return m.outgoing;
    case ServerSeqRole: return m.serverSeq ? QVariant(*m.serverSeq) : QVariant();
    case LamportRole: return m.lamport;
    case SentAtRole: return m.sentAt;
    case ReceivedAtRole: return m.receivedAt;
    case ContentTypeRole: return m.contentType;
    case ReplyToRole: return m.replyTo;
    case EditedRole: return m.editedAt.has_value();
    case EditedAtRole: return m.editedAt ? QVariant(*m.editedAt) : QVariant();
    case DeliveryStateRole: return static_cast<int>(m.delivery);
    case ReadRole: return m.read;
    case TombstoneRole: return m.tombstone;
    case ExpiresAtRole: return m.expiresAt ? QVariant(*m.expiresAt) : QVariant();
    case ReactionsRole: return reactionSummary(m.reactions);
    case PlaceholderRole:
        if (!isPlaceholder(m))
            return QString();
        return m.contentType == kUndecryptableType ? QStringLiteral("undecryptable") : QStringLiteral("waiting");
    default: return {};
    }
}

QHash<int, QByteArray> TimelineModel::roleNames() const
{
    return {
        { IdRole, "messageId" },
        { BodyRole, "body" },
        { SenderRole, "sender" },
        { SenderDeviceRole, "senderDevice" },
        { OutgoingRole, "outgoing" },
        { ServerSeqRole, "serverSeq" },
        { LamportRole, "lamport" },
        { SentAtRole, "sentAt" },
        { ReceivedAtRole, "receivedAt" },
        { ContentTypeRole, "contentType" },
        { ReplyToRole, "replyTo" },
        { EditedRole, "edited" },
        { EditedAtRole, "editedAt" },
        { DeliveryStateRole, "deliveryState" },
        { ReadRole, "read" },
        { TombstoneRole, "deleted" },
        { ExpiresAtRole, "expiresAt" },
        { ReactionsRole, "reactions" },
        { PlaceholderRole, "placeholder" },
    };
}

bool TimelineModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !atEnd_ && !loading_ && store_;
}

void TimelineModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    loading_ = true;
    Q_EMIT loadingChanged();
    std::optional<TimelineCursor> before;
    for (auto it = rows_.crbegin(); it != rows_.crend(); ++it) {
        if (!isPlaceholder(*it)) { // the oldest message loaded
            before = TimelineCursor { it->sortSeq(), it->id };
            break;
        }
    }
    const QString conversation = conversationId_;
    const int limit = pageSize_;
    const quint64 generation = generation_;
    using Result = std::pair<QList<Message>, QString>;
    store_->query<Result>(
        [conversation, before, limit](ProfileStore& store) {
            auto page = store.messages().page(conversation, before, limit);
            return page ? Result { std::move(*page), QString() } : Result { {}, page.error().message };
        },
        this, [this, generation](Result result) { onPage(generation, result.first, result.second); });
}

void TimelineModel::onPage(quint64 generation, const QList<Message>& page, const QString& error)
{
    loading_ = false;
    if (!error.isEmpty()) {
        Q_EMIT loadingChanged();
        Q_EMIT loadFailed(error);
        return;
    }
    if (generation != generation_) { // rows were trimmed meanwhile: the cursor is stale
        Q_EMIT loadingChanged();
        return;
    }
    // A message may have arrived by notification while the page was loading.
    const Message* oldest = nullptr;
    for (auto it = rows_.crbegin(); it != rows_.crend() && !oldest; ++it)
        if (!isPlaceholder(*it))
            oldest = &*it;
    QList<Message> fresh;
    for (const Message& m : page) {
        if (rowOf(m.id) < 0 && (!oldest || newerThan(*oldest, m)))
            fresh.append(m);
    }
    // Placeholders at the end that are older than the page go back in at
    // their place below (mergePlaceholders).
    int keep = int(rows_.size());
    while (!fresh.isEmpty() && keep > 0 && isPlaceholder(rows_.at(keep - 1))
        && newerThan(fresh.first(), rows_.at(keep - 1)))
        --keep;
    if (keep < rows_.size()) {
        beginRemoveRows({}, keep, int(rows_.size()) - 1);
        rows_.resize(keep);
        endRemoveRows();
    }
    if (!fresh.isEmpty()) {
        const int first = static_cast<int>(rows_.size());
        beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
        rows_.append(fresh);
        endInsertRows();
    }
    atEnd_ = page.size() < pageSize_;
    mergePlaceholders();
    Q_EMIT loadingChanged();
    Q_EMIT pageLoaded(static_cast<int>(fresh.size()));
}

int TimelineModel::rowOf(const QString& id) const
{
    for (int i = 0; i < rows_.size(); ++i) {
        if (rows_.at(i).id == id)
            return i;
    }
    return -1;
}

int TimelineModel::positionFor(const Message& message) const
{
    const auto it = std::lower_bound(
        rows_.begin(), rows_.end(), message, [](const Message& row, const Message& m) { return newerThan(row, m); });
    return static_cast<int>(it - rows_.begin());
}

void TimelineModel::onUpserted(const Message& message)
{
    if (message.conversationId != conversationId_)
        return;
    if (message.serverSeq) {
        // The message a placeholder stood for: it takes the placeholder's place.
        for (auto it = placeholders_.begin(); it != placeholders_.end();) {
            if (it->serverSeq == message.serverSeq) {
                if (const int row = rowOf(it.key()); row >= 0) {
                    beginRemoveRows({}, row, row);
                    rows_.removeAt(row);
                    endRemoveRows();
                }
                it = placeholders_.erase(it);
            } else {
                ++it;
            }
        }
    }
    const int existing = rowOf(message.id);
    if (existing >= 0) {
        const Message& old = rows_.at(existing);
        if (old.sortSeq() == message.sortSeq()) {
            rows_[existing] = message;
            Q_EMIT dataChanged(index(existing), index(existing));
            return;
        }
        // The relay assigned a sequence: the row moves.
        beginRemoveRows({}, existing, existing);
        rows_.removeAt(existing);
        endRemoveRows();
    }
    const int row = positionFor(message);
    // Older than everything loaded while older pages remain: fetchMore brings it.
    if (row == rows_.size() && !atEnd_ && existing < 0)
        return;
    beginInsertRows({}, row, row);
    rows_.insert(row, message);
    endInsertRows();
    trim();
}

void TimelineModel::onRemoved(const QString& conversationId, const QString& messageId)
{
    if (conversationId != conversationId_)
        return;
    const int row = rowOf(messageId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    rows_.removeAt(row);
    endRemoveRows();
}

Message TimelineModel::placeholder(const QString& conversationId, qint64 seq, const QString& senderUserId,
    int senderDeviceId, qint64 receivedAt, bool undecryptable)
{
    Message m;
    m.id = kPlaceholderPrefix + QString::number(seq);
    m.conversationId = conversationId;
    m.senderUserId = senderUserId;
    m.senderDeviceId = senderDeviceId;
    m.serverSeq = seq;
    m.sentAt = receivedAt; // the sender's time is inside the ciphertext
    m.receivedAt = receivedAt;
    m.contentType = undecryptable ? kUndecryptableType : kWaitingType;
    m.delivery = DeliveryState::Delivered;
    m.read = true;
    return m;
}

bool TimelineModel::seqShown(qint64 seq) const
{
    return std::any_of(rows_.cbegin(), rows_.cend(),
        [seq](const Message& m) { return !isPlaceholder(m) && m.serverSeq && *m.serverSeq == seq; });
}

void TimelineModel::insertAt(int row, const Message& message)
{
    beginInsertRows({}, row, row);
    rows_.insert(row, message);
    endInsertRows();
}

void TimelineModel::setPlaceholders(const QList<Message>& placeholders)
{
    placeholders_.clear();
    for (const Message& p : placeholders)
        if (p.conversationId == conversationId_ && isPlaceholder(p) && p.serverSeq && !seqShown(*p.serverSeq))
            placeholders_.insert(p.id, p);
    for (int row = int(rows_.size()) - 1; row >= 0; --row) {
        const Message& m = rows_.at(row);
        if (!isPlaceholder(m))
            continue;
        const auto it = placeholders_.constFind(m.id);
        if (it == placeholders_.cend()) {
            beginRemoveRows({}, row, row);
            rows_.removeAt(row);
            endRemoveRows();
        } else if (it->contentType != m.contentType) {
            rows_[row] = *it; // waiting -> undecryptable
            Q_EMIT dataChanged(index(row), index(row));
        }
    }
    mergePlaceholders();
}

void TimelineModel::mergePlaceholders()
{
    QList<Message> missing;
    for (const Message& p : std::as_const(placeholders_))
        if (rowOf(p.id) < 0)
            missing.append(p);
    std::sort(missing.begin(), missing.end(), newerThan);
    for (const Message& p : std::as_const(missing)) {
        const int row = positionFor(p);
        // Older than everything loaded while older pages remain: paging brings it.
        if (row == rows_.size() && !atEnd_)
            continue;
        insertAt(row, p);
    }
}

void TimelineModel::trim()
{
    if (rows_.size() <= maxRows_)
        return;
    beginRemoveRows({}, maxRows_, static_cast<int>(rows_.size()) - 1);
    rows_.resize(maxRows_);
    endRemoveRows();
    atEnd_ = false;
    ++generation_;
}

} // namespace tenchat::core::store
