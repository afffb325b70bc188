// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// Shown in a direct chat when the contact's identity changed (a new phone,
// a reinstall, or someone in the middle): sending waits until the user
// accepts the new keys or verifies them.
Rectangle {
    id: root
    readonly property var contact: SessionController.chat.contact
    signal verifyRequested()
    visible: contact.identityChanged
    implicitHeight: visible ? row.implicitHeight + 20 : 0
    color: Theme.dark ? "#3a2a12" : "#fff4e0"
    Accessible.role: Accessible.AlertMessage
    Accessible.name: message.text

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: 16
        anchors.rightMargin: 16
        spacing: 12
        Label {
            id: message
            text: qsTr("@%1's safety number changed. Messages to them wait until you accept or verify the new one.").arg(root.contact.handle)
            color: Theme.text
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        TcButton {
            text: qsTr("Verify")
            flat: true
            onClicked: root.verifyRequested()
        }
        TcButton {
            objectName: "acceptIdentity"
            text: qsTr("Accept")
            onClicked: root.contact.markVerified()
        }
    }
}
