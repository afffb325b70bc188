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
        cacheBuffer: 800
        header: Item { height: 12 }
        footer: Item { height: 12 }
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Messages")
        ScrollBar.vertical: ScrollBar { }
        delegate: MessageBubble {
            width: ListView.view.width
            group: root.chat.currentIsGroup
        }

        function loadOlderIfNeeded() {
            // With BottomToTop the oldest rows are at the top of the content.
            if (count > 0 && contentY - originY < height)
                root.chat.timeline.fetchOlder()
        }
        onContentYChanged: loadOlderIfNeeded()
        onCountChanged: loadOlderIfNeeded()
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
        onClicked: list.positionViewAtBeginning()
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
}
