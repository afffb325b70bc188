// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import TenChat.Ui

// The actions of one conversation in the list: pin or unpin, mute or
// unmute, delete on this device (asks first). Opened by right-click on a
// row, or with the Menu key / Shift+F10 on the selected row.
TcMenu {
    id: root
    readonly property var chat: SessionController.chat
    property string conversationId: ""
    property string conversationTitle: ""
    property bool pinned: false
    property bool muted: false
    signal deleteRequested(string conversationId, string title)

    function openFor(id, name, isPinned, isMuted, item, x, y) {
        conversationId = id
        conversationTitle = name
        pinned = isPinned
        muted = isMuted
        popup(item, x, y)
    }

    TcMenuItem {
        objectName: "menuPin"
        text: root.pinned ? qsTr("Unpin") : qsTr("Pin to top")
        onTriggered: root.chat.setPinned(root.conversationId, !root.pinned)
    }
    TcMenuItem {
        objectName: "menuMute"
        text: root.muted ? qsTr("Unmute notifications") : qsTr("Mute notifications")
        onTriggered: root.chat.setMuted(root.conversationId, !root.muted)
    }
    MenuSeparator {
        contentItem: Rectangle { implicitHeight: 1; color: Theme.border }
    }
    TcMenuItem {
        objectName: "menuDelete"
        danger: true
        text: qsTr("Delete from this device…")
        onTriggered: root.deleteRequested(root.conversationId, root.conversationTitle)
    }
}
