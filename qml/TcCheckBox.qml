// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A check box drawn with the theme's colours, light and dark.
CheckBox {
    id: root
    spacing: 8
    Accessible.name: text
    indicator: Rectangle {
        implicitWidth: 20
        implicitHeight: 20
        x: root.leftPadding
        y: root.topPadding + (root.availableHeight - height) / 2
        radius: 4
        color: root.checked ? Theme.accent : Theme.surfaceAlt
        border.width: root.visualFocus ? 2 : 1.5
        border.color: root.checked || root.visualFocus ? Theme.accent : Theme.textSecondary
        opacity: root.enabled ? 1 : 0.45
        Text {
            anchors.centerIn: parent
            text: "✓"
            color: Theme.accentText
            font.pixelSize: 14
            font.bold: true
            visible: root.checked
        }
    }
    contentItem: Text {
        text: root.text
        font: root.font
        color: root.enabled ? Theme.text : Theme.disabledText
        leftPadding: root.indicator.width + root.spacing
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.Wrap
    }
}
