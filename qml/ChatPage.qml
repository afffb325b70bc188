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
    property alias contactPage: contactPage
    property alias searchPanel: searchPanel
    property alias settingsPage: settingsPage
    property alias groupInfoPage: groupInfoPage
    color: Theme.background

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ConversationList {
            id: sidebar
            onSearchRequested: searchPanel.open()
            onSettingsRequested: settingsPage.open()
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
                        initials: AppController.initials(root.chat.currentTitle)
                        key: root.chat.currentConversationId
                        size: 36
                        PresenceDot {
                            objectName: "headerPresence"
                            presence: root.chat.currentIsGroup ? ConversationFilterModel.Unknown : root.chat.currentPresence
                            anchors.right: parent.right
                            anchors.bottom: parent.bottom
                            anchors.rightMargin: -2
                            anchors.bottomMargin: -2
                        }
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
                            objectName: "typingIndicator"
                            visible: root.chat.typing.text.length > 0
                            text: root.chat.typing.text
                            color: Theme.accent
                            font.pixelSize: Theme.smallFontSize
                            font.italic: true
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                            Accessible.role: Accessible.StaticText
                            Accessible.name: text
                        }
                        Label {
                            visible: root.chat.currentIsGroup && root.chat.typing.text.length === 0
                            text: qsTr("%n member(s)", "", root.chat.currentMemberCount)
                            color: Theme.textSecondary
                            font.pixelSize: Theme.smallFontSize
                        }
                        Label {
                            visible: !root.chat.currentIsGroup && root.chat.contact.handle.length > 0
                                     && root.chat.typing.text.length === 0
                            text: root.chat.contact.trust === ContactController.Verified
                                  ? qsTr("@%1 · verified").arg(root.chat.contact.handle) : "@" + root.chat.contact.handle
                            color: Theme.textSecondary
                            font.pixelSize: Theme.smallFontSize
                        }
                    }
                    TcButton {
                        objectName: "contactInfoButton"
                        visible: !root.chat.currentIsGroup && root.chat.contact.handle.length > 0
                        flat: true
                        text: qsTr("Safety number")
                        Accessible.name: qsTr("Contact and safety number")
                        onClicked: contactPage.open()
                    }
                    TcIconButton {
                        objectName: "groupInfoButton"
                        visible: root.chat.currentIsGroup
                        iconName: "info"
                        size: 36
                        Accessible.name: qsTr("Group info and members")
                        onClicked: groupInfoPage.open()
                    }
                }
                Rectangle {
                    anchors.bottom: parent.bottom
                    width: parent.width
                    height: 1
                    color: Theme.border
                }
            }
            IdentityBanner {
                Layout.fillWidth: true
                onVerifyRequested: contactPage.open()
            }
            TimelineView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                // Files dropped on the conversation are sent into it.
                DropArea {
                    id: drop
                    objectName: "fileDropArea"
                    anchors.fill: parent
                    keys: ["text/uri-list"]
                    onDropped: (event) => {
                        if (event.hasUrls) {
                            root.chat.media.sendFiles(root.chat.currentConversationId, event.urls)
                            event.acceptProposedAction()
                        }
                    }
                    Rectangle {
                        anchors.fill: parent
                        anchors.margins: 12
                        visible: drop.containsDrag
                        radius: 16
                        color: Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.12)
                        border.color: Theme.accent
                        border.width: 2
                        Label {
                            anchors.centerIn: parent
                            text: qsTr("Drop files to send them")
                            color: Theme.accent
                            font.pixelSize: Theme.titleFontSize
                            font.weight: Font.DemiBold
                        }
                    }
                }
            }
            // Instead of the composer where this account cannot post: a
            // group it was removed from (or left), a channel it reads.
            Rectangle {
                id: groupState
                objectName: "groupStateBanner"
                readonly property var group: root.chat.group
                readonly property bool removed: root.chat.currentIsGroup && group.members.count > 0 && !group.member
                readonly property bool reader: root.chat.currentIsGroup && group.member && group.channel
                                               && group.ownRole < GroupController.Admin
                visible: removed || reader
                color: Theme.surfaceAlt
                implicitHeight: 48
                Layout.fillWidth: true
                Label {
                    anchors.centerIn: parent
                    width: parent.width - 32
                    horizontalAlignment: Text.AlignHCenter
                    text: groupState.removed ? qsTr("You are no longer a member of this group.")
                                             : qsTr("Only owners and admins post in this channel.")
                    color: Theme.textSecondary
                    elide: Text.ElideRight
                    Accessible.role: Accessible.StaticText
                    Accessible.name: text
                }
            }
            ErrorBanner {
                source: root.chat
                Layout.fillWidth: true
            }
            Composer {
                id: composer
                visible: !groupState.visible
                chat: SessionController.chat
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

    SettingsPage {
        id: settingsPage
        objectName: "settingsPage"
    }
    SearchPanel {
        id: searchPanel
        objectName: "searchPanel"
    }
    ContactPage {
        id: contactPage
        objectName: "contactPage"
    }
    GroupInfoPage {
        id: groupInfoPage
        objectName: "groupInfoPage"
    }
}
