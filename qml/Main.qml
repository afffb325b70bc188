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
    title: qsTr("TenChat")

    palette.window: Theme.background
    palette.windowText: Theme.text
    palette.base: Theme.surface
    palette.text: Theme.text
    palette.button: Theme.surfaceAlt
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.textSecondary

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
        state: AppController.connectionState
        label: [qsTr("Offline"), qsTr("Connecting…"), qsTr("Connected")][AppController.connectionState]
    }
    Component { id: onboardingPage; OnboardingPage { } }
    Component { id: unlockPage; UnlockPage { } }
    Component { id: chatPage; ChatPage { } }

    Shortcut {
        sequences: ["Ctrl+K", "Ctrl+F"]
        enabled: SessionController.state === SessionController.Ready
        onActivated: page.item.sidebar.searchField.forceActiveFocus()
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
