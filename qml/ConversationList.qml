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
        TcIconButton {
            objectName: "newGroupButton"
            iconName: "group"
            size: 36
            iconColor: Theme.text
            Accessible.name: qsTr("New group or channel (Ctrl+Shift+N)")
            onClicked: newGroup.open()
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
                id: row
                width: ListView.view.width
                selected: conversationId === root.chat.currentConversationId
                onActivated: root.chat.openConversation(conversationId)
                onMenuRequested: (x, y) => conversationMenu.openFor(conversationId, title, pinned, muted, row, x, y)
            }
            Keys.onReturnPressed: root.chat.openConversation(root.chat.conversations.idAt(currentIndex))
            // The keyboard way to the conversation menu: the Menu key or Shift+F10.
            function openMenuForCurrent() {
                const item = currentItem
                if (item)
                    conversationMenu.openFor(item.conversationId, item.title, item.pinned, item.muted, item, 48, item.height / 2)
            }
            Keys.onMenuPressed: openMenuForCurrent()
            Keys.onPressed: (event) => {
                if (event.key === Qt.Key_F10 && (event.modifiers & Qt.ShiftModifier)) {
                    openMenuForCurrent()
                    event.accepted = true
                }
            }
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
    NewGroupDialog {
        id: newGroup
        objectName: "newGroupDialog"
    }
    Shortcut {
        sequence: "Ctrl+Shift+N"
        onActivated: newGroup.open()
    }
    ConversationMenu {
        id: conversationMenu
        objectName: "conversationMenu"
        onDeleteRequested: (id, title) => {
            confirmDelete.conversationId = id
            confirmDelete.title = qsTr("Delete “%1” from this device?").arg(title)
            confirmDelete.open()
        }
    }
    ConfirmDialog {
        id: confirmDelete
        objectName: "confirmDeleteConversation"
        property string conversationId: ""
        text: qsTr("Its messages are removed from this device only; the other members keep theirs. New messages bring the conversation back.")
        confirmText: qsTr("Delete")
        onConfirmed: root.chat.deleteLocally(conversationId)
    }
    Rectangle {
        anchors.right: parent.right
        width: 1
        height: parent.height
        color: Theme.border
    }
}
