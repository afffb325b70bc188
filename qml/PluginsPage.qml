// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import TenChat.Ui

// The plugins page: installed plugins (PluginDelegate), install from a .zip
// or a folder with a review of what the package asks for, removal after a
// confirmation. The PluginsController does the work.
Popup {
    id: root
    readonly property var controller: SessionController.chat.plugins
    modal: true
    focus: true
    padding: 0
    anchors.centerIn: Overlay.overlay ? Overlay.overlay : parent
    width: Math.min(640, (Overlay.overlay ? Overlay.overlay.width : 688) - 48)
    height: Math.min(720, (Overlay.overlay ? Overlay.overlay.height : 768) - 48)
    onOpened: root.controller.refresh()
    background: Rectangle {
        color: Theme.surface
        radius: 16
        border.color: Theme.border
    }

    Connections {
        target: root.controller
        function onReviewReady() { review.open() }
        function onInstalled() { review.close() }
        function onGrantReviewReady() { if (root.opened) grant.open() }
    }

    contentItem: ColumnLayout {
        spacing: 0
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 16
            Label {
                textFormat: Text.PlainText
                text: qsTr("Plugins")
                color: Theme.text
                font.pixelSize: 20
                font.weight: Font.DemiBold
                Layout.fillWidth: true
            }
            BusyIndicator {
                running: root.controller.busy
                visible: running
                Layout.preferredWidth: 24
                Layout.preferredHeight: 24
            }
            TcIconButton {
                iconName: "close"
                Accessible.name: qsTr("Close plugins")
                onClicked: root.close()
            }
        }
        Label {
            textFormat: Text.PlainText
            text: qsTr("Plugins are small programs that run inside TenChat in a sandbox. Each can only do what you allow below; revoking and granting again take effect at once.")
            color: Theme.textSecondary
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.leftMargin: 16
            Layout.rightMargin: 16
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 16
            spacing: 8
            TcButton {
                objectName: "installZipButton"
                text: qsTr("Install from .zip…")
                onClicked: zipDialog.open()
            }
            TcButton {
                objectName: "installFolderButton"
                text: qsTr("Install from folder…")
                flat: true
                onClicked: folderDialog.open()
            }
            Item { Layout.fillWidth: true }
        }
        Label {
            textFormat: Text.PlainText
            objectName: "pluginsStatus"
            visible: text.length > 0 && !review.opened && !grant.opened
            text: root.controller.errorText.length > 0 ? root.controller.errorText : root.controller.statusText
            color: root.controller.errorText.length > 0 ? Theme.danger : Theme.live
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.leftMargin: 16
            Layout.rightMargin: 16
            Layout.bottomMargin: 8
        }
        Rectangle { height: 1; color: Theme.border; Layout.fillWidth: true }
        ListView {
            id: list
            objectName: "pluginList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 10
            topMargin: 12
            bottomMargin: 12
            model: root.controller.model
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Installed plugins")
            ScrollBar.vertical: ScrollBar { }
            delegate: PluginDelegate {
                x: 16
                width: ListView.view.width - 32
                controller: root.controller
                onRemoveRequested: (name, title) => { removeDialog.pluginName = name; removeDialog.pluginTitle = title; removeDialog.open() }
            }
            Label {
                textFormat: Text.PlainText
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("No plugins installed.")
                color: Theme.textSecondary
            }
        }
    }

    FileDialog {
        id: zipDialog
        title: qsTr("Install a plugin from a .zip file")
        nameFilters: [qsTr("Plugin packages (*.zip)")]
        onAccepted: root.controller.reviewPackage(selectedFile)
    }
    FolderDialog {
        id: folderDialog
        title: qsTr("Install a plugin from a folder")
        onAccepted: root.controller.reviewPackage(selectedFolder)
    }
    PluginReviewDialog {
        id: review
        objectName: "pluginReviewDialog"
        controller: root.controller
    }
    PluginGrantDialog {
        id: grant
        objectName: "pluginGrantDialog"
        controller: root.controller
    }
    Dialog {
        id: removeDialog
        objectName: "removePluginDialog"
        property string pluginName: ""
        property string pluginTitle: ""
        anchors.centerIn: Overlay.overlay
        modal: true
        title: qsTr("Remove %1?").arg(pluginTitle)
        standardButtons: Dialog.Cancel | Dialog.Ok
        Label {
            textFormat: Text.PlainText
            text: qsTr("The plugin stops now and its files and stored data are deleted.")
            wrapMode: Text.Wrap
            width: 320
            color: Theme.text
        }
        onAccepted: root.controller.remove(pluginName)
    }
}
