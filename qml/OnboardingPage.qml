// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// First run: a handle, a relay and a passphrase create the encrypted profile
// and register the handle on the relay. If the relay cannot be reached the
// profile stays created and only handle and relay are asked again.
Rectangle {
    id: root
    color: Theme.sidebar
    readonly property var strengthLabels: [qsTr("Too weak"), qsTr("Weak"), qsTr("Fair"), qsTr("Good"), qsTr("Strong")]
    readonly property var strengthColors: [Theme.danger, Theme.danger, Theme.warning, "#7cb342", Theme.live]
    readonly property int strength: PassphraseMeter.score(passphrase.text)
    readonly property bool askPassphrase: !SessionController.profileOpen

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
                onTextChanged: SessionController.clearError()
            }
            Label { text: qsTr("Relay"); color: Theme.text; font.weight: Font.DemiBold }
            TcTextField {
                id: relay
                objectName: "relayField"
                text: AppController.relayUrl.toString()
                Accessible.name: qsTr("Relay address")
                Layout.fillWidth: true
                onAccepted: root.askPassphrase ? passphrase.forceActiveFocus() : root.submit()
                onTextChanged: SessionController.clearError()
            }
            Label { visible: root.askPassphrase; text: qsTr("Passphrase"); color: Theme.text; font.weight: Font.DemiBold }
            TcTextField {
                id: passphrase
                objectName: "passphraseField"
                echoMode: TextInput.Password
                placeholderText: qsTr("A few words you will remember")
                Accessible.name: qsTr("Passphrase")
                visible: root.askPassphrase
                Layout.fillWidth: true
                onAccepted: root.submit()
                // A new attempt: an error about the old text no longer applies.
                onTextChanged: SessionController.clearError()
            }
            RowLayout {
                visible: root.askPassphrase
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
                visible: root.askPassphrase
                text: passphrase.text.length > 0 ? qsTr("Strength: %1").arg(root.strengthLabels[root.strength])
                                                 : qsTr("Use at least 10 characters; a few words work best.")
                color: passphrase.text.length > 0 ? root.strengthColors[root.strength] : Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }
            Label {
                objectName: "onboardingError"
                visible: SessionController.errorText.length > 0
                text: SessionController.errorText
                Accessible.role: Accessible.AlertMessage
                Accessible.name: text
                color: Theme.danger
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            TcButton {
                objectName: "createProfileButton"
                text: SessionController.busy ? (root.askPassphrase ? qsTr("Creating profile…") : qsTr("Registering…"))
                                             : (root.askPassphrase ? qsTr("Create profile") : qsTr("Register"))
                enabled: !SessionController.busy && handle.text.length > 0
                         && (!root.askPassphrase || PassphraseMeter.acceptable(passphrase.text))
                Layout.fillWidth: true
                Layout.topMargin: 8
                onClicked: root.submit()
            }
        }
    }
}
