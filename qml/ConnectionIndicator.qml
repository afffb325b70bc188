// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// The relay connection state, always visible: a coloured dot and a word
// (offline / connecting / syncing / live). Sending works in every state.
RowLayout {
    id: root
    property int state: AppController.connectionState
    readonly property string label: [qsTr("Offline"), qsTr("Connecting…"), qsTr("Syncing…"), qsTr("Live")][state] || ""
    spacing: 6
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("Connection: %1").arg(label)

    Rectangle {
        width: 10
        height: 10
        radius: 5
        color: root.state === 3 ? Theme.live : root.state === 0 ? Theme.offline : Theme.warning
    }
    Label {
        text: root.label
        color: Theme.textSecondary
        font.pixelSize: Theme.smallFontSize
    }
}
