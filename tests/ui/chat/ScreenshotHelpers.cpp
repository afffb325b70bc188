// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScreenshotHelpers.h"

#include <QDir>
#include <QSet>

#include <cstdlib>

namespace tenchat::testing {

QString saveScreenshot(const QImage& image, const QString& name)
{
    const QString dir = qEnvironmentVariable("TENCHAT_BINARY_DIR") + QStringLiteral("/screenshots");
    QDir().mkpath(dir);
    const QString path = dir + QLatin1Char('/') + name;
    return image.save(path) ? path : QString();
}

int distinctColours(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    return int(colours.size());
}

double shareOfColour(const QImage& image, const QColor& colour, int tolerance)
{
    if (image.isNull())
        return 0;
    qint64 hits = 0;
    qint64 total = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QRgb p = image.pixel(x, y);
            ++total;
            if (std::abs(qRed(p) - colour.red()) <= tolerance && std::abs(qGreen(p) - colour.green()) <= tolerance
                && std::abs(qBlue(p) - colour.blue()) <= tolerance)
                ++hits;
        }
    return double(hits) / double(total);
}

} // namespace tenchat::testing
