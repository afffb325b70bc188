// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/ConversationFilterModel.h"

#include "tenchat/core/store/ConversationListModel.h"

#include <QDateTime>
#include <QLocale>

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
    case InitialsRole: return initialsOf(index.data(ConversationListModel::TitleRole).toString());
    case TimeTextRole: {
        const qint64 at = index.data(ConversationListModel::LastActivityRole).toLongLong();
        return at > 0 ? shortTime(at, QDateTime::currentMSecsSinceEpoch()) : QString();
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

QString ConversationFilterModel::shortTime(qint64 msSinceEpoch, qint64 nowMs)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(msSinceEpoch);
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs);
    const QLocale locale;
    const qint64 days = at.date().daysTo(now.date());
    if (days == 0)
        return locale.toString(at.time(), QLocale::ShortFormat);
    if (days > 0 && days < 7)
        return locale.dayName(at.date().dayOfWeek(), QLocale::ShortFormat);
    return locale.toString(at.date(), QLocale::ShortFormat);
}

} // namespace tenchat::ui
