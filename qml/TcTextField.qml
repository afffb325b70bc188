// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A single-line input in the app's look: rounded, filled, accent outline on focus.
TextField {
    id: root
    color: enabled ? Theme.text : Theme.disabledText
    placeholderTextColor: Theme.textSecondary
    selectionColor: Theme.accent
    selectedTextColor: Theme.accentText
    font.pixelSize: Theme.fontSize
    leftPadding: 12
    rightPadding: 12
    topPadding: 10
    bottomPadding: 10
    Accessible.name: placeholderText
    background: Rectangle {
        radius: Theme.radius
        color: root.enabled ? Theme.surfaceAlt : Theme.disabledFill
        border.width: root.activeFocus ? 2 : 1
        border.color: root.activeFocus ? Theme.accent : Theme.border
    }
}
