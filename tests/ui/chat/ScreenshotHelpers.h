// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QImage>
#include <QString>

// Saving and checking screenshots of the UI tests.
namespace tenchat::testing {

// Saves under $TENCHAT_BINARY_DIR/screenshots/<name>; returns the path ("" on failure).
QString saveScreenshot(const QImage& image, const QString& name);
// Distinct colours on a 3-pixel grid: a blank or single-colour window has very few.
int distinctColours(const QImage& image);
// Share of pixels (0..1) within `tolerance` per channel of `colour`.
double shareOfColour(const QImage& image, const QColor& colour, int tolerance = 6);

} // namespace tenchat::testing
