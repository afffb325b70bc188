// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// A handle added to the new-group list, with a remove button; outlined in
// the danger colour when the relay did not know it.
Rectangle {
    id: root
    property string handle: ""
    property bool rejected: false
    signal removeRequested()
    implicitWidth: row.implicitWidth + 14
    implicitHeight: 32
    radius: height / 2
    color: Theme.surfaceAlt
    border.width: rejected ? 2 : 1
    border.color: rejected ? Theme.danger : Theme.border
    Accessible.role: Accessible.ListItem
    Accessible.name: rejected ? qsTr("@%1, unknown on this relay").arg(handle) : "@" + handle

    RowLayout {
        id: row
        anchors.verticalCenter: parent.verticalCenter
        x: 4
        spacing: 4
        Avatar {
            initials: AppController.initials(root.handle)
            key: root.handle
            size: 24
        }
        Label {
            text: "@" + root.handle
            color: root.rejected ? Theme.danger : Theme.text
            font.pixelSize: Theme.smallFontSize + 1
        }
        TcIconButton {
            iconName: "close"
            size: 22
            Accessible.name: qsTr("Remove @%1").arg(root.handle)
            onClicked: root.removeRequested()
        }
    }
}
