// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import Qt.labs.platform as Platform
import TenChat.Ui

// The system tray icon: unread count in the tooltip, a menu, and a
// notification for each message that arrives while the user looks elsewhere.
Platform.SystemTrayIcon {
    id: root
    required property var mainWindow
    readonly property int unread: mainWindow.unread
    visible: available
    icon.source: "qrc:/qt/qml/TenChat/icons/tenchat.svg"
    tooltip: unread > 0 ? qsTr("TenChat — %n unread message(s)", "", unread) : qsTr("TenChat")
    onActivated: { mainWindow.show(); mainWindow.raise(); mainWindow.requestActivate() }
    menu: Platform.Menu {
        Platform.MenuItem {
            text: qsTr("Open TenChat")
            onTriggered: root.activated(Platform.SystemTrayIcon.Trigger)
        }
        Platform.MenuItem {
            text: qsTr("Quit")
            onTriggered: Qt.quit()
        }
    }
    property Connections notifications: Connections {
        target: SessionController.chat
        function onNotificationRequested(title, body, conversationId) {
            if (root.available && root.supportsMessages)
                root.showMessage(title, body)
        }
    }
}
