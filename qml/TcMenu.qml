// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A context menu in the app's look (surface, border, rounded); hidden items
// take no space.
Menu {
    id: root
    padding: 6
    background: Rectangle {
        implicitWidth: 220
        color: Theme.surface
        radius: 10
        border.color: Theme.border
    }
}
