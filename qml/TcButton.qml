// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A button in the app's look: filled with the accent colour (or flat when
// `flat`); `danger` uses the danger colour for destructive actions.
// Disabled, it is grey with dimmed text (Theme.disabledFill/disabledText).
Button {
    id: root
    property bool danger: false
    readonly property color fill: danger ? (flat ? Theme.danger : Theme.dangerFill) : Theme.accent
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
        color: !root.enabled ? Theme.disabledText : root.flat ? root.fill : Theme.accentText
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
    background: Rectangle {
        radius: Theme.radius
        color: root.flat ? (root.hovered && root.enabled ? Theme.hover : "transparent")
                         : !root.enabled ? Theme.disabledFill
                         : root.down ? Qt.darker(root.fill, 1.15) : root.hovered ? Qt.lighter(root.fill, 1.08) : root.fill
        border.width: root.visualFocus ? 2 : 0
        border.color: Theme.text
    }
}
