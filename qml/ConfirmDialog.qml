// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Asks before a destructive action: a title, what will happen, Cancel and
// the action (in the danger colour when `destructive`). Esc cancels.
Popup {
    id: root
    property string title: ""
    property string text: ""
    property string confirmText: qsTr("OK")
    property bool destructive: true
    signal confirmed()
    modal: true
    focus: true
    padding: 24
    anchors.centerIn: Overlay.overlay
    width: Math.min(400, (Overlay.overlay ? Overlay.overlay.width : 400) - 48)
    onOpened: cancelButton.forceActiveFocus()
    background: SheetBackground { }

    contentItem: ColumnLayout {
        spacing: 12
        Label {
            text: root.title
            color: Theme.text
            font.pixelSize: Theme.titleFontSize + 1
            font.weight: Font.DemiBold
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            text: root.text
            color: Theme.textSecondary
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: 6
            spacing: 8
            Item { Layout.fillWidth: true }
            TcButton {
                id: cancelButton
                objectName: "confirmCancel"
                text: qsTr("Cancel")
                flat: true
                onClicked: root.close()
            }
            TcButton {
                id: confirmButton
                objectName: "confirmAccept"
                text: root.confirmText
                danger: root.destructive
                onClicked: { root.close(); root.confirmed() }
            }
        }
    }
}
