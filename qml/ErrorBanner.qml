// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The last refused input or failure of a controller that has `lastError`,
// `clearError()` and `errorOccurred` (ChatController: a file that cannot be
// sent, an empty paste or message, a failed send; ContactController: a
// failed "mark as verified"). Shown until dismissed, or for a few seconds.
Rectangle {
    id: root
    required property var source
    property int timeoutMs: 8000
    objectName: "errorBanner"
    visible: source.lastError.length > 0
    implicitHeight: visible ? row.implicitHeight + 12 : 0
    color: Theme.surfaceAlt
    Accessible.role: Accessible.AlertMessage
    Accessible.name: source.lastError

    Rectangle {
        width: 3
        height: parent.height
        color: Theme.danger
    }
    RowLayout {
        id: row
        anchors.verticalCenter: parent.verticalCenter
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.leftMargin: 16
        anchors.rightMargin: 8
        spacing: 8
        Label {
            objectName: "errorText"
            text: root.source.lastError
            color: Theme.text
            font.pixelSize: Theme.smallFontSize + 1
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        TcIconButton {
            objectName: "dismissErrorButton"
            iconName: "close"
            size: 28
            Accessible.name: qsTr("Dismiss")
            onClicked: root.source.clearError()
        }
    }
    Timer {
        id: hideTimer
        interval: root.timeoutMs
        running: root.visible
        onTriggered: root.source.clearError()
    }
    Connections {
        target: root.source
        function onErrorOccurred() { hideTimer.restart() }
    }
}
