// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// A contact's page: who it is, the safety number in groups of five digits
// and as a QR code to compare in person, and "mark as verified".
Popup {
    id: root
    readonly property var contact: SessionController.chat.contact
    modal: true
    focus: true
    padding: 24
    anchors.centerIn: Overlay.overlay
    width: Math.min(460, (parent ? parent.width : 460) - 48)
    onOpened: contact.loadSafetyNumber()
    background: SheetBackground { }

    contentItem: Item {
        implicitHeight: column.implicitHeight
        implicitWidth: column.implicitWidth
        ColumnLayout {
            id: column
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: 14
            RowLayout {
                spacing: 12
                Layout.fillWidth: true
                Layout.rightMargin: 30 // room for the close button in the corner
                Avatar {
                    initials: AppController.initials(root.contact.handle)
                    key: root.contact.handle
                    size: 48
                }
                ColumnLayout {
                    spacing: 2
                    Layout.fillWidth: true
                    Label {
                        objectName: "contactHandle"
                        text: "@" + root.contact.handle
                        color: Theme.text
                        font.pixelSize: Theme.titleFontSize + 2
                        font.weight: Font.DemiBold
                    }
                    Label {
                        objectName: "contactTrust"
                        text: root.contact.trust === ContactController.Verified ? qsTr("✔ Verified")
                            : root.contact.trust === ContactController.Changed ? qsTr("Safety number changed")
                            : qsTr("Not verified")
                        color: root.contact.trust === ContactController.Verified ? Theme.live
                             : root.contact.trust === ContactController.Changed ? Theme.danger : Theme.textSecondary
                        font.pixelSize: Theme.smallFontSize
                        font.weight: Font.DemiBold
                    }
                }
            }
            Label {
                text: qsTr("Compare this number with the one on @%1's device, or scan the code. If they match, your conversation is end-to-end encrypted with the right person.").arg(root.contact.handle)
                color: Theme.textSecondary
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            QrCodeItem {
                objectName: "safetyQr"
                visible: root.contact.qrPayload.length > 0
                text: root.contact.qrPayload
                color: "#111111"
                background: "#ffffff"
                Layout.preferredWidth: 180
                Layout.preferredHeight: 180
                Layout.alignment: Qt.AlignHCenter
                Accessible.role: Accessible.Graphic
                Accessible.name: qsTr("QR code of the safety number")
            }
            // 60 digits as 12 groups of five, in three rows.
            GridLayout {
                objectName: "safetyNumber"
                visible: root.contact.safetyNumber.length > 0
                columns: 4
                columnSpacing: 18
                rowSpacing: 6
                Layout.alignment: Qt.AlignHCenter
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Safety number %1").arg(root.contact.safetyNumber)
                Repeater {
                    model: root.contact.safetyNumber.split(" ")
                    Label {
                        required property string modelData
                        text: modelData
                        color: Theme.text
                        font.family: "monospace"
                        font.pixelSize: Theme.fontSize + 2
                        font.letterSpacing: 1
                    }
                }
            }
            Label {
                visible: root.contact.safetyNumberError.length > 0
                text: root.contact.safetyNumberError
                color: Theme.textSecondary
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            ErrorBanner {
                objectName: "contactErrorBanner"
                source: root.contact
                Layout.fillWidth: true
            }
            TcButton {
                objectName: "markVerified"
                text: root.contact.trust === ContactController.Verified ? qsTr("Verified") : qsTr("Mark as verified")
                enabled: root.contact.trust !== ContactController.Verified && root.contact.safetyNumber.length > 0
                Layout.fillWidth: true
                onClicked: root.contact.markVerified()
            }
        }
        // Closes the sheet: a themed icon button in the top corner.
        TcIconButton {
            objectName: "contactClose"
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
