// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// The sidebar: own handle, connection state, search filter and the conversations.
Rectangle {
    id: root
    property alias searchField: search
    signal searchRequested()
    signal settingsRequested()
    readonly property var chat: SessionController.chat
    color: Theme.sidebar

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 14
            spacing: 10
            Avatar {
                initials: AppController.initials(SessionController.handle)
                key: SessionController.handle
                size: 34
            }
            ColumnLayout {
                spacing: 2
                Layout.fillWidth: true
                Label {
                    text: SessionController.handle
                    color: Theme.text
                    font.pixelSize: Theme.titleFontSize
                    font.weight: Font.DemiBold
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                ConnectionIndicator {
                    objectName: "connectionIndicator"
                }
            }
            ToolButton {
                id: searchButton
                objectName: "searchButton"
                background: Rectangle {
                    radius: 8
                    color: searchButton.hovered || searchButton.visualFocus ? Theme.hover : "transparent"
                }
                text: "🔍"
                font.pixelSize: 15
                Accessible.name: qsTr("Search messages (Ctrl+F)")
                ToolTip.visible: hovered
                ToolTip.text: Accessible.name
                onClicked: root.searchRequested()
            }
            ToolButton {
                id: settingsButton
                objectName: "settingsButton"
                background: Rectangle {
                    radius: 8
                    color: settingsButton.hovered || settingsButton.visualFocus ? Theme.hover : "transparent"
                }
                text: "⚙"
                font.pixelSize: 18
                Accessible.name: qsTr("Settings (Ctrl+,)")
                ToolTip.visible: hovered
                ToolTip.text: Accessible.name
                onClicked: root.settingsRequested()
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            Layout.bottomMargin: 8
            spacing: 8
        TcTextField {
            id: search
            objectName: "conversationFilter"
            placeholderText: qsTr("Search conversations")
            Accessible.name: qsTr("Search conversations")
            Layout.fillWidth: true
            topPadding: 8
            bottomPadding: 8
            onTextChanged: root.chat.conversations.filterText = text
            Keys.onEscapePressed: text = ""
            Keys.onDownPressed: list.forceActiveFocus()
        }
        TcButton {
            id: newChatButton
            objectName: "newChatButton"
            text: "+"
            font.pixelSize: 20
            leftPadding: 0
            rightPadding: 0
            topPadding: 0
            bottomPadding: 0
            Layout.preferredWidth: 36
            Layout.preferredHeight: 36
            Accessible.name: qsTr("New chat")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("New chat (Ctrl+N)")
            onClicked: newChat.open()
        }
        }
        ListView {
            id: list
            objectName: "conversationList"
            model: root.chat.conversations
            clip: true
            Layout.fillWidth: true
            Layout.fillHeight: true
            keyNavigationEnabled: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Conversations")
            ScrollBar.vertical: ScrollBar { }
            delegate: ConversationDelegate {
                width: ListView.view.width
                selected: conversationId === root.chat.currentConversationId
                onActivated: root.chat.openConversation(conversationId)
            }
            Keys.onReturnPressed: root.chat.openConversation(root.chat.conversations.idAt(currentIndex))
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: root.chat.conversations.filterText.length > 0 ? qsTr("No conversation matches.")
                                                                    : qsTr("No conversations yet.")
                color: Theme.textSecondary
            }
        }
    }
    NewChatPopup {
        id: newChat
        objectName: "newChatPopup"
        x: 12
        y: 100
        width: root.width - 24
    }
    Shortcut {
        sequence: "Ctrl+N"
        onActivated: newChat.open()
    }
    Rectangle {
        anchors.right: parent.right
        width: 1
        height: parent.height
        color: Theme.border
    }
}
