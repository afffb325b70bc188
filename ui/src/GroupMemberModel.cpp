// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/GroupMemberModel.h"

#include "tenchat/ui/ConversationFilterModel.h"

#include <QSet>

#include <algorithm>

namespace tenchat::ui {

using core::store::MemberRole;

namespace {

QString nameOf(const GroupMemberModel::Row& row)
{
    return row.handle.isEmpty() ? row.userId.left(8) : row.handle;
}

// Owners, admins, moderators, members; by name within a role.
bool before(const GroupMemberModel::Row& a, const GroupMemberModel::Row& b)
{
    if (a.role != b.role)
        return int(a.role) > int(b.role);
    const int byName = QString::compare(nameOf(a), nameOf(b), Qt::CaseInsensitive);
    return byName != 0 ? byName < 0 : a.userId < b.userId;
}

} // namespace

GroupMemberModel::GroupMemberModel(QObject* parent) : QAbstractListModel(parent)
{
    for (auto signal : { &QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved })
        connect(this, signal, this, &GroupMemberModel::countChanged);
}

QString GroupMemberModel::roleLabel(MemberRole role, bool channel)
{
    switch (role) {
    case MemberRole::Owner: return tr("Owner");
    case MemberRole::Admin: return tr("Admin");
    case MemberRole::Moderator: return tr("Moderator");
    case MemberRole::Member: return channel ? tr("Reader") : tr("Member");
    }
    return tr("Member");
}

void GroupMemberModel::setGroup(const core::messaging::GroupInfo& info, const QString& selfUserId)
{
    const bool permissionsChanged = channel_ != info.channel || member_ != info.member || ownRole_ != info.ownRole;
    channel_ = info.channel;
    member_ = info.member;
    ownRole_ = info.ownRole;
    QList<Row> next;
    next.reserve(info.members.size());
    for (const auto& m : info.members)
        next.append(Row { m.userId, m.handle, m.role, m.userId == selfUserId });
    std::sort(next.begin(), next.end(), before);
    apply(next);
    // What we may do to every member follows our own role.
    if (permissionsChanged && !rows_.isEmpty())
        emit dataChanged(index(0), index(int(rows_.size()) - 1), { RoleLabelRole, CanRemoveRole, CanChangeRoleRole });
}

void GroupMemberModel::clear()
{
    apply({});
    member_ = false;
    channel_ = false;
    ownRole_ = MemberRole::Member;
}

void GroupMemberModel::apply(const QList<Row>& next)
{
    QSet<QString> nextIds;
    for (const Row& row : next)
        nextIds.insert(row.userId);
    for (int i = int(rows_.size()) - 1; i >= 0; --i) {
        if (nextIds.contains(rows_[i].userId))
            continue;
        beginRemoveRows({}, i, i);
        rows_.removeAt(i);
        endRemoveRows();
    }
    for (int target = 0; target < int(next.size()); ++target) {
        int current = -1;
        for (int i = target; i < int(rows_.size()); ++i)
            if (rows_[i].userId == next[target].userId) {
                current = i;
                break;
            }
        if (current < 0) {
            beginInsertRows({}, target, target);
            rows_.insert(target, next[target]);
            endInsertRows();
            continue;
        }
        if (current != target) {
            beginMoveRows({}, current, current, {}, target);
            rows_.move(current, target);
            endMoveRows();
        }
        if (!(rows_[target] == next[target])) {
            rows_[target] = next[target];
            emit dataChanged(index(target), index(target));
        }
    }
}

int GroupMemberModel::rowOfUser(const QString& userId) const
{
    for (int i = 0; i < int(rows_.size()); ++i)
        if (rows_[i].userId == userId)
            return i;
    return -1;
}

bool GroupMemberModel::canRemove(const Row& row) const
{
    if (!member_ || row.self || row.handle.isEmpty())
        return false;
    return ownRole_ == MemberRole::Owner || (ownRole_ == MemberRole::Admin && row.role == MemberRole::Member);
}

bool GroupMemberModel::canChangeRole(const Row& row) const
{
    return member_ && !row.self && !row.handle.isEmpty() && ownRole_ == MemberRole::Owner;
}

int GroupMemberModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(rows_.size());
}

QVariant GroupMemberModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = rows_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return nameOf(row);
    case UserIdRole: return row.userId;
    case HandleRole: return row.handle;
    case InitialsRole: return ConversationFilterModel::initialsOf(nameOf(row));
    case MemberRoleRole: return int(row.role);
    case RoleLabelRole: return roleLabel(row.role, channel_);
    case IsSelfRole: return row.self;
    case CanRemoveRole: return canRemove(row);
    case CanChangeRoleRole: return canChangeRole(row);
    default: return {};
    }
}

QHash<int, QByteArray> GroupMemberModel::roleNames() const
{
    return {
        { UserIdRole, "userId" },
        { HandleRole, "handle" },
        { NameRole, "name" },
        { InitialsRole, "initials" },
        { MemberRoleRole, "memberRole" },
        { RoleLabelRole, "roleLabel" },
        { IsSelfRole, "isSelf" },
        { CanRemoveRole, "canRemove" },
        { CanChangeRoleRole, "canChangeRole" },
    };
}

} // namespace tenchat::ui
