// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// Search across all conversations (Ctrl+F): results with highlighted
// snippets; Enter or a click opens the message in its conversation.
Popup {
    id: root
    readonly property var chat: SessionController.chat
    readonly property var results: chat.search
    property alias field: field
    modal: true
    focus: true
    padding: 0
    x: Math.round((parent.width - width) / 2)
    y: 56
    width: Math.min(620, parent.width - 48)
    height: Math.min(parent.height - 96, 520)
    onOpened: { field.forceActiveFocus(); field.selectAll() }
    background: Rectangle {
        color: Theme.surface
        radius: 14
        border.color: Theme.border
    }

    function openAt(row) {
        if (row < 0 || row >= results.count)
            return
        const index = results.index(row, 0)
        root.chat.openMessage(results.data(index, SearchModel.ConversationIdRole),
                              results.data(index, SearchModel.MessageIdRole))
        root.close()
    }

    contentItem: ColumnLayout {
        spacing: 0
        TcTextField {
            id: field
            objectName: "searchField"
            placeholderText: qsTr("Search all messages")
            Accessible.name: qsTr("Search all messages")
            Layout.fillWidth: true
            Layout.margins: 12
            onTextChanged: root.results.query = text
            Keys.onDownPressed: list.incrementCurrentIndex()
            Keys.onUpPressed: list.decrementCurrentIndex()
            onAccepted: root.openAt(Math.max(0, list.currentIndex))
            Keys.onEscapePressed: root.close()
        }
        Rectangle { height: 1; color: Theme.border; Layout.fillWidth: true }
        ListView {
            id: list
            objectName: "searchResults"
            model: root.results
            clip: true
            Layout.fillWidth: true
            Layout.fillHeight: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Search results")
            ScrollBar.vertical: ScrollBar { }
            highlightMoveDuration: 0
            delegate: ItemDelegate {
                id: hit
                required property int index
                required property string conversationTitle
                required property string snippetHtml
                required property string timeText
                width: ListView.view.width
                highlighted: ListView.isCurrentItem
                Accessible.name: conversationTitle + ": " + snippetText.text
                onClicked: root.openAt(index)
                background: Rectangle {
                    color: hit.highlighted ? Theme.selection : hit.hovered ? Theme.hover : "transparent"
                }
                contentItem: ColumnLayout {
                    spacing: 2
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            text: hit.conversationTitle
                            color: Theme.text
                            font.weight: Font.DemiBold
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            text: hit.timeText
                            color: Theme.textSecondary
                            font.pixelSize: Theme.smallFontSize
                        }
                    }
                    Label {
                        id: snippetText
                        text: hit.snippetHtml
                        textFormat: Text.StyledText
                        color: Theme.textSecondary
                        elide: Text.ElideRight
                        maximumLineCount: 2
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                }
            }
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: field.text.trim().length === 0 ? qsTr("Type to search every conversation on this device.")
                      : root.results.searching ? qsTr("Searching…") : qsTr("No messages found.")
                color: Theme.textSecondary
            }
        }
    }
}
