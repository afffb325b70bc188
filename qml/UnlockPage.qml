// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// Later starts: the passphrase unlocks the profile (or the one remembered in
// the OS keychain, without asking). A wrong one is reported; nothing here
// can delete or reset anything.
Rectangle {
    id: root
    color: Theme.sidebar

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 400)
        height: form.implicitHeight + 64
        radius: 16
        color: Theme.surface
        border.color: Theme.border

        ColumnLayout {
            id: form
            anchors.fill: parent
            anchors.margins: 32
            spacing: 12

            Rectangle {
                width: 56
                height: 56
                radius: 28
                color: Theme.selection
                Layout.alignment: Qt.AlignHCenter
                Text {
                    anchors.centerIn: parent
                    text: "T"
                    color: Theme.accent
                    font.pixelSize: 28
                    font.weight: Font.Bold
                }
            }
            Label {
                text: qsTr("Unlock TenChat")
                color: Theme.text
                font.pixelSize: 22
                font.weight: Font.DemiBold
                Layout.alignment: Qt.AlignHCenter
            }
            Label {
                text: qsTr("Enter the passphrase of this profile.")
                color: Theme.textSecondary
                Layout.alignment: Qt.AlignHCenter
            }
            TcTextField {
                id: passphrase
                objectName: "unlockField"
                echoMode: TextInput.Password
                placeholderText: qsTr("Passphrase")
                Accessible.name: qsTr("Passphrase")
                enabled: !SessionController.busy
                focus: true
                Layout.fillWidth: true
                Layout.topMargin: 8
                onAccepted: SessionController.unlock(text, remember.checked)
                onTextChanged: SessionController.clearError()
                Component.onCompleted: forceActiveFocus()
            }
            TcCheckBox {
                id: remember
                objectName: "rememberCheck"
                visible: SessionController.rememberAvailable
                checked: SessionController.passphraseRemembered
                text: qsTr("Remember on this device")
                Accessible.name: qsTr("Remember the passphrase in this computer's keychain")
            }
            Label {
                objectName: "unlockError"
                visible: SessionController.errorText.length > 0
                text: SessionController.errorText
                color: Theme.danger
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Accessible.role: Accessible.AlertMessage
                Accessible.name: text
            }
            TcButton {
                objectName: "unlockButton"
                text: SessionController.busy ? qsTr("Unlocking…") : qsTr("Unlock")
                enabled: !SessionController.busy && passphrase.text.length > 0
                Layout.fillWidth: true
                onClicked: SessionController.unlock(passphrase.text, remember.checked)
            }
        }
    }
}
