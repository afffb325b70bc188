// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// The message composer: multi-line, Enter sends, Shift+Enter adds a line;
// the text is kept as the conversation's draft.
Rectangle {
    id: root
    readonly property var chat: SessionController.chat
    property alias input: input
    implicitHeight: Math.min(200, input.implicitHeight + 24) + 1
    color: Theme.background

    function send() {
        if (root.chat.send(input.text))
            input.clear()
    }

    Connections {
        target: root.chat
        function onDraftChanged() {
            if (input.text !== root.chat.draft)
                input.text = root.chat.draft
        }
    }

    Rectangle {
        width: parent.width
        height: 1
        color: Theme.border
    }
    RowLayout {
        anchors.fill: parent
        anchors.margins: 12
        anchors.topMargin: 13
        spacing: 8

        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            background: Rectangle {
                radius: 20
                color: Theme.surfaceAlt
                border.width: input.activeFocus ? 1 : 0
                border.color: Theme.accent
            }
            TextArea {
                id: input
                objectName: "composerInput"
                placeholderText: qsTr("Write a message…")
                placeholderTextColor: Theme.textSecondary
                color: Theme.text
                selectionColor: Theme.accent
                selectedTextColor: Theme.accentText
                wrapMode: TextEdit.Wrap
                font.pixelSize: Theme.fontSize
                leftPadding: 16
                rightPadding: 16
                topPadding: 10
                bottomPadding: 10
                background: null
                Accessible.name: qsTr("Message")
                onTextChanged: if (text !== root.chat.draft) root.chat.setDraftText(text)
                Keys.onPressed: (event) => {
                    if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                            && !(event.modifiers & Qt.ShiftModifier)) {
                        root.send()
                        event.accepted = true
                    }
                }
            }
        }
        RoundButton {
            id: sendButton
            objectName: "sendButton"
            Layout.preferredWidth: 40
            Layout.preferredHeight: 40
            Layout.alignment: Qt.AlignBottom
            enabled: input.text.trim().length > 0
            text: "➤"
            font.pixelSize: 16
            Accessible.name: qsTr("Send")
            onClicked: root.send()
            background: Rectangle {
                radius: 20
                color: Theme.accent
                opacity: sendButton.enabled ? 1 : 0.4
            }
            contentItem: Text {
                text: sendButton.text
                font: sendButton.font
                color: Theme.accentText
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
        }
    }
}
