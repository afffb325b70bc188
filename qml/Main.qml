// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// The window: first run, unlock or the chat, by the session's state.
ApplicationWindow {
    id: window
    width: 1100
    height: 720
    minimumWidth: 640
    minimumHeight: 420
    visible: true
    color: Theme.background
    readonly property int unread: SessionController.state === SessionController.Ready
                                  ? SessionController.chat.conversations.totalUnread : 0
    title: unread > 0 ? qsTr("(%1) TenChat").arg(unread) : qsTr("TenChat")

    palette.window: Theme.background
    palette.windowText: Theme.text
    palette.base: Theme.surface
    palette.text: Theme.text
    palette.button: Theme.surfaceAlt
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.textSecondary
    // Switches, radio buttons and check boxes of the Basic style draw with these.
    palette.dark: Theme.accent
    palette.mid: Theme.border
    palette.midlight: Theme.border
    palette.light: Theme.surface
    palette.toolTipBase: Theme.surfaceAlt
    palette.toolTipText: Theme.text

    Loader {
        id: page
        objectName: "pageLoader"
        anchors.fill: parent
        focus: true
        sourceComponent: SessionController.state === SessionController.Ready ? chatPage
                       : SessionController.state === SessionController.Locked ? unlockPage : onboardingPage
    }
    // The connection state stays visible before the profile is open too
    // (the chat page shows it in its sidebar).
    ConnectionIndicator {
        objectName: "connectionIndicator"
        visible: SessionController.state !== SessionController.Ready
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: 16
    }
    onActiveChanged: if (SessionController.state === SessionController.Ready) SessionController.chat.setWindowActive(active)
    Loader {
        active: SessionController.state === SessionController.Ready && AppController.trayAvailable
        sourceComponent: TrayIcon { mainWindow: window }
    }
    Component { id: onboardingPage; OnboardingPage { } }
    Component { id: unlockPage; UnlockPage { } }
    Component { id: chatPage; ChatPage { } }

    // Ctrl+K: jump to a conversation by name; Ctrl+F: search all messages.
    Shortcut {
        sequence: "Ctrl+K"
        enabled: SessionController.state === SessionController.Ready
        onActivated: page.item.sidebar.searchField.forceActiveFocus()
    }
    Shortcut {
        sequence: StandardKey.Find
        enabled: SessionController.state === SessionController.Ready
        onActivated: page.item.searchPanel.open()
    }
    Shortcut {
        sequence: "Ctrl+,"
        enabled: SessionController.state === SessionController.Ready
        onActivated: page.item.settingsPage.open()
    }
    Shortcut {
        sequence: "Alt+Up"
        enabled: SessionController.state === SessionController.Ready
        onActivated: SessionController.chat.openAdjacent(-1)
    }
    Shortcut {
        sequence: "Alt+Down"
        enabled: SessionController.state === SessionController.Ready
        onActivated: SessionController.chat.openAdjacent(1)
    }
}
