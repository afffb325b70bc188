// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/ui/MessagingService.h"

#include <QString>

namespace tenchat::ui {

// A group operation's failure as the dialogs show it inline: unknown
// handles, offline, not allowed; `handle` (without '@') is the member the
// operation was about, if any.
QString describeGroupFailure(const MessagingService::Failure& failure, const QString& handle = {});

// Lower case, without a leading '@' and surrounding spaces.
QString normalizedHandle(const QString& text);

} // namespace tenchat::ui
