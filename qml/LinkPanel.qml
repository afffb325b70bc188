// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The new device's side of linking: the one-time code, large and in groups
// of four, to be entered on a device of the account; waits for the approval.
ColumnLayout {
    id: root
    property string handle
    property var codeGroups: []
    signal cancelled()
    spacing: 14

    Label {
        text: qsTr("Link this device")
        color: Theme.text
        font.pixelSize: 24
        font.weight: Font.DemiBold
        Layout.fillWidth: true
    }
    Label {
        text: root.handle.length > 0
              ? qsTr("On a device where @%1 is signed in, open Settings, go to Devices and enter this code:").arg(root.handle)
              : qsTr("On a device of your account, open Settings, go to Devices and enter this code:")
        color: Theme.textSecondary
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Rectangle {
        color: Theme.surfaceAlt
        radius: Theme.radius
        border.color: Theme.border
        Layout.fillWidth: true
        implicitHeight: Math.max(codeRow.implicitHeight, 30) + 36
        // Five groups of four; the card is wide enough for one line at any window size.
        Row {
            id: codeRow
            objectName: "linkCode"
            anchors.centerIn: parent
            spacing: 12
            Accessible.role: Accessible.StaticText
            Accessible.name: qsTr("Link code: %1").arg(root.codeGroups.join(" "))
            Repeater {
                model: root.codeGroups
                Text {
                    required property string modelData
                    text: modelData
                    color: Theme.text
                    font.family: "monospace"
                    font.pixelSize: 22
                    font.weight: Font.DemiBold
                    font.letterSpacing: 1
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: root.codeGroups.length === 0
            text: qsTr("Asking the relay for a code…")
            color: Theme.textSecondary
        }
    }
    RowLayout {
        spacing: 10
        Layout.fillWidth: true
        BusyIndicator {
            running: root.visible
            implicitWidth: 24
            implicitHeight: 24
        }
        Label {
            text: qsTr("Waiting for the approval. The code is valid for 10 minutes and works once.")
            color: Theme.textSecondary
            font.pixelSize: Theme.smallFontSize
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }
    TcButton {
        objectName: "cancelLinkButton"
        flat: true
        text: qsTr("Cancel")
        Accessible.name: qsTr("Cancel linking")
        Layout.alignment: Qt.AlignRight
        onClicked: root.cancelled()
    }
}
