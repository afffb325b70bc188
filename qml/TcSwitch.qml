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
    contentItem: Column {
        leftPadding: root.indicator.width + root.spacing
        spacing: 2
        Label {
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
