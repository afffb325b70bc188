// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// One member on the group info page: avatar, name, role badge, and a menu
// of what this account may do to it (change the role, remove). The menu
// opens from its button, by right-click, or with the Menu key.
ItemDelegate {
    id: root
    required property string userId
    required property string name
    required property string handle
    required property string initials
    required property int memberRole
    required property string roleLabel
    required property bool isSelf
    required property bool canRemove
    required property bool canChangeRole
    property bool channel: false
    signal roleRequested(string userId, int role)
    signal removeRequested(string userId, string name)

    readonly property bool hasActions: canRemove || canChangeRole
    height: 56
    padding: 0
    focusPolicy: Qt.StrongFocus
    Accessible.role: Accessible.ListItem
    Accessible.name: isSelf ? qsTr("%1 (you), %2").arg(name).arg(roleLabel) : qsTr("%1, %2").arg(name).arg(roleLabel)
    background: Rectangle {
        color: root.hovered || root.visualFocus ? Theme.hover : "transparent"
        radius: 8
    }
    function openMenu() { if (root.hasActions) menu.popup(actions, 0, actions.height) }
    onClicked: openMenu()
    Keys.onMenuPressed: openMenu()
    Keys.onPressed: (event) => {
        if (event.key === Qt.Key_F10 && (event.modifiers & Qt.ShiftModifier)) {
            openMenu()
            event.accepted = true
        }
    }

    TapHandler {
        acceptedButtons: Qt.RightButton
        onTapped: root.openMenu()
    }

    contentItem: RowLayout {
        spacing: 12
        Avatar {
            initials: root.initials
            key: root.handle.length > 0 ? root.handle : root.userId
            size: 36
            Layout.leftMargin: 8
        }
        ColumnLayout {
            spacing: 1
            Layout.fillWidth: true
            Label {
                text: root.isSelf ? qsTr("%1 (you)").arg(root.name) : root.name
                color: Theme.text
                font.pixelSize: Theme.fontSize
                font.weight: Font.DemiBold
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                visible: root.handle.length > 0 && root.handle !== root.name
                text: "@" + root.handle
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
        }
        Rectangle {
            objectName: "roleBadge"
            radius: height / 2
            color: root.memberRole >= GroupController.Admin ? Theme.selection : Theme.surfaceAlt
            implicitWidth: badge.implicitWidth + 16
            implicitHeight: badge.implicitHeight + 6
            Label {
                id: badge
                anchors.centerIn: parent
                text: root.roleLabel
                color: root.memberRole >= GroupController.Admin ? Theme.accent : Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
                font.weight: Font.DemiBold
            }
        }
        TcIconButton {
            id: actions
            objectName: "memberActions"
            iconName: "more"
            opacity: root.hasActions ? 1 : 0
            enabled: root.hasActions
            Accessible.name: qsTr("Actions for %1").arg(root.name)
            Layout.rightMargin: 4
            onClicked: root.openMenu()
        }
    }

    TcMenu {
        id: menu
        TcMenuItem {
            objectName: "memberMakeAdmin"
            visible: root.canChangeRole && root.memberRole !== GroupController.Admin
            text: root.channel ? qsTr("Make admin (can post)") : qsTr("Make admin")
            onTriggered: root.roleRequested(root.userId, GroupController.Admin)
        }
        TcMenuItem {
            objectName: "memberMakeMember"
            visible: root.canChangeRole && root.memberRole !== GroupController.Member
            text: root.channel ? qsTr("Make reader") : qsTr("Make member")
            onTriggered: root.roleRequested(root.userId, GroupController.Member)
        }
        TcMenuItem {
            objectName: "memberMakeOwner"
            visible: root.canChangeRole && root.memberRole !== GroupController.Owner
            text: qsTr("Make owner")
            onTriggered: root.roleRequested(root.userId, GroupController.Owner)
        }
        TcMenuItem {
            objectName: "memberRemove"
            visible: root.canRemove
            danger: true
            text: root.channel ? qsTr("Remove from channel…") : qsTr("Remove from group…")
            onTriggered: root.removeRequested(root.userId, root.name)
        }
    }
}
