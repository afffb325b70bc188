// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/PassphraseMeter.h"

#include <QSet>

#include <algorithm>

namespace tenchat::ui {

int PassphraseMeter::score(const QString& passphrase)
{
    if (passphrase.size() < 8)
        return passphrase.isEmpty() ? 0 : (passphrase.size() >= 6 ? 1 : 0);

    bool lower = false, upper = false, digit = false, other = false;
    QSet<QChar> distinct;
    int repeats = 0;
    int runs = 0;
    for (int i = 0; i < passphrase.size(); ++i) {
        const QChar c = passphrase.at(i);
        distinct.insert(c);
        if (c.isLower())
            lower = true;
        else if (c.isUpper())
            upper = true;
        else if (c.isDigit())
            digit = true;
        else
            other = true;
        if (i > 0 && passphrase.at(i - 1) == c)
            ++repeats;
        if (i > 0 && passphrase.at(i - 1).unicode() + 1 == c.unicode())
            ++runs;
    }
    const int classes = int(lower) + int(upper) + int(digit) + int(other);
    // Effective length: characters that are neither repeats nor steps of a run.
    const int effective = std::max(0, int(passphrase.size()) - repeats - runs);
    if (distinct.size() <= 3)
        return 1;

    int points = 0;
    if (effective >= 8)
        points = 1;
    if (effective >= 10 && classes >= 2)
        points = 2;
    if (effective >= 12 && classes >= 3)
        points = 3;
    if (effective >= 16 && classes >= 2)
        points = std::max(points, 3);
    if ((effective >= 14 && classes >= 4) || effective >= 20)
        points = 4;
    return std::clamp(points, 1, 4);
}

} // namespace tenchat::ui
