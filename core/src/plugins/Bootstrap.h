// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace tenchat::core::plugins {

// The JavaScript that builds the frozen `tenchat` object around the bridge.
// It evaluates to function(bridge, global, info) returning the dispatcher.
QString bootstrapScript();

} // namespace tenchat::core::plugins
