// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// First run: a handle, a relay and a passphrase create the encrypted profile.
Rectangle {
    id: root
    color: Theme.sidebar
    readonly property var strengthLabels: [qsTr("Too weak"), qsTr("Weak"), qsTr("Fair"), qsTr("Good"), qsTr("Strong")]
    readonly property var strengthColors: [Theme.danger, Theme.danger, Theme.warning, "#7cb342", Theme.live]
    readonly property int strength: PassphraseMeter.score(passphrase.text)

    function submit() {
        SessionController.createProfile(handle.text, relay.text, passphrase.text)
    }

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 440)
        height: form.implicitHeight + 64
        radius: 16
        color: Theme.surface
        border.color: Theme.border

        ColumnLayout {
            id: form
            anchors.fill: parent
            anchors.margins: 32
            spacing: 12

            Label {
                text: qsTr("Welcome to TenChat")
                color: Theme.text
                font.pixelSize: 24
                font.weight: Font.DemiBold
                Layout.fillWidth: true
            }
            Label {
                text: qsTr("Messages are end-to-end encrypted and stored encrypted on this device.")
                color: Theme.textSecondary
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label { text: qsTr("Handle"); color: Theme.text; font.weight: Font.DemiBold; Layout.topMargin: 8 }
            TcTextField {
                id: handle
                objectName: "handleField"
                placeholderText: qsTr("e.g. alice")
                Accessible.name: qsTr("Handle")
                focus: true
                Layout.fillWidth: true
                onAccepted: relay.forceActiveFocus()
            }
            Label { text: qsTr("Relay"); color: Theme.text; font.weight: Font.DemiBold }
            TcTextField {
                id: relay
                objectName: "relayField"
                text: AppController.relayUrl.toString()
                Accessible.name: qsTr("Relay address")
                Layout.fillWidth: true
                onAccepted: passphrase.forceActiveFocus()
            }
            Label { text: qsTr("Passphrase"); color: Theme.text; font.weight: Font.DemiBold }
            TcTextField {
                id: passphrase
                objectName: "passphraseField"
                echoMode: TextInput.Password
                placeholderText: qsTr("A few words you will remember")
                Accessible.name: qsTr("Passphrase")
                Layout.fillWidth: true
                onAccepted: root.submit()
            }
            RowLayout {
                spacing: 4
                Layout.fillWidth: true
                Repeater {
                    model: 4
                    Rectangle {
                        required property int index
                        height: 4
                        radius: 2
                        Layout.fillWidth: true
                        color: index < root.strength ? root.strengthColors[root.strength] : Theme.border
                    }
                }
            }
            Label {
                text: passphrase.text.length > 0 ? qsTr("Strength: %1").arg(root.strengthLabels[root.strength])
                                                 : qsTr("Use at least 10 characters; a few words work best.")
                color: passphrase.text.length > 0 ? root.strengthColors[root.strength] : Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }
            Label {
                visible: SessionController.errorText.length > 0
                text: SessionController.errorText
                color: Theme.danger
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            TcButton {
                text: SessionController.busy ? qsTr("Creating profile…") : qsTr("Create profile")
                enabled: !SessionController.busy && handle.text.length > 0 && PassphraseMeter.acceptable(passphrase.text)
                Layout.fillWidth: true
                Layout.topMargin: 8
                onClicked: root.submit()
            }
        }
    }
}
