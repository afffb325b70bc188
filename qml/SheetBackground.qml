// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick

// The background of dialogs and sheets: the surface colour, rounded, a hairline border.
Rectangle {
    color: Theme.surface
    radius: 16
    border.color: Theme.border
}
