// SPDX-License-Identifier: GPL-3.0-or-later
pragma Singleton
import QtQuick
import TenChat.Ui

// Colours, sizes and fonts of the whole UI, light and dark.
QtObject {
    readonly property bool dark: AppController.darkTheme

    readonly property color background: dark ? "#16181c" : "#ffffff"
    readonly property color sidebar: dark ? "#1d2025" : "#f4f5f7"
    readonly property color surface: dark ? "#24272d" : "#ffffff"
    readonly property color surfaceAlt: dark ? "#2b2f36" : "#eceef1"
    readonly property color border: dark ? "#30343b" : "#e1e4e8"
    readonly property color text: dark ? "#e8eaed" : "#1b1d21"
    readonly property color textSecondary: dark ? "#9aa0a8" : "#646a73"
    readonly property color accent: dark ? "#5b93ff" : "#2c6bed"
    readonly property color accentText: "#ffffff"
    readonly property color selection: dark ? "#253250" : "#e3ebfc"
    readonly property color hover: dark ? "#262a31" : "#eaecef"
    readonly property color bubbleIncoming: dark ? "#2a2e35" : "#eef0f3"
    readonly property color bubbleOutgoing: dark ? "#3b6fd6" : "#2c6bed"
    readonly property color bubbleOutgoingText: "#ffffff"
    readonly property color quoteBar: dark ? "#8fb3ff" : "#2c6bed"
    readonly property color danger: dark ? "#ff6b60" : "#c5221f"
    readonly property color dangerFill: dark ? "#c7362c" : "#c5221f" // under white text
    readonly property color warning: "#f9a825"
    readonly property color live: "#2e7d32"
    readonly property color offline: dark ? "#7a7f87" : "#9e9e9e"
    readonly property color daySeparator: dark ? "#2a2e35" : "#eceef1"
    // Disabled controls: a neutral fill and dimmed text instead of the accent,
    // so a disabled button never looks like an enabled one (in dark too).
    readonly property color disabledFill: dark ? "#33373e" : "#dfe2e6"
    readonly property color disabledText: dark ? "#6e747d" : "#9299a3"

    readonly property int radius: 10
    readonly property int bubbleRadius: 16
    readonly property int spacing: 8
    readonly property int sidebarWidth: 320
    readonly property int fontSize: 14
    readonly property int smallFontSize: 12
    readonly property int titleFontSize: 16

    readonly property var avatarColors: ["#e25c5c", "#e08a3c", "#c9a227", "#4caf6d", "#3aa3a3", "#3d7fe0",
        "#7a5ce0", "#c25cb8"]

    function avatarColor(key) {
        let sum = 0
        for (let i = 0; i < key.length; ++i)
            sum = (sum * 31 + key.charCodeAt(i)) % 65521
        return avatarColors[sum % avatarColors.length]
    }
}
