// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A round icon-only button in the app's look (close, info, more…): the
// icon in a theme colour, a hover/pressed background and a focus ring.
// Name it with Accessible.name; the same text is its tooltip.
ToolButton {
    id: root
    property string iconName: "close"
    property color iconColor: Theme.textSecondary
    property int size: 32
    implicitWidth: size
    implicitHeight: size
    padding: 0
    display: AbstractButton.IconOnly
    focusPolicy: Qt.StrongFocus
    icon.source: "qrc:/qt/qml/TenChat/icons/" + iconName + ".svg"
    icon.width: Math.round(size * 0.56)
    icon.height: Math.round(size * 0.56)
    icon.color: !root.enabled ? Theme.disabledText : root.hovered || root.visualFocus ? Theme.text : iconColor
    ToolTip.visible: hovered && Accessible.name.length > 0
    ToolTip.delay: 600
    ToolTip.text: Accessible.name
    background: Rectangle {
        radius: width / 2
        color: !root.enabled ? "transparent" : root.down ? Theme.border : root.hovered ? Theme.hover : "transparent"
        border.width: root.visualFocus ? 2 : 0
        border.color: Theme.accent
    }
}
