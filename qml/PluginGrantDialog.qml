// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// "Grant again…" on the plugins page: before a revoked capability is given
// back, what it lets the plugin do (with its limits), where, and who vouches
// for the plugin; nothing changes until the user ticks the confirmation and
// presses Grant. The PluginsController does the work (and the audit entry).
Popup {
    id: root
    required property var controller
    readonly property var review: controller.grantReview
    modal: true
    focus: true
    padding: 0
    anchors.centerIn: Overlay.overlay ? Overlay.overlay : parent
    width: Math.min(480, (Overlay.overlay ? Overlay.overlay.width : 528) - 48)
    height: Math.min(column.implicitHeight + 32, (Overlay.overlay ? Overlay.overlay.height : 688) - 48)
    onOpened: confirm.checked = false
    onClosed: if (root.review.name !== undefined) root.controller.cancelGrant()
    background: Rectangle {
        color: Theme.surface
        radius: 16
        border.color: Theme.border
    }

    contentItem: ColumnLayout {
        id: column
        spacing: 8

        Label {
            textFormat: Text.PlainText
            objectName: "grantTitle"
            text: qsTr("Allow %1 again?").arg(root.review.title || "")
            color: Theme.text
            font.pixelSize: 20
            font.weight: Font.DemiBold
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.topMargin: 16
            Layout.leftMargin: 20
            Layout.rightMargin: 20
        }
        Label {
            textFormat: Text.PlainText
            text: root.review.signatureText || ""
            color: Theme.textSecondary
            font.pixelSize: Theme.smallFontSize
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.leftMargin: 20
            Layout.rightMargin: 20
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.leftMargin: 20
            Layout.rightMargin: 20
            Layout.topMargin: 4
            implicitHeight: what.implicitHeight + 20
            radius: 8
            color: Theme.surfaceAlt
            ColumnLayout {
                id: what
                x: 10
                y: 10
                width: parent.width - 20
                spacing: 4
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 8
                    Label {
                        textFormat: Text.PlainText
                        objectName: "grantCapabilityText"
                        text: root.review.text || ""
                        color: Theme.text
                        font.weight: Font.DemiBold
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Label {
                        textFormat: Text.PlainText
                        text: root.review.capability || ""
                        color: Theme.textSecondary
                        font.pixelSize: Theme.smallFontSize - 1
                        font.family: "monospace"
                    }
                }
                Label {
                    textFormat: Text.PlainText
                    objectName: "grantDetails"
                    text: root.review.details || ""
                    color: Theme.text
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                Label {
                    textFormat: Text.PlainText
                    text: qsTr("Where: %1").arg(root.review.scopesText || "")
                    color: Theme.textSecondary
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
            }
        }
        TcCheckBox {
            id: confirm
            objectName: "grantConfirm"
            Layout.fillWidth: true
            Layout.leftMargin: 14
            Layout.rightMargin: 20
            text: root.review.confirmationText || ""
        }
        Label {
            textFormat: Text.PlainText
            objectName: "grantError"
            visible: text.length > 0
            text: root.controller.errorText
            color: Theme.danger
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.leftMargin: 20
            Layout.rightMargin: 20
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 20
            Layout.rightMargin: 20
            Layout.bottomMargin: 16
            Item { Layout.fillWidth: true }
            TcButton {
                text: qsTr("Cancel")
                flat: true
                onClicked: root.close()
            }
            TcButton {
                objectName: "grantButton"
                text: qsTr("Grant")
                enabled: !root.controller.busy && confirm.checked
                Accessible.name: qsTr("Grant %1 again").arg(root.review.title || "")
                onClicked: if (root.controller.confirmGrant(confirm.checked)) root.close()
            }
        }
    }
}
