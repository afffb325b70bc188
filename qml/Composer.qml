// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import TenChat.Ui

// The message composer: multi-line, Enter sends, Shift+Enter adds a line;
// the text is kept as the conversation's draft. Replying or editing shows a
// bar above the field (Esc cancels).
Rectangle {
    id: root
    // The ChatController (or a test's stand-in with the same members).
    required property var chat
    property alias input: input
    readonly property bool modeActive: root.chat.replyToId.length > 0 || root.chat.editingId.length > 0
    implicitHeight: Math.min(200, input.implicitHeight + 24) + 1 + (modeActive ? modeBar.height : 0)
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

    // Slash commands of the running plugins: suggestions while typing "/na",
    // or the hint after a command no plugin takes.
    readonly property var plugins: root.chat.plugins
    readonly property var suggestions: input.text.startsWith("/") && input.text.indexOf(" ") < 0
                                       && plugins.commandNames.length >= 0 ? plugins.commandSuggestions(input.text) : []
    Popup {
        id: commandPopup
        objectName: "commandPopup"
        visible: root.suggestions.length > 0 || root.plugins.commandHint.length > 0
        y: -height - 4
        x: 12
        width: Math.min(root.width - 24, 520)
        padding: 8
        focus: false
        closePolicy: Popup.NoAutoClose
        background: Rectangle { color: Theme.surface; border.color: Theme.border; radius: Theme.radius }
        contentItem: ColumnLayout {
            spacing: 2
            Label {
                textFormat: Text.PlainText
                objectName: "commandHint"
                visible: root.plugins.commandHint.length > 0
                text: root.plugins.commandHint
                color: Theme.danger
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Repeater {
                model: root.plugins.commandHint.length > 0 ? [] : root.suggestions
                delegate: ItemDelegate {
                    required property var modelData
                    Layout.fillWidth: true
                    padding: 6
                    Accessible.name: qsTr("Command %1: %2").arg(modelData.command).arg(modelData.description)
                    onClicked: { input.text = modelData.command + " "; input.cursorPosition = input.length; input.forceActiveFocus() }
                    contentItem: RowLayout {
                        spacing: 10
                        Label {
                            text: modelData.command
                            textFormat: Text.PlainText
                            color: Theme.text
                            font.weight: Font.DemiBold
                        }
                        Label {
                            text: modelData.description
                            textFormat: Text.PlainText
                            color: Theme.textSecondary
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                    }
                }
            }
        }
    }

    Rectangle {
        width: parent.width
        height: 1
        color: Theme.border
    }
    Rectangle {
        id: modeBar
        objectName: "composeModeBar"
        visible: root.modeActive
        y: 1
        width: parent.width
        height: 44
        color: Theme.surfaceAlt
        Rectangle { x: 16; y: 8; width: 3; height: parent.height - 16; radius: 1.5; color: Theme.accent }
        ColumnLayout {
            anchors.left: parent.left
            anchors.right: cancelMode.left
            anchors.leftMargin: 28
            anchors.verticalCenter: parent.verticalCenter
            spacing: 0
            Label {
                textFormat: Text.PlainText
                text: root.chat.editingId.length > 0 ? qsTr("Edit message") : qsTr("Reply")
                color: Theme.accent
                font.pixelSize: Theme.smallFontSize
                font.weight: Font.DemiBold
            }
            Label {
                textFormat: Text.PlainText
                text: root.chat.composeQuote
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
                elide: Text.ElideRight
                maximumLineCount: 1
                Layout.fillWidth: true
            }
        }
        TcIconButton {
            id: cancelMode
            anchors.right: parent.right
            anchors.rightMargin: 12
            anchors.verticalCenter: parent.verticalCenter
            iconName: "close"
            size: 28
            Accessible.name: qsTr("Cancel reply or edit")
            onClicked: { if (root.chat.editingId.length > 0) input.clear(); root.chat.cancelComposeMode() }
        }
    }
    RowLayout {
        anchors.fill: parent
        anchors.margins: 12
        anchors.topMargin: 13 + (root.modeActive ? modeBar.height : 0)
        spacing: 8

        // Attach files (also: drop them on the chat, or paste an image).
        RoundButton {
            id: attachButton
            objectName: "attachButton"
            Layout.preferredWidth: 40
            Layout.preferredHeight: 40
            Layout.alignment: Qt.AlignBottom
            flat: true
            text: "📎"
            font.pixelSize: 18
            Accessible.name: qsTr("Attach files")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Attach files (or drop them here, or paste an image)")
            onClicked: attachDialog.open()
        }
        FileDialog {
            id: attachDialog
            title: qsTr("Send files")
            fileMode: FileDialog.OpenFiles
            onAccepted: root.chat.media.sendFiles(root.chat.currentConversationId, selectedFiles)
        }

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
                onTextChanged: {
                    if (text !== root.chat.draft)
                        root.chat.setDraftText(text)
                    if (root.plugins.commandHint.length > 0)
                        root.plugins.clearCommandHint()
                    if (activeFocus)
                        root.chat.typing.composerEdited(text)
                }
                Keys.onEscapePressed: (event) => {
                    if (root.modeActive) {
                        if (root.chat.editingId.length > 0) input.clear()
                        root.chat.cancelComposeMode()
                    } else {
                        event.accepted = false
                    }
                }
                Keys.onPressed: (event) => {
                    // An image or files on the clipboard are sent as files; text pastes as usual.
                    if (event.matches(StandardKey.Paste)
                            && root.chat.media.pasteFromClipboard(root.chat.currentConversationId)) {
                        event.accepted = true
                    } else if (event.key === Qt.Key_Tab && root.suggestions.length > 0) {
                        input.text = root.suggestions[0].command + " "
                        input.cursorPosition = input.length
                        event.accepted = true
                    } else if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
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
                color: sendButton.enabled ? Theme.accent : Theme.disabledFill
            }
            contentItem: Text {
                text: sendButton.text
                font: sendButton.font
                color: sendButton.enabled ? Theme.accentText : Theme.disabledText
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
        }
    }
}
