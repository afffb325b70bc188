// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The relay connection state, always visible: a coloured dot and a word.
RowLayout {
    id: root
    property int state: 0
    property string label: ""
    spacing: 6
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("Connection: %1").arg(label)

    Rectangle {
        width: 10
        height: 10
        radius: 5
        color: root.state === 2 ? Theme.live : root.state === 1 ? Theme.warning : Theme.offline
    }
    Label {
        text: root.label
        color: Theme.textSecondary
        font.pixelSize: Theme.smallFontSize
    }
}
