// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// The open group's or channel's page: name, kind, disappearing messages,
// members with their roles, and what this account may do (add, remove,
// change roles, leave). Actions run in the engine (GroupController);
// removing and leaving ask first; errors show inline.
Popup {
    id: root
    readonly property var group: SessionController.chat.group
    property string status: ""
    property string pendingRemoval: ""
    modal: true
    focus: true
    padding: 24
    anchors.centerIn: Overlay.overlay
    width: Math.min(500, (Overlay.overlay ? Overlay.overlay.width : 500) - 48)
    background: SheetBackground { }
    onOpened: {
        status = ""
        addField.text = ""
        root.group.clearError()
        root.group.reload()
        closeButton.forceActiveFocus()
    }
    Connections {
        target: root.group
        function onActionDone(message) { root.status = message }
        function onLeft() { root.close() }
    }

    contentItem: Item {
        implicitHeight: column.implicitHeight
        implicitWidth: column.implicitWidth
        ColumnLayout {
            id: column
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: 12
            RowLayout {
                spacing: 14
                Layout.fillWidth: true
                Layout.rightMargin: 30
                Avatar {
                    initials: AppController.initials(root.group.title)
                    key: root.group.conversationId
                    size: 56
                }
                ColumnLayout {
                    spacing: 2
                    Layout.fillWidth: true
                    Label {
                        objectName: "groupTitle"
                        text: root.group.title
                        color: Theme.text
                        font.pixelSize: Theme.titleFontSize + 4
                        font.weight: Font.DemiBold
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        text: (root.group.channel ? qsTr("Channel") : qsTr("Group")) + " · "
                              + (root.group.members.count === 1 ? qsTr("1 member")
                                                                  : qsTr("%1 members").arg(root.group.members.count))
                        color: Theme.textSecondary
                        font.pixelSize: Theme.smallFontSize + 1
                    }
                    Label {
                        text: root.group.member ? qsTr("Your role: %1").arg(root.group.ownRoleLabel)
                                                : qsTr("You are no longer a member.")
                        color: root.group.member ? Theme.textSecondary : Theme.danger
                        font.pixelSize: Theme.smallFontSize
                    }
                }
            }
            Rectangle {
                objectName: "groupTtl"
                radius: Theme.radius
                color: Theme.surfaceAlt
                Layout.fillWidth: true
                implicitHeight: ttlColumn.implicitHeight + 20
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Disappearing messages: %1").arg(root.group.ttlText)
                ColumnLayout {
                    id: ttlColumn
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    anchors.leftMargin: 14
                    anchors.rightMargin: 14
                    spacing: 2
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            text: qsTr("Disappearing messages")
                            color: Theme.text
                            Layout.fillWidth: true
                        }
                        Label {
                            text: root.group.ttlText
                            color: root.group.ttlSeconds > 0 ? Theme.accent : Theme.textSecondary
                            font.weight: Font.DemiBold
                        }
                    }
                    Label {
                        text: root.group.ttlSeconds > 0
                              ? qsTr("Messages are deleted on every device after this time. Set when the group was created.")
                              : qsTr("Messages stay until deleted. Set when the group was created.")
                        color: Theme.textSecondary
                        font.pixelSize: Theme.smallFontSize
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                }
            }
            RowLayout {
                visible: root.group.canAddMembers
                spacing: 8
                Layout.fillWidth: true
                TcTextField {
                    id: addField
                    objectName: "groupAddHandle"
                    placeholderText: qsTr("Add a member by handle, e.g. @dave")
                    Accessible.name: qsTr("Handle of the member to add")
                    enabled: !root.group.busy
                    Layout.fillWidth: true
                    onAccepted: if (root.group.addMember(text)) text = ""
                    onTextChanged: if (text.length > 0) { root.group.clearError(); root.status = "" }
                    Keys.onEscapePressed: root.close()
                }
                TcButton {
                    objectName: "groupAddButton"
                    text: qsTr("Add")
                    enabled: addField.text.trim().length > 0 && !root.group.busy
                    Accessible.name: qsTr("Add member")
                    onClicked: if (root.group.addMember(addField.text)) addField.text = ""
                }
            }
            Label {
                objectName: "groupError"
                visible: root.group.error.length > 0 || root.status.length > 0 || root.group.busy
                text: root.group.error.length > 0 ? root.group.error
                    : root.group.busy ? qsTr("Working…") : root.status
                color: root.group.error.length > 0 ? Theme.danger : Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                text: qsTr("Members")
                color: Theme.accent
                font.pixelSize: Theme.smallFontSize
                font.weight: Font.Bold
                font.capitalization: Font.AllUppercase
            }
            ListView {
                id: memberList
                objectName: "groupMembers"
                model: root.group.members
                clip: true
                spacing: 2
                keyNavigationEnabled: true
                activeFocusOnTab: true
                boundsBehavior: Flickable.StopAtBounds
                Layout.fillWidth: true
                Layout.preferredHeight: Math.max(58 * 2, Math.min(contentHeight, 58 * 5,
                                                              (Overlay.overlay ? Overlay.overlay.height : 720) - 440))
                Accessible.role: Accessible.List
                Accessible.name: qsTr("Members")
                ScrollBar.vertical: ScrollBar { }
                delegate: GroupMemberDelegate {
                    width: ListView.view.width
                    channel: root.group.channel
                    onRoleRequested: (userId, role) => { root.status = ""; root.group.setRole(userId, role) }
                    onRemoveRequested: (userId, name) => {
                        root.pendingRemoval = userId
                        confirmRemove.text = root.group.channel
                            ? qsTr("%1 will no longer receive new posts of this channel.").arg(name)
                            : qsTr("%1 will no longer receive new messages of this group. Messages already sent stay on their devices.").arg(name)
                        confirmRemove.open()
                    }
                }
            }
            TcButton {
                objectName: "groupLeave"
                visible: root.group.member
                flat: true
                danger: true
                text: root.group.channel ? qsTr("Leave channel…") : qsTr("Leave group…")
                enabled: !root.group.busy
                Layout.alignment: Qt.AlignLeft
                onClicked: confirmLeave.open()
            }
        }
        TcIconButton {
            id: closeButton
            objectName: "groupInfoClose"
            anchors.top: parent.top
            anchors.right: parent.right
            anchors.topMargin: -10
            anchors.rightMargin: -10
            iconName: "close"
            Accessible.name: qsTr("Close")
            onClicked: root.close()
        }
    }

    ConfirmDialog {
        id: confirmRemove
        objectName: "confirmRemoveMember"
        title: root.group.channel ? qsTr("Remove from the channel?") : qsTr("Remove from the group?")
        confirmText: qsTr("Remove")
        onConfirmed: root.group.removeMember(root.pendingRemoval)
    }
    ConfirmDialog {
        id: confirmLeave
        objectName: "confirmLeaveGroup"
        title: qsTr("Leave “%1”?").arg(root.group.title)
        text: qsTr("You will no longer receive its messages. Someone has to add you again to come back.")
        confirmText: qsTr("Leave")
        onConfirmed: root.group.leave()
    }
}
