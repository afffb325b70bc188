// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// New direct chat: a handle, looked up on the relay by the engine.
Popup {
    id: root
    readonly property var chat: SessionController.chat
    property string error: ""
    property bool pending: false
    modal: true
    focus: true
    padding: 16
    onOpened: { error = ""; pending = false; handle.text = ""; handle.forceActiveFocus() }
    background: Rectangle {
        color: Theme.surface
        radius: 12
        border.color: Theme.border
    }
    function submit() {
        if (!SessionController.isValidHandle(handle.text.replace(/^@/, "").toLowerCase())) {
            error = qsTr("A handle is 3 to 32 lower-case letters, digits, dots, dashes or underscores.")
            return
        }
        error = ""
        pending = true
        root.chat.startDirectChat(handle.text)
    }
    Connections {
        target: root.chat
        function onCurrentChanged() { if (root.pending) { root.pending = false; root.close() } }
        function onDirectChatFailed(message) { root.pending = false; root.error = message }
    }
    contentItem: ColumnLayout {
        spacing: 10
        Label {
            text: qsTr("New chat")
            color: Theme.text
            font.pixelSize: Theme.titleFontSize
            font.weight: Font.DemiBold
        }
        TcTextField {
            id: handle
            objectName: "newChatHandle"
            placeholderText: qsTr("Their handle, e.g. @bob")
            Accessible.name: qsTr("Handle of the person to chat with")
            Layout.fillWidth: true
            onAccepted: root.submit()
            onTextChanged: root.error = ""
            Keys.onEscapePressed: root.close()
        }
        Label {
            visible: root.error.length > 0
            text: root.error
            color: Theme.danger
            wrapMode: Text.Wrap
            font.pixelSize: Theme.smallFontSize
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.fillWidth: true
            Item { Layout.fillWidth: true }
            TcButton {
                text: qsTr("Cancel")
                flat: true
                Accessible.name: text
                onClicked: root.close()
            }
            TcButton {
                objectName: "newChatStart"
                text: root.pending ? qsTr("Looking up…") : qsTr("Start chat")
                enabled: handle.text.length > 0 && !root.pending
                Accessible.name: qsTr("Start chat")
                onClicked: root.submit()
            }
        }
    }
}
