// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Before a plugin is installed from a file: what it is, who signed it, and
// each capability and scope it asks for in plain words. An unsigned package,
// or one from a publisher not trusted yet, needs an extra explicit check.
Popup {
    id: root
    required property var controller
    readonly property var review: controller.review
    readonly property bool needsConfirmation: review.needsConfirmation === true
    modal: true
    focus: true
    padding: 0
    anchors.centerIn: Overlay.overlay ? Overlay.overlay : parent
    width: Math.min(520, (Overlay.overlay ? Overlay.overlay.width : 568) - 48)
    height: Math.min(column.implicitHeight + 32, (Overlay.overlay ? Overlay.overlay.height : 688) - 48)
    onOpened: confirm.checked = false
    onClosed: if (root.review.name !== undefined) root.controller.cancelReview()
    background: Rectangle {
        color: Theme.surface
        radius: 16
        border.color: Theme.border
    }

    contentItem: Flickable {
        contentHeight: column.implicitHeight + 32
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar { }
        ColumnLayout {
            id: column
            x: 20
            y: 16
            width: root.width - 40
            spacing: 8

            Label {
                textFormat: Text.PlainText
                objectName: "reviewTitle"
                text: qsTr("Install %1 %2?").arg(root.review.title || "").arg(root.review.version || "")
                color: Theme.text
                font.pixelSize: 20
                font.weight: Font.DemiBold
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                textFormat: Text.PlainText
                text: root.review.name || ""
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
            }
            Label {
                textFormat: Text.PlainText
                text: root.review.description || ""
                color: Theme.text
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            RowLayout {
                spacing: 6
                Rectangle {
                    width: 8
                    height: 8
                    radius: 4
                    color: root.needsConfirmation ? Theme.warning : Theme.live
                }
                Label {
                    textFormat: Text.PlainText
                    objectName: "reviewSignature"
                    text: root.review.signatureText || ""
                    color: root.needsConfirmation ? Theme.danger : Theme.text
                    font.weight: Font.DemiBold
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
            }
            Label {
                textFormat: Text.PlainText
                text: qsTr("It asks to:")
                color: Theme.accent
                font.pixelSize: Theme.smallFontSize
                font.weight: Font.Bold
                font.capitalization: Font.AllUppercase
                Layout.topMargin: 8
            }
            Repeater {
                model: root.review.capabilities || []
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: 8
                    Label { text: "•"; color: Theme.accent }
                    Label {
                        textFormat: Text.PlainText
                        text: modelData.text
                        color: Theme.text
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                        Accessible.name: text
                    }
                    Label {
                        textFormat: Text.PlainText
                        text: modelData.name
                        color: Theme.textSecondary
                        font.pixelSize: Theme.smallFontSize - 1
                        font.family: "monospace"
                    }
                }
            }
            Label {
                textFormat: Text.PlainText
                text: qsTr("Where: %1").arg(root.review.scopesText || "")
                color: Theme.text
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                textFormat: Text.PlainText
                visible: (root.review.commands || []).length > 0
                text: qsTr("Commands: %1").arg((root.review.commands || []).join("\n"))
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Rectangle {
                visible: root.needsConfirmation
                Layout.fillWidth: true
                Layout.topMargin: 6
                implicitHeight: warning.implicitHeight + 20
                radius: 8
                color: Qt.rgba(0.98, 0.66, 0.15, Theme.dark ? 0.18 : 0.14)
                border.color: Theme.warning
                ColumnLayout {
                    id: warning
                    x: 10
                    y: 10
                    width: parent.width - 20
                    spacing: 6
                    Label {
                        textFormat: Text.PlainText
                        text: root.review.confirmationText || ""
                        color: Theme.text
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    TcCheckBox {
                        id: confirm
                        objectName: "reviewConfirm"
                        Layout.fillWidth: true
                        text: root.review.signature === "unsigned"
                              ? qsTr("I understand that nobody vouches for this code, install it anyway")
                              : qsTr("I trust this publisher")
                    }
                }
            }
            Label {
                textFormat: Text.PlainText
                objectName: "reviewError"
                visible: text.length > 0
                text: root.controller.errorText
                color: Theme.danger
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            RowLayout {
                Layout.fillWidth: true
                Layout.topMargin: 6
                Item { Layout.fillWidth: true }
                TcButton {
                    text: qsTr("Cancel")
                    flat: true
                    onClicked: root.close()
                }
                TcButton {
                    objectName: "reviewInstall"
                    text: qsTr("Install")
                    enabled: !root.controller.busy && (!root.needsConfirmation || confirm.checked)
                    onClicked: root.controller.confirmInstall(confirm.checked)
                }
            }
        }
    }
}
