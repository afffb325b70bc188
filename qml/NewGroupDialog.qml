// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// New group or channel: a name, members by handle (checked as they are
// added), channel or group, disappearing messages. The engine creates it
// (NewGroupController); errors show inline, the new conversation opens.
Popup {
    id: root
    readonly property var model: SessionController.chat.newGroup
    modal: true
    focus: true
    padding: 24
    anchors.centerIn: Overlay.overlay
    width: Math.min(500, (Overlay.overlay ? Overlay.overlay.width : 500) - 48)
    background: SheetBackground { }
    onOpened: {
        root.model.reset()
        nameField.text = ""
        handleField.text = ""
        nameField.forceActiveFocus()
    }
    function addHandle() {
        if (root.model.addHandle(handleField.text))
            handleField.text = ""
    }
    function create() {
        // A handle typed but not added yet is taken along.
        if (handleField.text.trim().length > 0 && !root.model.addHandle(handleField.text))
            return
        handleField.text = ""
        root.model.create()
    }
    Connections {
        target: root.model
        function onCreated() { root.close() }
    }

    component FieldLabel: Label {
        color: Theme.textSecondary
        font.pixelSize: Theme.smallFontSize
        font.weight: Font.DemiBold
    }

    contentItem: Item {
        implicitHeight: column.implicitHeight
        implicitWidth: column.implicitWidth
        ColumnLayout {
            id: column
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: 8
            Label {
                text: root.model.channel ? qsTr("New channel") : qsTr("New group")
                color: Theme.text
                font.pixelSize: 20
                font.weight: Font.DemiBold
                Layout.rightMargin: 36
                Layout.bottomMargin: 6
            }
            FieldLabel { text: qsTr("Name") }
            TcTextField {
                id: nameField
                objectName: "newGroupName"
                placeholderText: root.model.channel ? qsTr("e.g. Release notes") : qsTr("e.g. Design team")
                Accessible.name: root.model.channel ? qsTr("Channel name") : qsTr("Group name")
                maximumLength: 64
                Layout.fillWidth: true
                onTextChanged: root.model.name = text
                onAccepted: handleField.forceActiveFocus()
                Keys.onEscapePressed: root.close()
            }
            FieldLabel {
                text: qsTr("Members")
                Layout.topMargin: 6
            }
            RowLayout {
                spacing: 8
                Layout.fillWidth: true
                TcTextField {
                    id: handleField
                    objectName: "newGroupHandle"
                    placeholderText: qsTr("Add by handle, e.g. @bob")
                    Accessible.name: qsTr("Handle of a member to add")
                    Layout.fillWidth: true
                    onAccepted: root.addHandle()
                    Keys.onEscapePressed: root.close()
                }
                TcButton {
                    objectName: "newGroupAdd"
                    text: qsTr("Add")
                    flat: true
                    enabled: handleField.text.trim().length > 0
                    Accessible.name: qsTr("Add member")
                    onClicked: { root.addHandle(); handleField.forceActiveFocus() }
                }
            }
            Label {
                objectName: "newGroupHandleError"
                visible: root.model.handleError.length > 0
                text: root.model.handleError
                color: Theme.danger
                font.pixelSize: Theme.smallFontSize
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Flow {
                objectName: "newGroupMembers"
                visible: root.model.handles.length > 0
                spacing: 6
                Layout.fillWidth: true
                Repeater {
                    model: root.model.handles
                    MemberChip {
                        required property string modelData
                        handle: modelData
                        rejected: modelData === root.model.rejectedHandle
                        onRemoveRequested: root.model.removeHandle(modelData)
                    }
                }
            }
            Label {
                visible: root.model.handles.length === 0
                text: qsTr("You can also add members later.")
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
            }
            TcSwitch {
                objectName: "newGroupChannel"
                text: qsTr("Channel")
                detail: qsTr("Only owners and admins post; everyone else reads.")
                checked: root.model.channel
                onToggled: {
                    root.model.channel = checked
                    checked = Qt.binding(() => root.model.channel)
                }
                Layout.topMargin: 6
            }
            FieldLabel {
                text: qsTr("Disappearing messages")
                Layout.topMargin: 6
            }
            RowLayout {
                spacing: 6
                Layout.fillWidth: true
                Repeater {
                    model: root.model.ttlChoices
                    TcChoiceButton {
                        required property var modelData
                        required property int index
                        objectName: "newGroupTtl" + index
                        text: modelData.label
                        selected: root.model.ttlSeconds === modelData.seconds
                        Accessible.name: qsTr("Disappearing messages: %1").arg(modelData.label)
                        onClicked: root.model.ttlSeconds = modelData.seconds
                    }
                }
            }
            Label {
                objectName: "newGroupError"
                visible: root.model.error.length > 0
                text: root.model.error
                color: Theme.danger
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Layout.topMargin: 4
            }
            RowLayout {
                Layout.fillWidth: true
                Layout.topMargin: 10
                spacing: 8
                Item { Layout.fillWidth: true }
                TcButton {
                    text: qsTr("Cancel")
                    flat: true
                    onClicked: root.close()
                }
                TcButton {
                    objectName: "newGroupCreate"
                    text: root.model.busy ? qsTr("Creating…")
                        : root.model.channel ? qsTr("Create channel") : qsTr("Create group")
                    enabled: root.model.canCreate
                    Accessible.name: root.model.channel ? qsTr("Create channel") : qsTr("Create group")
                    onClicked: root.create()
                }
            }
        }
        TcIconButton {
            objectName: "newGroupClose"
            anchors.top: parent.top
            anchors.right: parent.right
            anchors.topMargin: -10
            anchors.rightMargin: -10
            iconName: "close"
            Accessible.name: qsTr("Close")
            onClicked: root.close()
        }
    }
}
