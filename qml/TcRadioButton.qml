// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A radio button drawn with the theme's colours (the Basic style's disc
// stays white in the dark theme).
RadioButton {
    id: root
    spacing: 8
    Accessible.name: text
    indicator: Rectangle {
        implicitWidth: 20
        implicitHeight: 20
        x: root.leftPadding
        y: root.topPadding + (root.availableHeight - height) / 2
        radius: width / 2
        color: Theme.surfaceAlt
        border.width: root.visualFocus ? 2 : 1.5
        border.color: root.checked || root.visualFocus ? Theme.accent : Theme.textSecondary
        opacity: root.enabled ? 1 : 0.45
        Rectangle {
            anchors.centerIn: parent
            width: 10
            height: 10
            radius: 5
            color: Theme.accent
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
