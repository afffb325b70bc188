// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// One message of the timeline: optional day separator, avatar and sender in
// groups, the bubble (reply quote, text or deleted/unsupported card, edited
// marker, time and delivery ticks) and reaction chips.
Item {
    id: root
    required property string messageId
    required property string body
    required property bool outgoing
    required property bool deleted
    required property bool edited
    required property int deliveryState
    required property var reactions
    required property string dayLabel
    required property bool showSender
    required property bool groupedWithOlder
    required property string senderName
    required property string initials
    required property string sender
    required property string timeText
    required property string replySender
    required property string replyBody
    required property bool unsupported
    required property string contentType
    required property string bodyHtml
    required property string replyTo
    required property bool unreadMarker
    required property var reactedByMe
    required property var card // structured content: the plugin's card or the plain-text fallback
    // "" for a message; "waiting" / "undecryptable": a group message this
    // device cannot read (yet), shown by UndecryptedNotice.
    required property string placeholder
    readonly property bool isPlaceholder: placeholder.length > 0
    property bool group: false
    // The ChatController (reply, retry, reactions), or a test's stand-in.
    required property var chat
    // A file or image (sent, received or still uploading): FileAttachment shows it.
    readonly property bool isFile: !deleted && !isPlaceholder && chat.media.isMediaType(contentType)
    // The view scrolls to the quoted message (TimelineView connects it).
    signal quoteClicked(string messageId)
    // Right-click: the view shows one shared menu for the message.
    signal menuRequested(var bubble)

    readonly property color bubbleText: outgoing ? Theme.bubbleOutgoingText : Theme.text
    readonly property color linkColor: outgoing ? "#ffffff" : Theme.accent
    readonly property color metaText: outgoing && !unsupported ? Qt.rgba(1, 1, 1, 0.75) : Theme.textSecondary
    readonly property var tickGlyphs: ["◷", "✓", "✓✓", "✓✓", "⚠"]
    readonly property var tickNames: [qsTr("Queued"), qsTr("Sent"), qsTr("Delivered"), qsTr("Read"), qsTr("Failed")]

    implicitHeight: column.implicitHeight + (groupedWithOlder ? 2 : 8)
    Accessible.role: Accessible.StaticText
    Accessible.name: (outgoing ? qsTr("You") : senderName) + ": "
                     + (deleted ? qsTr("Message deleted") : isFile ? qsTr("File")
                        : isPlaceholder ? notice.text : body)

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        spacing: 4

        Rectangle {
            visible: root.dayLabel.length > 0
            Layout.alignment: Qt.AlignHCenter
            Layout.topMargin: 10
            Layout.bottomMargin: 6
            height: 26
            width: dayText.implicitWidth + 24
            radius: 13
            color: Theme.daySeparator
            Text {
                id: dayText
                anchors.centerIn: parent
                text: root.dayLabel
                color: Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
                font.weight: Font.DemiBold
            }
        }

        RowLayout {
            objectName: "unreadMarker"
            visible: root.unreadMarker
            Layout.fillWidth: true
            Layout.topMargin: 8
            spacing: 10
            Rectangle { height: 1; color: Theme.accent; Layout.fillWidth: true }
            Label {
                text: qsTr("Unread messages")
                color: Theme.accent
                font.pixelSize: Theme.smallFontSize
                font.weight: Font.DemiBold
            }
            Rectangle { height: 1; color: Theme.accent; Layout.fillWidth: true }
        }

        RowLayout {
            spacing: 8
            Layout.fillWidth: true
            layoutDirection: root.outgoing ? Qt.RightToLeft : Qt.LeftToRight

            Item {
                visible: root.group && !root.outgoing
                Layout.preferredWidth: 32
                Layout.preferredHeight: 32
                Layout.alignment: Qt.AlignBottom
                Avatar {
                    visible: root.showSender
                    initials: root.initials
                    key: root.sender
                    size: 32
                }
            }

            Rectangle {
                id: bubble
                readonly property real maxWidth: Math.min(root.width * 0.7, 560)
                Layout.preferredWidth: Math.min(maxWidth, Math.max(content.implicitWidth, 80) + 24)
                Layout.preferredHeight: content.implicitHeight + 16
                radius: Theme.bubbleRadius
                color: root.deleted || root.unsupported || root.isPlaceholder ? "transparent"
                       : root.outgoing ? Theme.bubbleOutgoing : Theme.bubbleIncoming
                border.width: root.deleted || root.isPlaceholder ? 1 : 0
                border.color: Theme.border
                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: if (!root.deleted && !root.isPlaceholder) root.menuRequested(root)
                }
                TapHandler {
                    acceptedButtons: Qt.LeftButton
                    onDoubleTapped: if (!root.deleted && !root.isPlaceholder) root.chat.startReply(root.messageId)
                }

                ColumnLayout {
                    id: content
                    x: 12
                    y: 8
                    width: bubble.width - 24
                    spacing: 4

                    Label {
                        visible: root.showSender && !root.outgoing
                        text: root.senderName
                        color: Theme.avatarColor(root.sender)
                        font.pixelSize: Theme.smallFontSize + 1
                        font.weight: Font.DemiBold
                    }
                    Rectangle {
                        visible: root.replyBody.length > 0
                        Layout.fillWidth: true
                        implicitWidth: quote.implicitWidth + 16
                        implicitHeight: quote.implicitHeight + 10
                        radius: 6
                        color: root.outgoing ? Qt.rgba(1, 1, 1, 0.16) : Qt.rgba(0, 0, 0, Theme.dark ? 0.25 : 0.06)
                        Accessible.role: Accessible.Button
                        Accessible.name: qsTr("Show the quoted message")
                        MouseArea {
                            anchors.fill: parent
                            cursorShape: Qt.PointingHandCursor
                            onClicked: root.quoteClicked(root.replyTo)
                        }
                        Rectangle {
                            width: 3
                            height: parent.height
                            radius: 1.5
                            color: root.outgoing ? "#ffffff" : Theme.quoteBar
                        }
                        ColumnLayout {
                            id: quote
                            x: 10
                            y: 5
                            width: parent.width - 14
                            spacing: 1
                            Label {
                                text: root.replySender
                                visible: text.length > 0
                                color: root.outgoing ? "#ffffff" : Theme.quoteBar
                                font.pixelSize: Theme.smallFontSize
                                font.weight: Font.DemiBold
                            }
                            Label {
                                text: root.replyBody
                                color: root.bubbleText
                                opacity: 0.85
                                font.pixelSize: Theme.smallFontSize + 1
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                        }
                    }
                    PluginCard {
                        objectName: "pluginCard"
                        visible: root.unsupported
                        card: root.card || ({})
                        contentType: root.contentType
                        Layout.fillWidth: true
                        Layout.maximumWidth: bubble.maxWidth - 24
                        onButtonClicked: (plugin, action) => root.chat.plugins.cardAction(
                                             plugin, root.chat.currentConversationId, root.messageId, action)
                    }
                    UndecryptedNotice {
                        id: notice
                        objectName: "undecryptedNotice"
                        visible: root.isPlaceholder
                        kind: root.placeholder
                        senderName: root.senderName
                        note: root.chat.keyRequestNote || ""
                        Layout.fillWidth: true
                        Layout.maximumWidth: bubble.maxWidth - 24
                        onRequestAgain: root.chat.requestKeysAgain()
                    }
                    Label {
                        objectName: "tombstone"
                        visible: root.deleted
                        text: qsTr("🚫 Message deleted")
                        color: Theme.textSecondary
                        font.italic: true
                    }
                    Loader {
                        objectName: "fileAttachment"
                        active: root.isFile
                        visible: active
                        Layout.fillWidth: true
                        sourceComponent: FileAttachment {
                            messageId: root.messageId
                            contentType: root.contentType
                            body: root.body
                            outgoing: root.outgoing
                            maxWidth: bubble.maxWidth - 24
                            textColor: root.bubbleText
                            metaColor: root.metaText
                        }
                    }
                    Text {
                        id: bodyText
                        objectName: "messageBody"
                        // Markdown arrives as safe HTML from libcmark (no raw HTML,
                        // no images, nothing remote); plain messages skip rich text
                        // layout, which keeps opening a conversation fast.
                        readonly property bool rich: root.bodyHtml.indexOf("<") >= 0 || root.bodyHtml.indexOf("&") >= 0
                        visible: !root.deleted && !root.unsupported && !root.isFile && !root.isPlaceholder
                        // Links in the bubble's own colours (readable on the accent bubble too).
                        text: !rich ? root.body
                              : root.bodyHtml.indexOf("<a ") < 0 ? root.bodyHtml
                              : root.bodyHtml.replace(/<a href=/g, "<a style=\"color:" + root.linkColor + "\" href=")
                        textFormat: rich ? Text.RichText : Text.PlainText
                        wrapMode: Text.Wrap
                        color: root.bubbleText
                        font.pixelSize: Theme.fontSize
                        Layout.fillWidth: true
                        Layout.maximumWidth: bubble.maxWidth - 24
                        Accessible.role: Accessible.StaticText
                        Accessible.name: root.body
                        onLinkActivated: (link) => Qt.openUrlExternally(link)
                        HoverHandler {
                            enabled: bodyText.hoveredLink.length > 0
                            cursorShape: Qt.PointingHandCursor
                        }
                    }
                    RowLayout {
                        spacing: 4
                        Layout.alignment: Qt.AlignRight
                        Label {
                            objectName: "editedMarker"
                            visible: root.edited && !root.deleted
                            text: qsTr("edited")
                            color: root.metaText
                            font.pixelSize: Theme.smallFontSize - 1
                        }
                        Label {
                            text: root.timeText
                            color: root.metaText
                            font.pixelSize: Theme.smallFontSize - 1
                        }
                        Label {
                            objectName: "deliveryTick"
                            visible: root.outgoing && !root.deleted
                            text: root.tickGlyphs[root.deliveryState]
                            color: root.deliveryState === 4 ? Theme.danger
                                   : root.deliveryState === 3 ? "#9fe3ff" : root.metaText
                            font.pixelSize: Theme.smallFontSize - 1
                            font.weight: root.deliveryState === 4 ? Font.Bold : Font.Normal
                            Accessible.name: root.tickNames[root.deliveryState]
                            ToolTip.visible: tickMouse.containsMouse
                            ToolTip.text: root.deliveryState === 4 ? qsTr("Not sent. Click to try again.")
                                                                   : root.tickNames[root.deliveryState]
                            MouseArea {
                                id: tickMouse
                                anchors.fill: parent
                                hoverEnabled: true
                                cursorShape: root.deliveryState === 4 ? Qt.PointingHandCursor : Qt.ArrowCursor
                                onClicked: if (root.deliveryState === 4) {
                                    if (root.isFile) root.chat.media.retry(root.messageId)
                                    else root.chat.retry(root.messageId)
                                }
                            }
                        }
                    }
                }
            }
            Item { Layout.fillWidth: true }
        }

        Flow {
            visible: root.reactions.length > 0
            spacing: 4
            Layout.fillWidth: true
            Layout.leftMargin: root.group && !root.outgoing ? 40 : 0
            layoutDirection: root.outgoing ? Qt.RightToLeft : Qt.LeftToRight
            Repeater {
                model: root.reactions
                Rectangle {
                    required property var modelData
                    objectName: "reaction-" + modelData.emoji
                    readonly property bool mine: root.reactedByMe.indexOf(modelData.emoji) >= 0
                    height: 24
                    width: chip.implicitWidth + 14
                    radius: 12
                    color: mine ? Theme.selection : Theme.surface
                    border.color: mine ? Theme.accent : Theme.border
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("%1 reacted by %2").arg(modelData.emoji).arg(modelData.count)
                    MouseArea {
                        anchors.fill: parent
                        cursorShape: Qt.PointingHandCursor
                        onClicked: root.chat.toggleReaction(root.messageId, modelData.emoji)
                    }
                    Text {
                        id: chip
                        anchors.centerIn: parent
                        text: modelData.emoji + " " + modelData.count
                        color: Theme.text
                        font.pixelSize: Theme.smallFontSize
                    }
                }
            }
        }
    }
}
