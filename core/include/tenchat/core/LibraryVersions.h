// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPair>
#include <QString>

namespace tenchat::core {

// The libraries the client's security rests on, with the versions in use
// (run-time where the library reports one): for the About page and bug reports.
QList<QPair<QString, QString>> libraryVersions();

} // namespace tenchat::core
