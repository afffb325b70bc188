// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/ConversationFilterModel.h"

#include "tenchat/core/store/ConversationListModel.h"

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>

namespace tenchat::ui {

using core::store::ConversationListModel;

ConversationFilterModel::ConversationFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    sort(0);
    connect(this, &QAbstractItemModel::rowsInserted, this, &ConversationFilterModel::countChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &ConversationFilterModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &ConversationFilterModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &ConversationFilterModel::countChanged);
    connect(this, &QAbstractProxyModel::sourceModelChanged, this, [this] {
        if (!sourceModel())
            return;
        for (auto signal : { &QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved })
            connect(sourceModel(), signal, this, &ConversationFilterModel::recountUnread);
        connect(sourceModel(), &QAbstractItemModel::modelReset, this, &ConversationFilterModel::recountUnread);
        connect(sourceModel(), &QAbstractItemModel::dataChanged, this, &ConversationFilterModel::recountUnread);
        recountUnread();
    });
}

void ConversationFilterModel::recountUnread()
{
    int total = 0;
    const QAbstractItemModel* source = sourceModel();
    for (int row = 0; source && row < source->rowCount(); ++row) {
        const QModelIndex index = source->index(row, 0);
        if (!index.data(ConversationListModel::MutedRole).toBool())
            total += index.data(ConversationListModel::UnreadCountRole).toInt();
    }
    if (total == totalUnread_)
        return;
    totalUnread_ = total;
    emit totalUnreadChanged();
}

void ConversationFilterModel::setFilterText(const QString& text)
{
    if (text == filterText_)
        return;
    filterText_ = text;
    invalidateFilter();
    emit filterTextChanged();
    emit countChanged();
}

void ConversationFilterModel::setPinned(const QStringList& ids)
{
    QSet<QString> next(ids.cbegin(), ids.cend());
    if (next == pinned_)
        return;
    pinned_ = std::move(next);
    invalidate();
    sort(0);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, 0), { PinnedRole });
}

void ConversationFilterModel::setPresence(const QString& conversationId, Presence presence)
{
    if (conversationId.isEmpty() || presence_.value(conversationId) == presence)
        return;
    presence_.insert(conversationId, presence);
    const int row = rowOfId(conversationId);
    if (row >= 0)
        emit dataChanged(index(row, 0), index(row, 0), { PresenceRole });
}

void ConversationFilterModel::addNames(const QHash<QString, QString>& names)
{
    if (names.isEmpty())
        return;
    names_.insert(names);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, 0), { PreviewSenderNameRole });
}

QStringList ConversationFilterModel::unnamedSenders() const
{
    QSet<QString> ids;
    const QAbstractItemModel* source = sourceModel();
    for (int row = 0; source && row < source->rowCount(); ++row) {
        const QString id = source->index(row, 0).data(ConversationListModel::PreviewSenderRole).toString();
        if (!id.isEmpty() && id != selfUserId_ && !names_.contains(id))
            ids.insert(id);
    }
    return QStringList(ids.cbegin(), ids.cend());
}

QStringList ConversationFilterModel::untitledConversations() const
{
    QStringList ids;
    const QAbstractItemModel* source = sourceModel();
    for (int row = 0; source && row < source->rowCount(); ++row) {
        const QModelIndex index = source->index(row, 0);
        const QString id = index.data(ConversationListModel::IdRole).toString();
        if (index.data(ConversationListModel::TitleRole).toString().isEmpty() && !titles_.contains(id))
            ids << id;
    }
    return ids;
}

void ConversationFilterModel::addTitles(const QHash<QString, QString>& titles)
{
    if (titles.isEmpty())
        return;
    titles_.insert(titles);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, 0), { ConversationListModel::TitleRole, InitialsRole });
}

QString ConversationFilterModel::titleOf(const QModelIndex& index) const
{
    const QString title = QSortFilterProxyModel::data(index, ConversationListModel::TitleRole).toString();
    if (!title.isEmpty())
        return title;
    return titles_.value(QSortFilterProxyModel::data(index, ConversationListModel::IdRole).toString());
}

QString ConversationFilterModel::idAt(int row) const
{
    return index(row, 0).data(ConversationListModel::IdRole).toString();
}

int ConversationFilterModel::rowOfId(const QString& id) const
{
    for (int row = 0; row < rowCount(); ++row)
        if (idAt(row) == id)
            return row;
    return -1;
}

QVariant ConversationFilterModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    switch (role) {
    case PinnedRole: return pinned_.contains(index.data(ConversationListModel::IdRole).toString());
    case PresenceRole: return int(presence_.value(index.data(ConversationListModel::IdRole).toString()));
    case ConversationListModel::TitleRole: return titleOf(index);
    case InitialsRole: return initialsOf(titleOf(index));
    case TimeTextRole: {
        const qint64 at = index.data(ConversationListModel::LastActivityRole).toLongLong();
        return at > 0 ? shortTime(at, QDateTime::currentMSecsSinceEpoch()) : QString();
    }
    case PreviewSenderNameRole: {
        const QString id = index.data(ConversationListModel::PreviewSenderRole).toString();
        if (id.isEmpty())
            return QString();
        if (id == selfUserId_)
            return tr("You");
        return names_.value(id, id);
    }
    default: return QSortFilterProxyModel::data(index, role);
    }
}

QHash<int, QByteArray> ConversationFilterModel::roleNames() const
{
    QHash<int, QByteArray> names = QSortFilterProxyModel::roleNames();
    names.insert(PinnedRole, "pinned");
    names.insert(InitialsRole, "initials");
    names.insert(TimeTextRole, "timeText");
    names.insert(PreviewSenderNameRole, "previewSenderName");
    names.insert(PresenceRole, "presence");
    return names;
}

bool ConversationFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QString needle = filterText_.trimmed();
    if (needle.isEmpty())
        return true;
    const QModelIndex source = sourceModel()->index(sourceRow, 0, sourceParent);
    return source.data(ConversationListModel::TitleRole).toString().contains(needle, Qt::CaseInsensitive)
        || source.data(ConversationListModel::PreviewRole).toString().contains(needle, Qt::CaseInsensitive);
}

bool ConversationFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const bool leftPinned = pinned_.contains(left.data(ConversationListModel::IdRole).toString());
    const bool rightPinned = pinned_.contains(right.data(ConversationListModel::IdRole).toString());
    if (leftPinned != rightPinned)
        return leftPinned;
    return left.row() < right.row(); // the source is already by recency
}

QString ConversationFilterModel::initialsOf(const QString& name)
{
    const QStringList words = name.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QString initials;
    for (const QString& word : words) {
        const QChar first = word.at(0);
        if (!first.isLetterOrNumber())
            continue;
        initials += first.toUpper();
        if (initials.size() == 2)
            break;
    }
    return initials.isEmpty() ? QStringLiteral("#") : initials;
}

QString ConversationFilterModel::timeOfDay(qint64 msSinceEpoch)
{
    // The locale's short time format, without seconds (some locales, and the
    // C locale, include them).
    static const QRegularExpression seconds(QStringLiteral("[:.]?s+"));
    QString format = QLocale().timeFormat(QLocale::ShortFormat);
    format.remove(seconds);
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(msSinceEpoch).time(), format.trimmed());
}

QString ConversationFilterModel::shortTime(qint64 msSinceEpoch, qint64 nowMs)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(msSinceEpoch);
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs);
    const QLocale locale;
    const qint64 days = at.date().daysTo(now.date());
    if (days == 0)
        return timeOfDay(msSinceEpoch);
    if (days > 0 && days < 7)
        return locale.dayName(at.date().dayOfWeek(), QLocale::ShortFormat);
    return locale.toString(at.date(), QLocale::ShortFormat);
}

} // namespace tenchat::ui
