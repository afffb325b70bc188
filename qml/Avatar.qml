// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick

// A round avatar with initials on a colour derived from the key.
Rectangle {
    id: root
    property string initials: ""
    property string key: initials
    property int size: 40
    width: size
    height: size
    radius: size / 2
    color: Theme.avatarColor(key)
    Accessible.ignored: true

    Text {
        anchors.centerIn: parent
        text: root.initials
        color: "#ffffff"
        font.pixelSize: Math.round(root.size * 0.4)
        font.weight: Font.DemiBold
    }
}
