// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// One option of a row of choices (a segmented control): outlined, filled
// with the accent colour when `selected` (bound by the caller, so a click
// only reports; the model decides). Tab and Space work as on any button.
Button {
    id: root
    property bool selected: false
    Accessible.checkable: true
    Accessible.checked: selected
    font.pixelSize: Theme.smallFontSize + 1
    leftPadding: 12
    rightPadding: 12
    topPadding: 7
    bottomPadding: 7
    Accessible.role: Accessible.RadioButton
    contentItem: Text {
        text: root.text
        font: root.font
        color: !root.enabled ? Theme.disabledText : root.selected ? Theme.accentText : Theme.text
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        radius: height / 2
        color: root.selected ? (root.enabled ? Theme.accent : Theme.disabledFill)
                             : root.hovered && root.enabled ? Theme.hover : "transparent"
        border.width: root.visualFocus ? 2 : 1
        border.color: root.visualFocus ? Theme.text : root.selected ? Theme.accent : Theme.border
    }
}
