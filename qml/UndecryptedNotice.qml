// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Inside a message bubble that stands for a group message this device
// cannot read yet: "waiting" (the sender's device was asked for its key;
// the message replaces this row when the key comes) or "undecryptable".
// A waiting one offers "Request again" (the engine rate-limits it; `note`
// says what became of the last request).
ColumnLayout {
    id: root
    property string kind: "" // "waiting" or "undecryptable"
    property string senderName: ""
    property string note: ""
    signal requestAgain()
    readonly property bool waiting: kind === "waiting"
    readonly property string text: waiting
        ? qsTr("Waiting for this message. It will appear when %1's device shares its key.").arg(senderName)
        : qsTr("This message could not be decrypted.")
    spacing: 6
    Accessible.role: Accessible.StaticText
    Accessible.name: text

    RowLayout {
        spacing: 8
        Layout.fillWidth: true
        Text {
            text: root.waiting ? "⏳" : "⚠"
            color: root.waiting ? Theme.textSecondary : Theme.danger
            font.pixelSize: Theme.fontSize
            Layout.alignment: Qt.AlignTop
            Accessible.ignored: true
        }
        ColumnLayout {
            spacing: 4
            Layout.fillWidth: true
            Text {
                objectName: "undecryptedText"
                text: root.text
                color: Theme.textSecondary
                font.pixelSize: Theme.fontSize
                font.italic: true
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Text {
                objectName: "keyRequestNote"
                visible: root.waiting && root.note.length > 0
                text: root.note
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            TcButton {
                objectName: "requestKeyAgain"
                visible: root.waiting
                flat: true
                text: qsTr("Request again")
                font.pixelSize: Theme.smallFontSize
                leftPadding: 8
                rightPadding: 8
                topPadding: 4
                bottomPadding: 4
                // The label lines up with the text above; the hover fill reaches past it.
                Layout.leftMargin: -8
                Layout.alignment: Qt.AlignLeft
                onClicked: root.requestAgain()
            }
        }
    }
}
