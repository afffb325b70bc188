// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import TenChat.Ui

// The open conversation's messages, newest at the bottom. Older pages load
// when the view nears the top; a button jumps back to the latest message.
Item {
    id: root
    readonly property var chat: SessionController.chat
    property alias list: list
    // A quoted message to show once its page is loaded.
    property string pendingJump: ""
    property string highlightedId: ""

    // Scrolls to a message, loading older pages until it is there.
    function jumpTo(messageId) {
        const row = root.chat.timeline.rowOfId(messageId)
        if (row >= 0) {
            pendingJump = ""
            list.positionViewAtIndex(row, ListView.Center)
            highlightedId = messageId
            highlightTimer.restart()
        } else if (!root.chat.timeline.loading && !root.chat.timeline.canFetchOlder) {
            pendingJump = ""
        } else {
            pendingJump = messageId
            root.chat.timeline.fetchOlder()
        }
    }
    Timer {
        id: highlightTimer
        interval: 1500
        onTriggered: root.highlightedId = ""
    }
    Connections {
        target: root.chat
        // A newly opened conversation starts at its newest message.
        function onCurrentChanged() { list.followLatest = true; list.positionViewAtBeginning() }
        function onMessageSent() { list.positionViewAtBeginning() }
        function onJumpRequested(messageId) { list.followLatest = false; root.jumpTo(messageId) }
    }

    ListView {
        id: list
        objectName: "timeline"
        anchors.fill: parent
        anchors.leftMargin: 16
        anchors.rightMargin: 16
        model: root.chat.timeline
        verticalLayoutDirection: ListView.BottomToTop
        spacing: 0
        clip: true
        reuseItems: true
        cacheBuffer: 400
        header: Item { height: 12 }
        footer: Item { height: 12 }
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Messages")
        ScrollBar.vertical: ScrollBar { }
        delegate: MessageBubble {
            chat: root.chat
            width: ListView.view.width
            group: root.chat.currentIsGroup
            onQuoteClicked: (id) => root.jumpTo(id)
            onMenuRequested: (bubble) => menu.openFor(bubble)
            Rectangle {
                anchors.fill: parent
                visible: root.highlightedId === parent.messageId
                color: Theme.accent
                opacity: 0.12
                radius: 8
            }
        }
        // Stay on the newest message while the user is there (new messages,
        // the first page arriving); never move while they read older ones.
        property bool followLatest: true
        onMovementEnded: followLatest = atYEnd
        // Bubbles settle their height after creation (text layout): keep the
        // newest one fully in view meanwhile.
        onContentHeightChanged: if (followLatest) Qt.callLater(list.positionViewAtBeginning)
        onAtYEndChanged: if (atYEnd) followLatest = true

        function loadOlderIfNeeded() {
            // With BottomToTop the oldest rows are at the top of the content.
            if (count > 0 && contentY - originY < height)
                root.chat.timeline.fetchOlder()
        }
        onContentYChanged: loadOlderIfNeeded()
        onCountChanged: {
            if (followLatest)
                positionViewAtBeginning()
            if (root.pendingJump.length > 0)
                root.jumpTo(root.pendingJump)
            loadOlderIfNeeded()
        }
        onHeightChanged: loadOlderIfNeeded()
    }

    BusyIndicator {
        anchors.top: parent.top
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.topMargin: 8
        running: root.chat.timeline.loading
        visible: running
        width: 28
        height: 28
    }

    RoundButton {
        id: jump
        objectName: "jumpToLatest"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 16
        width: 40
        height: 40
        visible: !list.atYEnd && list.count > 0
        text: "↓"
        font.pixelSize: 18
        Accessible.name: qsTr("Jump to latest message")
        onClicked: { list.followLatest = true; list.positionViewAtBeginning() }
        background: Rectangle {
            radius: 20
            color: Theme.surface
            border.color: Theme.border
        }
        contentItem: Text {
            text: jump.text
            font: jump.font
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
        }
    }

    // One context menu for every bubble (created once, not per delegate).
    Menu {
        id: menu
        property string messageId: ""
        property bool outgoing: false
        property bool failed: false
        property bool unsupported: false
        property string body: ""
        readonly property var quickReactions: ["👍", "❤️", "😂", "😮", "😢", "🙏"]
        function openFor(bubble) {
            messageId = bubble.messageId
            outgoing = bubble.outgoing
            failed = bubble.deliveryState === 4
            unsupported = bubble.unsupported || bubble.isFile // no text to edit or copy
            body = bubble.body
            popup()
        }
        Row {
            leftPadding: 6
            rightPadding: 6
            spacing: 2
            Repeater {
                model: menu.quickReactions
                ToolButton {
                    required property string modelData
                    text: modelData
                    font.pixelSize: 18
                    Accessible.name: qsTr("React with %1").arg(modelData)
                    onClicked: { root.chat.toggleReaction(menu.messageId, modelData); menu.close() }
                }
            }
        }
        MenuSeparator { }
        MenuItem {
            text: qsTr("Reply")
            Accessible.name: text
            onTriggered: root.chat.startReply(menu.messageId)
        }
        MenuItem {
            text: qsTr("Edit")
            Accessible.name: text
            enabled: menu.outgoing && !menu.unsupported
            onTriggered: root.chat.startEdit(menu.messageId)
        }
        MenuItem {
            text: qsTr("Copy text")
            Accessible.name: text
            enabled: !menu.unsupported
            onTriggered: root.chat.copyToClipboard(menu.body)
        }
        MenuItem {
            text: qsTr("Send again")
            Accessible.name: text
            enabled: menu.outgoing && menu.failed
            onTriggered: root.chat.retry(menu.messageId)
        }
        MenuItem {
            text: qsTr("Delete for everyone")
            Accessible.name: text
            enabled: menu.outgoing
            onTriggered: root.chat.deleteForEveryone(menu.messageId)
        }
    }
}
