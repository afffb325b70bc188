// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// One row of the conversation list: avatar, title, time, preview, badges.
Rectangle {
    id: root
    required property string conversationId
    required property string title
    required property string preview
    required property string previewSender
    required property string previewSenderName
    required property string timeText
    required property string initials
    required property int unreadCount
    required property bool muted
    required property bool pinned
    required property int conversationType
    required property int presence
    property bool selected: false
    signal activated()
    // Right-click: the conversation menu at this point of the row.
    signal menuRequested(real x, real y)

    height: 68
    color: selected ? Theme.selection : mouse.containsMouse ? Theme.hover : "transparent"
    Accessible.role: Accessible.ListItem
    Accessible.name: (unreadCount > 0 ? qsTr("%1, %n unread", "", unreadCount).arg(title) : title)
                     + (pinned ? qsTr(", pinned") : "") + (muted ? qsTr(", muted") : "")
    Accessible.onPressAction: activated()

    MouseArea {
        id: mouse
        anchors.fill: parent
        hoverEnabled: true
        acceptedButtons: Qt.LeftButton | Qt.RightButton
        onClicked: (mouse) => {
            if (mouse.button === Qt.RightButton)
                root.menuRequested(mouse.x, mouse.y)
            else
                root.activated()
        }
    }
    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 12
        Avatar {
            initials: root.initials
            key: root.conversationId
            size: 46
            PresenceDot {
                objectName: "presenceDot"
                presence: root.conversationType === 0 ? root.presence : ConversationFilterModel.Unknown
                ring: root.color.a > 0 ? root.color : Theme.sidebar
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.rightMargin: -1
                anchors.bottomMargin: -1
            }
        }
        ColumnLayout {
            spacing: 3
            Layout.fillWidth: true
            RowLayout {
                spacing: 6
                Layout.fillWidth: true
                Label {
                    text: root.title
                    color: Theme.text
                    font.pixelSize: Theme.fontSize + 1
                    font.weight: Font.DemiBold
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                TcIcon {
                    objectName: "mutedIcon"
                    visible: root.muted
                    iconName: "muted"
                    size: 14
                    Accessible.role: Accessible.Graphic
                    Accessible.name: qsTr("Muted")
                }
                Label {
                    text: root.timeText
                    color: root.unreadCount > 0 && !root.muted ? Theme.accent : Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize
                }
            }
            RowLayout {
                spacing: 6
                Layout.fillWidth: true
                Label {
                    text: root.preview.length === 0 ? qsTr("No messages yet")
                          : (root.conversationType !== 0 || root.previewSenderName === qsTr("You"))
                            && root.previewSenderName.length > 0
                            ? qsTr("%1: %2").arg(root.previewSenderName).arg(root.preview) : root.preview
                    color: Theme.textSecondary
                    font.pixelSize: Theme.fontSize - 1
                    elide: Text.ElideRight
                    maximumLineCount: 1
                    Layout.fillWidth: true
                }
                TcIcon {
                    objectName: "pinnedIcon"
                    visible: root.pinned
                    iconName: "pin"
                    size: 14
                    Accessible.role: Accessible.Graphic
                    Accessible.name: qsTr("Pinned")
                }
                Rectangle {
                    objectName: "unreadBadge"
                    visible: root.unreadCount > 0
                    height: 20
                    width: Math.max(20, badge.implicitWidth + 12)
                    radius: 10
                    color: root.muted ? Theme.offline : Theme.accent
                    Text {
                        id: badge
                        objectName: "unreadBadgeText"
                        anchors.centerIn: parent
                        text: root.unreadCount > 99 ? "99+" : root.unreadCount
                        color: Theme.accentText
                        font.pixelSize: Theme.smallFontSize - 1
                        font.weight: Font.Bold
                    }
                }
            }
        }
    }
}
