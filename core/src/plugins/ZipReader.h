// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/PluginError.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace tenchat::core::plugins {

// Reads every file of a .zip (libzip) into memory with the package limits:
// refuses unsafe paths, links, duplicates, and entries that inflate past
// their limit (the declared size is not trusted).
PluginExpected<QMap<QString, QByteArray>> readZip(
    const QString& path, int maxFiles, qint64 maxFileBytes, qint64 maxTotalBytes);

} // namespace tenchat::core::plugins
