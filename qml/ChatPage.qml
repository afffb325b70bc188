// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// The main window's content: the sidebar and the open conversation.
Rectangle {
    id: root
    readonly property var chat: SessionController.chat
    property alias sidebar: sidebar
    color: Theme.background

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ConversationList {
            id: sidebar
            Layout.preferredWidth: Theme.sidebarWidth
            Layout.fillHeight: true
        }

        ColumnLayout {
            spacing: 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: root.chat.currentConversationId.length > 0

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 60
                color: Theme.background
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 16
                    anchors.rightMargin: 16
                    spacing: 12
                    Avatar {
                        initials: root.chat.currentTitle.length > 0 ? root.chat.currentTitle.substring(0, 1).toUpperCase() : ""
                        key: root.chat.currentConversationId
                        size: 36
                    }
                    ColumnLayout {
                        spacing: 1
                        Layout.fillWidth: true
                        Label {
                            objectName: "conversationTitle"
                            text: root.chat.currentTitle
                            color: Theme.text
                            font.pixelSize: Theme.titleFontSize
                            font.weight: Font.DemiBold
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            visible: root.chat.currentIsGroup
                            text: qsTr("%n member(s)", "", root.chat.currentMemberCount)
                            color: Theme.textSecondary
                            font.pixelSize: Theme.smallFontSize
                        }
                    }
                }
                Rectangle {
                    anchors.bottom: parent.bottom
                    width: parent.width
                    height: 1
                    color: Theme.border
                }
            }
            TimelineView {
                Layout.fillWidth: true
                Layout.fillHeight: true
            }
            Composer {
                id: composer
                Layout.fillWidth: true
            }
        }

        Item {
            visible: root.chat.currentConversationId.length === 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            Label {
                anchors.centerIn: parent
                text: qsTr("Select a conversation to start chatting")
                color: Theme.textSecondary
                font.pixelSize: Theme.titleFontSize
            }
        }
    }
}
