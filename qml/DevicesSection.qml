// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// The settings' "Devices" section: this account's devices (this one
// marked), linking a new device by the code it shows, revoking one after a
// confirmation. `devices` is the session's DeviceListModel.
ColumnLayout {
    id: root
    required property var devices
    spacing: 6

    function statusColor() {
        switch (root.devices.statusKind) {
        case DeviceListModel.Success: return Theme.live
        case DeviceListModel.Error: return Theme.danger
        default: return Theme.textSecondary
        }
    }

    Repeater {
        model: root.devices
        delegate: RowLayout {
            id: row
            required property int deviceId
            required property string name
            required property bool current
            required property bool revoked
            required property string createdText
            required property string lastSeenText
            objectName: "device" + deviceId
            spacing: 12
            Layout.fillWidth: true
            Rectangle {
                width: 36
                height: 36
                radius: 8
                color: row.current ? Theme.selection : Theme.surfaceAlt
                Text {
                    anchors.centerIn: parent
                    text: row.deviceId
                    color: row.current ? Theme.accent : Theme.textSecondary
                    font.pixelSize: Theme.fontSize
                    font.weight: Font.DemiBold
                }
            }
            ColumnLayout {
                spacing: 0
                Layout.fillWidth: true
                Label {
                    text: row.name
                    color: row.revoked ? Theme.textSecondary : Theme.text
                    font.weight: Font.DemiBold
                    font.strikeout: row.revoked
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    text: [row.lastSeenText, row.createdText].filter(t => t.length > 0).join(" · ")
                    color: row.current ? Theme.accent : Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
            }
            TcButton {
                objectName: "revokeButton" + row.deviceId
                flat: true
                visible: !row.current && !row.revoked
                enabled: !root.devices.busy
                text: qsTr("Revoke")
                Accessible.name: qsTr("Revoke %1").arg(row.name)
                onClicked: {
                    confirm.deviceId = row.deviceId
                    confirm.deviceName = row.name
                    confirm.open()
                }
            }
        }
    }
    Label {
        visible: root.devices.count === 0
        text: qsTr("Your devices are listed once TenChat is connected to the relay.")
        color: Theme.textSecondary
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    Label {
        text: qsTr("Link a new device: on it, choose “Link to an existing account” and enter the code it shows here.")
        color: Theme.textSecondary
        wrapMode: Text.Wrap
        Layout.fillWidth: true
        Layout.topMargin: 6
    }
    RowLayout {
        spacing: 8
        Layout.fillWidth: true
        TcTextField {
            id: codeField
            objectName: "linkCodeField"
            placeholderText: "XXXX-XXXX-XXXX-XXXX-XXXX"
            Accessible.name: qsTr("Code shown on the new device")
            font.family: "monospace"
            font.capitalization: Font.AllUppercase
            enabled: !root.devices.busy
            Layout.fillWidth: true
            onAccepted: if (text.length > 0) root.devices.approve(text)
            onTextEdited: if (!root.devices.busy) root.devices.clearStatus()
        }
        TcButton {
            objectName: "approveLinkButton"
            text: root.devices.busy ? qsTr("Linking…") : qsTr("Link device")
            enabled: !root.devices.busy && codeField.text.length > 0
            onClicked: root.devices.approve(codeField.text)
        }
    }
    RowLayout {
        visible: root.devices.status.length > 0
        spacing: 8
        Layout.fillWidth: true
        BusyIndicator {
            visible: root.devices.busy
            running: visible
            implicitWidth: 20
            implicitHeight: 20
        }
        Label {
            objectName: "devicesStatus"
            text: root.devices.status
            color: root.statusColor()
            wrapMode: Text.Wrap
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
            Layout.fillWidth: true
        }
    }
    Connections {
        target: root.devices
        function onStatusChanged() {
            if (root.devices.statusKind === DeviceListModel.Success)
                codeField.clear()
        }
    }

    Dialog {
        id: confirm
        objectName: "revokeConfirm"
        property int deviceId: 0
        property string deviceName
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(400, (parent ? parent.width : 400) - 48)
        modal: true
        padding: 20
        title: qsTr("Revoke this device?")
        background: Rectangle {
            color: Theme.surface
            radius: 12
            border.color: Theme.border
        }
        header: Label {
            text: confirm.title
            color: Theme.text
            font.pixelSize: Theme.titleFontSize
            font.weight: Font.DemiBold
            padding: 20
            bottomPadding: 0
        }
        contentItem: Label {
            text: qsTr("“%1” (device %2) will be signed out and will no longer receive your messages. This cannot be undone.")
                  .arg(confirm.deviceName).arg(confirm.deviceId)
            color: Theme.textSecondary
            wrapMode: Text.Wrap
        }
        footer: Item {
            implicitHeight: buttons.implicitHeight + 40
            RowLayout {
                id: buttons
                anchors.fill: parent
                anchors.margins: 20
                spacing: 8
                Item { Layout.fillWidth: true }
                TcButton {
                    flat: true
                    text: qsTr("Cancel")
                    onClicked: confirm.reject()
                }
                TcButton {
                    objectName: "confirmRevokeButton"
                    text: qsTr("Revoke")
                    Accessible.name: qsTr("Revoke device %1").arg(confirm.deviceId)
                    onClicked: confirm.accept()
                }
            }
        }
        onAccepted: root.devices.revoke(deviceId)
    }
}
