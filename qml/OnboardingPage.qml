// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// First run. "Create a new account": a handle, a relay and a passphrase
// create the encrypted profile and register the handle on the relay (if the
// relay cannot be reached the profile stays created and only handle and
// relay are asked again). "Link to an existing account": the same fields
// create the local profile, then the one-time code is shown until a device
// of the account approves it (LinkPanel).
Rectangle {
    id: root
    color: Theme.sidebar
    readonly property var strengthLabels: [qsTr("Too weak"), qsTr("Weak"), qsTr("Fair"), qsTr("Good"), qsTr("Strong")]
    readonly property var strengthColors: [Theme.danger, Theme.danger, Theme.warning, "#7cb342", Theme.live]
    readonly property int strength: PassphraseMeter.score(passphrase.text)
    readonly property bool askPassphrase: !SessionController.profileOpen
    // false: create a new account; true: link this device to an existing one.
    property bool linkMode: false

    // One of the two ways in; the chosen one is filled.
    component ModeButton: TcButton {
        required property bool link
        readonly property bool selected: root.linkMode === link
        flat: !selected
        font.pixelSize: Theme.smallFontSize
        leftPadding: 8
        rightPadding: 8
        Layout.fillWidth: true
        Layout.preferredWidth: 1
        Accessible.role: Accessible.PageTab
        Accessible.checkable: true
        Accessible.checked: selected
        onClicked: {
            root.linkMode = link
            SessionController.clearError()
        }
    }

    function submit() {
        if (root.linkMode)
            SessionController.linkToAccount(handle.text, relay.text, passphrase.text, remember.checked)
        else
            SessionController.createProfile(handle.text, relay.text, passphrase.text, remember.checked)
    }

    Flickable {
        anchors.fill: parent
        contentWidth: width
        contentHeight: Math.max(height, card.height + 48)
        boundsBehavior: Flickable.StopAtBounds
        clip: true
        ScrollBar.vertical: ScrollBar { }

        Rectangle {
            id: card
            anchors.centerIn: parent
            width: Math.min(parent.width - 48, 460)
            height: (SessionController.linking ? linkPanel.implicitHeight : form.implicitHeight) + 64
            radius: 16
            color: Theme.surface
            border.color: Theme.border

            LinkPanel {
                id: linkPanel
                objectName: "linkPanel"
                visible: SessionController.linking
                anchors.fill: parent
                anchors.margins: 32
                handle: SessionController.linkHandle
                codeGroups: SessionController.linkCodeGroups
                onCancelled: SessionController.cancelLink()
            }

            ColumnLayout {
                id: form
                visible: !SessionController.linking
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
                // Two ways in: a new account, or this device joins an existing one.
                RowLayout {
                    spacing: 0
                    Layout.fillWidth: true
                    Layout.topMargin: 4
                    ModeButton {
                        objectName: "createModeButton"
                        link: false
                        text: qsTr("Create a new account")
                    }
                    ModeButton {
                        objectName: "linkModeButton"
                        link: true
                        text: qsTr("Link to an existing account")
                    }
                }
                Label {
                    text: root.linkMode
                          ? qsTr("Use TenChat here with an account you already have. A device of that account approves this one with a one-time code.")
                          : qsTr("Choose a handle others can find you by.")
                    color: Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                Label {
                    text: root.linkMode ? qsTr("Your handle") : qsTr("Handle")
                    color: Theme.text
                    font.weight: Font.DemiBold
                    Layout.topMargin: 4
                }
                TcTextField {
                    id: handle
                    objectName: "handleField"
                    placeholderText: qsTr("e.g. alice")
                    Accessible.name: root.linkMode ? qsTr("Handle of your account") : qsTr("Handle")
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
                Label {
                    visible: root.askPassphrase
                    text: root.linkMode ? qsTr("Passphrase for this device") : qsTr("Passphrase")
                    color: Theme.text
                    font.weight: Font.DemiBold
                }
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
                TcCheckBox {
                    id: remember
                    objectName: "rememberCheck"
                    visible: root.askPassphrase && SessionController.rememberAvailable
                    text: qsTr("Remember on this device")
                    Accessible.name: qsTr("Remember the passphrase in this computer's keychain")
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
                    text: root.linkMode ? (SessionController.busy ? qsTr("Preparing…") : qsTr("Link this device"))
                          : SessionController.busy ? (root.askPassphrase ? qsTr("Creating profile…") : qsTr("Registering…"))
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
}
