// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

ApplicationWindow {
    id: window
    width: 1000
    height: 680
    minimumWidth: 480
    minimumHeight: 360
    visible: true
    title: qsTr("TenChat")

    readonly property var connectionLabels: [qsTr("Offline"), qsTr("Connecting…"), qsTr("Relay reachable")]

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            Label {
                text: qsTr("TenChat")
                font.bold: true
                font.pixelSize: 18
                Layout.fillWidth: true
            }
            ConnectionIndicator {
                state: AppController.connectionState
                label: window.connectionLabels[AppController.connectionState]
            }
        }
    }

    ColumnLayout {
        anchors.centerIn: parent
        spacing: 12
        width: Math.min(parent.width - 48, 460)

        Label {
            text: qsTr("Welcome to TenChat")
            font.pixelSize: 24
            Layout.alignment: Qt.AlignHCenter
        }
        Label {
            text: qsTr("Relay: %1").arg(AppController.relayUrl.toString())
            Layout.alignment: Qt.AlignHCenter
        }
        Label {
            visible: AppController.connectionState === 0 && AppController.connectionError.length > 0
            text: AppController.connectionError
            color: "#b3261e"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
        }
        Button {
            text: qsTr("Reconnect")
            Accessible.name: text
            Layout.alignment: Qt.AlignHCenter
            onClicked: AppController.reconnect()
        }
        Label {
            text: qsTr("Version %1").arg(AppController.version)
            opacity: 0.6
            Layout.alignment: Qt.AlignHCenter
        }
    }
}
