// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// An entry of a TcMenu: theme colours, the danger colour for destructive
// ones; a hidden entry takes no height.
MenuItem {
    id: root
    property bool danger: false
    height: visible ? implicitHeight : 0
    font.pixelSize: Theme.fontSize
    Accessible.name: text
    contentItem: Text {
        text: root.text
        font: root.font
        color: !root.enabled ? Theme.disabledText : root.danger ? Theme.danger : Theme.text
        leftPadding: 8
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
    background: Rectangle {
        implicitWidth: 200
        implicitHeight: 36
        radius: 6
        color: root.highlighted ? Theme.hover : "transparent"
    }
}
