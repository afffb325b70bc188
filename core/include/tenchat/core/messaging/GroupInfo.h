// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreTypes.h"

#include <QList>
#include <QString>

namespace tenchat::core::messaging {

// One member of a group or channel as this device knows it.
struct GroupMember {
    QString userId; // hex
    QString handle; // without '@'; empty while unknown
    store::MemberRole role = store::MemberRole::Member;
};

// A group or channel as this device knows it (from the store).
struct GroupInfo {
    QString id; // conversation id (hex)
    QString title; // the group's name (end-to-end: the relay never sees it)
    bool channel = false; // only owners and admins post
    qint64 ttlSeconds = 0; // > 0: ephemeral, messages expire after this time
    bool member = false; // whether this account is (still) a member
    store::MemberRole ownRole = store::MemberRole::Member;
    QList<GroupMember> members;
};

} // namespace tenchat::core::messaging
