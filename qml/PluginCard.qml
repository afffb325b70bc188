// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Draws a plugin's declarative card (Card::toVariantMap()): title, text,
// images (attachments of the message, from the media image provider),
// fields with optional progress bars, and buttons whose action goes back to
// the plugin. Plugins never supply QML: only this component draws their data,
// as plain text. Without a plugin that renders the content type (or while it
// renders) the card shows the payload's plain-text fallback.
Rectangle {
    id: root
    property var card: ({})
    property string contentType: ""
    readonly property bool fallbackOnly: card.unsupported === true
    readonly property bool pending: card.pending === true
    signal buttonClicked(string plugin, string action)

    implicitWidth: 320
    implicitHeight: column.implicitHeight + 2 * Theme.spacing * 1.5
    radius: Theme.radius
    color: Theme.surface
    border.color: Theme.border
    border.width: 1
    Accessible.role: Accessible.Grouping
    Accessible.name: fallbackOnly ? qsTr("Message shown as plain text") : (card.title || qsTr("Card"))

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacing * 1.5
        spacing: Theme.spacing

        Label {
            objectName: "cardTitle"
            Layout.fillWidth: true
            visible: text.length > 0
            text: root.fallbackOnly ? "" : (root.card.title || "")
            textFormat: Text.PlainText
            font.pixelSize: Theme.titleFontSize
            font.weight: Font.DemiBold
            color: Theme.text
            wrapMode: Text.Wrap
        }
        Label {
            objectName: "cardText"
            Layout.fillWidth: true
            visible: text.length > 0
            text: root.fallbackOnly && (root.card.fallback || "").length > 0 ? root.card.fallback
                  : root.fallbackOnly ? qsTr("This message has content of type %1 that no enabled plugin can show.").arg(root.contentType)
                  : (root.card.text || "")
            textFormat: Text.PlainText
            font.pixelSize: Theme.fontSize
            color: root.fallbackOnly ? Theme.text : Theme.textSecondary
            wrapMode: Text.Wrap
        }
        // Images: attachments of this very message (validated by the host),
        // drawn from the media image provider (the encrypted thumbnail);
        // one picture spans the card, more go two to a row.
        Flow {
            id: imageFlow
            objectName: "cardImages"
            readonly property var images: root.fallbackOnly ? [] : (root.card.images || [])
            readonly property int perRow: images.length > 1 ? 2 : 1
            Layout.fillWidth: true
            visible: images.length > 0
            spacing: Theme.spacing / 2
            Repeater {
                model: imageFlow.images
                delegate: Rectangle {
                    required property var modelData
                    readonly property real aspect: modelData.width > 0 && modelData.height > 0
                                                   ? modelData.height / modelData.width : 0.75
                    width: Math.floor((imageFlow.width - imageFlow.spacing * (imageFlow.perRow - 1)) / imageFlow.perRow)
                    height: imageFlow.perRow === 1 ? Math.max(80, Math.min(280, width * aspect)) : Math.round(width * 0.75)
                    radius: 8
                    clip: true
                    color: Theme.surfaceAlt
                    Accessible.role: Accessible.Graphic
                    Accessible.name: modelData.alt || ""
                    Image {
                        objectName: "cardImage"
                        anchors.fill: parent
                        source: modelData.source || ""
                        sourceSize: Qt.size(parent.width * Screen.devicePixelRatio, parent.height * Screen.devicePixelRatio)
                        fillMode: Image.PreserveAspectCrop
                        asynchronous: true
                        smooth: true
                    }
                    Label {
                        visible: !(modelData.source)
                        anchors.centerIn: parent
                        width: parent.width - 16
                        horizontalAlignment: Text.AlignHCenter
                        text: "🖼 " + (modelData.name || "")
                        textFormat: Text.PlainText
                        elide: Text.ElideMiddle
                        color: Theme.textSecondary
                        font.pixelSize: Theme.smallFontSize
                    }
                }
            }
        }
        Repeater {
            model: root.card.fields || []
            delegate: ColumnLayout {
                required property var modelData
                Layout.fillWidth: true
                spacing: 3
                RowLayout {
                    Layout.fillWidth: true
                    Label {
                        Layout.fillWidth: true
                        text: modelData.label
                        textFormat: Text.PlainText
                        color: Theme.text
                        elide: Text.ElideRight
                    }
                    Label {
                        text: modelData.value
                        textFormat: Text.PlainText
                        color: Theme.textSecondary
                    }
                }
                Rectangle {
                    visible: modelData.progress >= 0
                    Layout.fillWidth: true
                    implicitHeight: 6
                    radius: 3
                    color: Theme.surfaceAlt
                    Accessible.role: Accessible.ProgressBar
                    Accessible.name: qsTr("%1: %2 percent").arg(modelData.label).arg(Math.round(modelData.progress * 100))
                    Rectangle {
                        width: parent.width * Math.max(0, Math.min(1, modelData.progress))
                        height: parent.height
                        radius: 3
                        color: Theme.accent
                    }
                }
            }
        }
        Flow {
            Layout.fillWidth: true
            spacing: Theme.spacing
            visible: !root.fallbackOnly && (root.card.buttons || []).length > 0
            Repeater {
                model: root.fallbackOnly ? [] : (root.card.buttons || [])
                delegate: TcButton {
                    id: cardButton
                    required property var modelData
                    objectName: "cardButton"
                    text: modelData.label
                    flat: true
                    leftPadding: 12
                    rightPadding: 12
                    topPadding: 6
                    bottomPadding: 6
                    Accessible.name: qsTr("%1 (card button)").arg(modelData.label)
                    onClicked: root.buttonClicked(root.card.plugin || "", modelData.action)
                    background: Rectangle {
                        radius: Theme.radius
                        color: cardButton.hovered ? Theme.hover : "transparent"
                        border.color: Theme.accent
                        border.width: 1
                    }
                }
            }
        }
        Label {
            textFormat: Text.PlainText
            objectName: "cardNote"
            Layout.fillWidth: true
            // Under a fallback text only: without one, the text above says it all.
            visible: root.fallbackOnly && (root.pending || (root.card.fallback || "").length > 0)
            text: root.pending ? qsTr("Loading the card…")
                               : qsTr("Shown as plain text: no enabled plugin draws this kind of message.")
            font.pixelSize: Theme.smallFontSize
            font.italic: true
            color: Theme.textSecondary
            wrapMode: Text.Wrap
        }
    }
}
