// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A switch with a label (and an optional explanation below it) in the app's colours.
Switch {
    id: root
    property string detail: ""
    Layout.fillWidth: true
    Accessible.name: text
    Accessible.description: detail
    // Drawn with the theme's colours (the Basic style's handle is a big white disc).
    indicator: Rectangle {
        implicitWidth: 40
        implicitHeight: 22
        x: root.leftPadding
        y: root.topPadding + (root.availableHeight - height) / 2
        radius: 11
        opacity: root.enabled ? 1 : 0.5
        color: root.checked ? Theme.accent : Theme.surfaceAlt
        border.width: root.visualFocus ? 2 : 1
        border.color: root.checked || root.visualFocus ? Theme.accent : Theme.textSecondary
        Rectangle {
            x: root.checked ? parent.width - width - 3 : 3
            anchors.verticalCenter: parent.verticalCenter
            width: 16
            height: 16
            radius: 8
            color: root.checked ? Theme.accentText : Theme.textSecondary
            Behavior on x { NumberAnimation { duration: 120 } }
        }
    }
    contentItem: Column {
        leftPadding: root.indicator.width + root.spacing
        // The first line sits level with the switch.
        topPadding: Math.max(0, (root.indicator.height - titleLabel.implicitHeight) / 2)
        spacing: 2
        Label {
            id: titleLabel
            text: root.text
            color: root.enabled ? Theme.text : Theme.disabledText
            font.pixelSize: Theme.fontSize
            width: root.availableWidth - root.indicator.width - root.spacing
            wrapMode: Text.Wrap
        }
        Label {
            visible: root.detail.length > 0
            text: root.detail
            color: Theme.textSecondary
            font.pixelSize: Theme.smallFontSize
            width: root.availableWidth - root.indicator.width - root.spacing
            wrapMode: Text.Wrap
        }
    }
}
