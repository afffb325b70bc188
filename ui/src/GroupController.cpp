// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/GroupController.h"

#include "GroupErrors.h"
#include "tenchat/ui/SessionController.h"

namespace tenchat::ui {

using core::messaging::GroupInfo;
using Failure = MessagingService::Failure;

GroupController::GroupController(QObject* parent) : QObject(parent), members_(new GroupMemberModel(this))
{ }

void GroupController::attach(MessagingService* messaging, const QString& selfUserId)
{
    messaging_ = messaging;
    selfUserId_ = selfUserId;
    if (messaging)
        connect(messaging, &MessagingService::groupChanged, this, [this](const QString& id) {
            if (id == conversationId_)
                reload();
        });
}

void GroupController::setConversation(const QString& conversationId, bool isGroup)
{
    const QString id = isGroup ? conversationId : QString();
    if (id == conversationId_)
        return;
    ++generation_;
    conversationId_ = id;
    info_ = GroupInfo {};
    info_.id = id;
    members_->clear();
    setBusy(false);
    setError({});
    emit changed();
    reload();
}

void GroupController::setInfo(const GroupInfo& info)
{
    if (info.id != conversationId_)
        return;
    info_ = info;
    members_->setGroup(info, selfUserId_);
    emit changed();
}

void GroupController::reload()
{
    if (!messaging_ || conversationId_.isEmpty())
        return;
    const quint64 generation = generation_;
    QPointer<GroupController> self(this);
    messaging_->groupInfo(conversationId_, [self, generation](GroupInfo info, Failure failure) {
        if (!self || generation != self->generation_)
            return;
        if (!failure.ok())
            return self->setError(describeGroupFailure(failure));
        self->setInfo(info);
    });
}

QString GroupController::ownRoleLabel() const
{
    return info_.member ? GroupMemberModel::roleLabel(info_.ownRole, info_.channel) : tr("Not a member");
}

bool GroupController::canAddMembers() const
{
    using core::store::MemberRole;
    return info_.member && (info_.ownRole == MemberRole::Owner || info_.ownRole == MemberRole::Admin);
}

QString GroupController::ttlLabel(qint64 seconds)
{
    constexpr qint64 kHour = 3600;
    constexpr qint64 kDay = 24 * kHour;
    if (seconds <= 0)
        return tr("Off");
    // Spelled out (no translation loaded must still read well).
    if (seconds % kDay == 0)
        return seconds == kDay ? tr("1 day") : tr("%1 days").arg(seconds / kDay);
    if (seconds % kHour == 0)
        return seconds == kHour ? tr("1 hour") : tr("%1 hours").arg(seconds / kHour);
    if (seconds % 60 == 0)
        return seconds == 60 ? tr("1 minute") : tr("%1 minutes").arg(seconds / 60);
    return seconds == 1 ? tr("1 second") : tr("%1 seconds").arg(seconds);
}

void GroupController::run(
    std::function<void(std::function<void(Failure)>)> start, const QString& handle, const QString& success)
{
    if (!messaging_ || busy_ || conversationId_.isEmpty())
        return;
    setError({});
    setBusy(true);
    const quint64 generation = generation_;
    QPointer<GroupController> self(this);
    start([self, generation, handle, success](Failure failure) {
        if (!self || generation != self->generation_)
            return;
        self->setBusy(false);
        if (!failure.ok())
            return self->setError(describeGroupFailure(failure, handle));
        emit self->actionDone(success);
        self->reload();
    });
}

bool GroupController::addMember(const QString& text)
{
    const QString handle = normalizedHandle(text);
    if (!SessionController::isValidHandle(handle)) {
        setError(tr("A handle is 3 to 32 lower-case letters, digits, dots, dashes or underscores."));
        return false;
    }
    for (int row = 0; row < members_->count(); ++row)
        if (members_->rowAt(row).handle == handle) {
            setError(tr("@%1 is already a member.").arg(handle));
            return false;
        }
    if (!canAddMembers()) {
        setError(tr("Only owners and admins add members."));
        return false;
    }
    const QString id = conversationId_;
    run([this, id, handle](auto done) { messaging_->addMember(id, handle, done); }, handle,
        tr("@%1 was added.").arg(handle));
    return true;
}

void GroupController::removeMember(const QString& userId)
{
    const int row = members_->rowOfUser(userId);
    if (row < 0 || !members_->canRemove(members_->rowAt(row)))
        return setError(tr("You cannot remove this member."));
    const QString handle = members_->rowAt(row).handle;
    const QString id = conversationId_;
    run([this, id, handle](auto done) { messaging_->removeMember(id, handle, done); }, handle,
        tr("@%1 was removed.").arg(handle));
}

void GroupController::setRole(const QString& userId, int role)
{
    const int row = members_->rowOfUser(userId);
    if (row < 0 || !members_->canChangeRole(members_->rowAt(row)))
        return setError(tr("Only owners change roles."));
    if (role != Member && role != Admin && role != Owner)
        return setError(tr("Unknown role."));
    const QString handle = members_->rowAt(row).handle;
    const QString id = conversationId_;
    const auto memberRole = core::store::MemberRole(role);
    run([this, id, handle, memberRole](auto done) { messaging_->setRole(id, handle, memberRole, done); }, handle,
        tr("@%1 is now %2.").arg(handle, GroupMemberModel::roleLabel(memberRole, info_.channel).toLower()));
}

void GroupController::leave()
{
    if (!info_.member)
        return setError(tr("You are not a member of this group any more."));
    const QString id = conversationId_;
    QPointer<GroupController> self(this);
    run(
        [this, id, self](auto done) {
            messaging_->leaveGroup(id, [self, id, done](Failure failure) {
                done(failure);
                if (self && failure.ok())
                    emit self->left(id);
            });
        },
        {}, info_.channel ? tr("You left the channel.") : tr("You left the group."));
}

void GroupController::clearError()
{
    setError({});
}

void GroupController::setError(const QString& error)
{
    if (error == error_)
        return;
    error_ = error;
    emit errorChanged();
}

void GroupController::setBusy(bool busy)
{
    if (busy == busy_)
        return;
    busy_ = busy;
    emit busyChanged();
}

} // namespace tenchat::ui
