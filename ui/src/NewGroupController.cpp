// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/NewGroupController.h"

#include "GroupErrors.h"
#include "tenchat/ui/GroupController.h"
#include "tenchat/ui/MessagingService.h"
#include "tenchat/ui/SessionController.h"

#include <QVariantMap>

#include <utility>

namespace tenchat::ui {

using core::messaging::MessagingErrorCode;

NewGroupController::NewGroupController(QObject* parent) : QObject(parent)
{ }

void NewGroupController::attach(MessagingService* messaging, const QString& selfHandle)
{
    messaging_ = messaging;
    selfHandle_ = selfHandle;
}

void NewGroupController::setName(const QString& name)
{
    if (name == name_)
        return;
    name_ = name.left(kMaxNameLength);
    if (!error_.isEmpty())
        setErrors(handleError_, {});
    emit changed();
}

void NewGroupController::setChannel(bool channel)
{
    if (channel == channel_)
        return;
    channel_ = channel;
    emit changed();
}

void NewGroupController::setTtlSeconds(int seconds)
{
    seconds = qMax(0, seconds);
    if (seconds == ttlSeconds_)
        return;
    ttlSeconds_ = seconds;
    emit changed();
}

bool NewGroupController::canCreate() const
{
    return !busy_ && !name_.trimmed().isEmpty();
}

QVariantList NewGroupController::ttlChoices() const
{
    QVariantList choices;
    for (const int seconds : { 0, 3600, 86400, 7 * 86400 })
        choices << QVariantMap { { QStringLiteral("seconds"), seconds },
            { QStringLiteral("label"), GroupController::ttlLabel(seconds) } };
    return choices;
}

void NewGroupController::reset()
{
    name_.clear();
    channel_ = false;
    ttlSeconds_ = 0;
    handles_.clear();
    rejected_.clear();
    busy_ = false;
    setErrors({}, {});
    emit changed();
    emit busyChanged();
}

bool NewGroupController::addHandle(const QString& text)
{
    const QString handle = normalizedHandle(text);
    QString problem;
    if (handle.isEmpty())
        problem = tr("Type a handle, e.g. @bob.");
    else if (!SessionController::isValidHandle(handle))
        problem = tr("A handle is 3 to 32 lower-case letters, digits, dots, dashes or underscores.");
    else if (handle == selfHandle_)
        problem = tr("You are a member anyway (as the owner).");
    else if (handles_.contains(handle))
        problem = tr("@%1 is already in the list.").arg(handle);
    else if (handles_.size() >= kMaxMembers)
        problem = tr("At most %1 members at once.").arg(kMaxMembers);
    if (!problem.isEmpty()) {
        setErrors(problem, error_);
        return false;
    }
    handles_ << handle;
    setErrors({}, {});
    emit changed();
    return true;
}

void NewGroupController::removeHandle(const QString& handle)
{
    if (!handles_.removeOne(handle))
        return;
    if (handle == rejected_) {
        rejected_.clear();
        setErrors(handleError_, {});
    }
    emit changed();
}

void NewGroupController::create()
{
    if (busy_)
        return;
    if (name_.trimmed().isEmpty())
        return setErrors(handleError_, channel_ ? tr("Give the channel a name.") : tr("Give the group a name."));
    if (!messaging_)
        return setErrors(handleError_, tr("Not connected to the messaging engine yet."));
    busy_ = true;
    rejected_.clear();
    setErrors({}, {});
    emit busyChanged();
    emit changed();
    QPointer<NewGroupController> self(this);
    messaging_->createGroup(name_.trimmed(), handles_, channel_, quint32(ttlSeconds_),
        [self](QString id, MessagingService::Failure failure) {
            if (!self)
                return;
            self->busy_ = false;
            emit self->busyChanged();
            if (!failure.ok()) {
                // Mark the handle the relay did not know.
                if (failure.code == MessagingErrorCode::NotFound)
                    for (const QString& handle : std::as_const(self->handles_))
                        if (failure.message.contains(QLatin1Char('@') + handle + QLatin1Char(' ')))
                            self->rejected_ = handle;
                self->setErrors({}, describeGroupFailure(failure, self->rejected_));
                emit self->changed();
                return;
            }
            emit self->changed();
            emit self->created(id);
        });
}

void NewGroupController::setErrors(const QString& handleError, const QString& error)
{
    if (handleError == handleError_ && error == error_)
        return;
    handleError_ = handleError;
    error_ = error;
    emit errorChanged();
}

} // namespace tenchat::ui
