// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// The sidebar: own handle, connection state, search filter and the conversations.
Rectangle {
    id: root
    property alias searchField: search
    readonly property var chat: SessionController.chat
    readonly property var connectionLabels: [qsTr("Offline"), qsTr("Connecting…"), qsTr("Connected")]
    color: Theme.sidebar

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 14
            spacing: 10
            Avatar {
                initials: SessionController.handle.substring(0, 1).toUpperCase()
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
                    state: AppController.connectionState
                    label: root.connectionLabels[AppController.connectionState]
                }
            }
        }
        TcTextField {
            id: search
            objectName: "conversationFilter"
            placeholderText: qsTr("Search conversations")
            Accessible.name: qsTr("Search conversations")
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            Layout.bottomMargin: 8
            topPadding: 8
            bottomPadding: 8
            onTextChanged: root.chat.conversations.filterText = text
            Keys.onEscapePressed: text = ""
            Keys.onDownPressed: list.forceActiveFocus()
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
    Rectangle {
        anchors.right: parent.right
        width: 1
        height: parent.height
        color: Theme.border
    }
}
