// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/GroupInfo.h"

#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

// The members of the open group or channel for the group info page: owners
// first, then admins, then the others, by name; each with its role's label
// ("Reader" for a channel's plain members) and what this account may do to
// it (mirrors the relay's rules: owners change roles and remove anyone,
// admins remove plain members). Updates are row-level (insert, move,
// remove, dataChanged), never a reset, so the list keeps its place.
class GroupMemberModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by GroupController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        UserIdRole = Qt::UserRole + 1,
        HandleRole, // without '@'; "" while unknown
        NameRole, // the handle, or a short form of the user id
        InitialsRole,
        MemberRoleRole, // core::store::MemberRole as int
        RoleLabelRole,
        IsSelfRole,
        CanRemoveRole,
        CanChangeRoleRole,
    };
    Q_ENUM(Role)

    struct Row {
        QString userId;
        QString handle;
        core::store::MemberRole role = core::store::MemberRole::Member;
        bool self = false;
        friend bool operator==(const Row&, const Row&) = default;
    };

    explicit GroupMemberModel(QObject* parent = nullptr);

    // Shows the members of `info` (this account is `selfUserId`).
    void setGroup(const core::messaging::GroupInfo& info, const QString& selfUserId);
    void clear();

    int count() const { return int(rows_.size()); }
    const Row& rowAt(int row) const { return rows_.at(row); }
    Q_INVOKABLE int rowOfUser(const QString& userId) const;
    // What this account may do to a member with `role` (not itself).
    bool canRemove(const Row& row) const;
    bool canChangeRole(const Row& row) const;
    static QString roleLabel(core::store::MemberRole role, bool channel);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    void apply(const QList<Row>& next);

    QList<Row> rows_;
    bool channel_ = false;
    bool member_ = false;
    core::store::MemberRole ownRole_ = core::store::MemberRole::Member;
};

} // namespace tenchat::ui
