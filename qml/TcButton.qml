// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A button in the app's look: filled with the accent colour (or flat when `flat`).
Button {
    id: root
    font.pixelSize: Theme.fontSize
    font.weight: Font.DemiBold
    leftPadding: 18
    rightPadding: 18
    topPadding: 10
    bottomPadding: 10
    Accessible.name: text
    contentItem: Text {
        text: root.text
        font: root.font
        color: root.flat ? Theme.accent : Theme.accentText
        opacity: root.enabled ? 1 : 0.6
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
    background: Rectangle {
        radius: Theme.radius
        color: root.flat ? (root.hovered ? Theme.hover : "transparent")
                         : (root.down ? Qt.darker(Theme.accent, 1.15) : root.hovered ? Qt.lighter(Theme.accent, 1.08) : Theme.accent)
        opacity: root.enabled ? 1 : 0.5
        border.width: root.visualFocus ? 2 : 0
        border.color: Theme.text
    }
}
