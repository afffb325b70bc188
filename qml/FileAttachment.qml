// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import TenChat.Ui

// The file of a message inside its bubble: an image preview (the encrypted
// thumbnail first, the full picture once downloaded) or a file card (icon by
// type, name, size and type), the transfer's progress with cancel, errors
// with retry, and Open / Save as… once the verified file is on this device.
// Everything it shows comes from the MediaController.
ColumnLayout {
    id: root
    required property string messageId
    required property string contentType
    required property string body
    required property bool outgoing
    property real maxWidth: 320
    property color textColor: Theme.text
    property color metaColor: Theme.textSecondary

    readonly property var media: SessionController.chat.media
    property int revision: 0
    readonly property var info: media.describe(messageId, contentType, body)
    readonly property var status: { revision; return media.status(messageId) }
    readonly property int fileState: status.state
    readonly property bool transferring: fileState === MediaController.Uploading
                                         || fileState === MediaController.Downloading
                                         || fileState === MediaController.Waiting
    // A stalled upload (no connection) or a failed transfer: the reason and "Try again".
    readonly property bool hasError: status.error.length > 0
                                     && (fileState === MediaController.Failed || fileState === MediaController.Waiting)
    readonly property bool hasPreview: info.isImage && (info.thumbnail.length > 0 || status.image.length > 0)
    spacing: 6

    Connections {
        target: root.media
        function onFileChanged(id) { if (id === root.messageId) root.revision++ }
    }

    // Image preview: thumbnail, then the full picture.
    Rectangle {
        id: preview
        objectName: "imagePreview"
        visible: root.hasPreview
        readonly property real aspect: root.info.width > 0 && root.info.height > 0 ? root.info.height / root.info.width : 0.75
        Layout.preferredWidth: Math.min(root.maxWidth, 320)
        Layout.preferredHeight: Math.max(90, Math.min(360, Layout.preferredWidth * aspect))
        radius: 10
        clip: true
        color: Qt.rgba(0, 0, 0, 0.15)
        Accessible.role: Accessible.Button
        Accessible.name: root.fileState === MediaController.Complete ? qsTr("Open image %1").arg(root.info.name)
                                                                 : qsTr("Download image %1").arg(root.info.name)
        Image {
            anchors.fill: parent
            source: root.info.thumbnail
            fillMode: Image.PreserveAspectCrop
            smooth: true
            asynchronous: true
            visible: full.status !== Image.Ready
        }
        Image {
            id: full
            objectName: "fullImage"
            anchors.fill: parent
            source: root.status.image
            sourceSize: Qt.size(preview.width * Screen.devicePixelRatio, preview.height * Screen.devicePixelRatio)
            fillMode: Image.PreserveAspectCrop
            asynchronous: true
            smooth: true
        }
        MouseArea {
            anchors.fill: parent
            cursorShape: Qt.PointingHandCursor
            onClicked: root.fileState === MediaController.Complete ? root.media.open(root.messageId)
                     : root.fileState === MediaController.Remote ? root.media.download(root.messageId) : undefined
        }
        Rectangle {
            visible: root.fileState === MediaController.Remote
            anchors.centerIn: parent
            width: 44
            height: 44
            radius: 22
            color: Qt.rgba(0, 0, 0, 0.55)
            Text { anchors.centerIn: parent; text: "⤓"; color: "white"; font.pixelSize: 22 }
        }
    }

    // File card.
    RowLayout {
        visible: !root.hasPreview
        spacing: 10
        Layout.maximumWidth: root.maxWidth
        Rectangle {
            Layout.preferredWidth: 42
            Layout.preferredHeight: 42
            radius: 10
            color: root.outgoing ? Qt.rgba(1, 1, 1, 0.18) : Theme.surface
            Text { anchors.centerIn: parent; text: root.info.icon; font.pixelSize: 22 }
        }
        ColumnLayout {
            spacing: 1
            Layout.fillWidth: true
            Label {
                objectName: "fileName"
                text: root.info.name
                color: root.textColor
                font.pixelSize: Theme.fontSize
                font.weight: Font.DemiBold
                elide: Text.ElideMiddle
                Layout.fillWidth: true
                Layout.maximumWidth: root.maxWidth - 52
            }
            Label {
                text: root.info.valid ? root.info.sizeText + " · " + root.info.typeLabel : ""
                color: root.metaColor
                font.pixelSize: Theme.smallFontSize
                elide: Text.ElideRight
                Layout.fillWidth: true
                Layout.maximumWidth: root.maxWidth - 52
            }
        }
    }

    // Progress and cancel.
    RowLayout {
        visible: root.transferring
        spacing: 6
        Layout.fillWidth: true
        ColumnLayout {
            spacing: 2
            Layout.fillWidth: true
            ProgressBar {
                objectName: "transferProgress"
                Layout.fillWidth: true
                Layout.minimumWidth: 140
                from: 0
                to: 1
                value: root.status.progress
                indeterminate: root.fileState === MediaController.Waiting || root.status.progress <= 0
                Accessible.name: root.fileState === MediaController.Downloading ? qsTr("Download progress") : qsTr("Upload progress")
            }
            Label {
                visible: !root.hasError
                text: root.fileState === MediaController.Waiting ? qsTr("Waiting for the connection…")
                    : (root.fileState === MediaController.Uploading ? qsTr("Uploading") : qsTr("Downloading"))
                      + (root.status.progressText.length > 0 ? " · " + root.status.progressText : "…")
                color: root.metaColor
                font.pixelSize: Theme.smallFontSize - 1
            }
        }
        ToolButton {
            id: cancelButton
            objectName: "cancelTransfer"
            Layout.preferredWidth: 30
            Layout.preferredHeight: 30
            text: "✕"
            contentItem: Text {
                text: cancelButton.text
                color: root.textColor
                font.pixelSize: Theme.fontSize
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
            background: Rectangle {
                radius: 15
                color: cancelButton.hovered ? Qt.rgba(0.5, 0.5, 0.5, 0.3) : Qt.rgba(0.5, 0.5, 0.5, 0.15)
            }
            Accessible.name: root.fileState === MediaController.Downloading ? qsTr("Cancel download") : qsTr("Cancel upload")
            ToolTip.visible: hovered
            ToolTip.text: Accessible.name
            onClicked: root.media.cancel(root.messageId)
        }
    }

    Label {
        objectName: "transferError"
        visible: root.hasError
        text: "⚠ " + root.status.error
        color: root.outgoing ? "#ffe0dd" : Theme.danger
        font.pixelSize: Theme.smallFontSize
        wrapMode: Text.Wrap
        // As wide as the picture or card above it: a long reason wraps
        // inside the bubble instead of widening it past its edge.
        Layout.fillWidth: true
        Layout.maximumWidth: Math.min(root.maxWidth, 320)
        Layout.preferredWidth: Math.min(root.maxWidth, 320)
    }

    component ActionButton: Button {
        id: action
        flat: true
        padding: 4
        leftPadding: 10
        rightPadding: 10
        font.pixelSize: Theme.smallFontSize
        font.weight: Font.DemiBold
        Accessible.name: text
        contentItem: Text {
            text: action.text
            font: action.font
            color: root.outgoing ? "#ffffff" : Theme.accent
        }
        background: Rectangle {
            radius: 8
            color: action.hovered ? Qt.rgba(0.5, 0.5, 0.5, 0.2) : "transparent"
            border.width: 1
            border.color: root.outgoing ? Qt.rgba(1, 1, 1, 0.5) : Theme.border
        }
    }

    RowLayout {
        spacing: 6
        visible: !root.transferring || root.hasError
        ActionButton {
            objectName: "downloadButton"
            visible: root.fileState === MediaController.Remote && !root.outgoing && root.info.valid
            text: qsTr("Download")
            onClicked: root.media.download(root.messageId)
        }
        ActionButton {
            objectName: "retryButton"
            visible: root.hasError
            text: qsTr("Try again")
            onClicked: root.media.retry(root.messageId)
        }
        ActionButton {
            visible: root.fileState === MediaController.Failed && root.contentType !== "application/vnd.tenchat.file+json"
            text: qsTr("Remove")
            onClicked: root.media.cancel(root.messageId)
        }
        ActionButton {
            objectName: "openButton"
            visible: root.fileState === MediaController.Complete
            text: qsTr("Open")
            onClicked: root.media.open(root.messageId)
        }
        ActionButton {
            objectName: "saveAsButton"
            visible: root.fileState === MediaController.Complete
            text: qsTr("Save as…")
            onClicked: { saveDialog.active = true; saveDialog.item.open() }
        }
    }

    // Created on first use: one dialog per bubble would be costly.
    Loader {
        id: saveDialog
        active: false
        sourceComponent: FileDialog {
            title: qsTr("Save %1").arg(root.info.name)
            fileMode: FileDialog.SaveFile
            currentFile: "file:///" + root.info.name
            onAccepted: root.media.saveAs(root.messageId, selectedFile)
        }
    }
}
