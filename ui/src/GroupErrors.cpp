// SPDX-License-Identifier: GPL-3.0-or-later
#include "GroupErrors.h"

#include <QCoreApplication>

namespace tenchat::ui {

using core::messaging::MessagingErrorCode;

QString describeGroupFailure(const MessagingService::Failure& failure, const QString& handle)
{
    switch (failure.code) {
    case MessagingErrorCode::NotFound:
        // The engine names the unknown handle ("no user @x on this relay").
        if (failure.message.startsWith(QLatin1String("no user @"))) {
            const QString who = failure.message.mid(9).section(QLatin1Char(' '), 0, 0);
            return QCoreApplication::translate("GroupErrors", "There is no user @%1 on this relay.").arg(who);
        }
        return handle.isEmpty()
            ? QCoreApplication::translate("GroupErrors", "Not found: %1").arg(failure.message)
            : QCoreApplication::translate("GroupErrors", "There is no user @%1 on this relay.").arg(handle);
    case MessagingErrorCode::Network:
    case MessagingErrorCode::Timeout:
        return QCoreApplication::translate("GroupErrors",
            "The relay cannot be reached right now. Nothing was changed; try again when you are online.");
    case MessagingErrorCode::Forbidden:
        return QCoreApplication::translate("GroupErrors", "You are not allowed to do that in this group.");
    case MessagingErrorCode::InvalidArgument:
        return QCoreApplication::translate("GroupErrors", "Invalid input: %1").arg(failure.message);
    default: return QCoreApplication::translate("GroupErrors", "That did not work: %1").arg(failure.message);
    }
}

QString normalizedHandle(const QString& text)
{
    QString handle = text.trimmed().toLower();
    if (handle.startsWith(QLatin1Char('@')))
        handle.remove(0, 1);
    return handle;
}

} // namespace tenchat::ui
