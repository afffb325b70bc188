// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Draws a plugin's declarative card (Card::toVariantMap()): title, text,
// fields with optional progress bars, and buttons. Plugins never supply QML:
// only this component draws their data, as plain text. An unsupported card
// shows the payload's plain-text fallback.
Rectangle {
    id: root
    property var card: ({})
    signal buttonClicked(string plugin, string action)

    implicitWidth: 320
    implicitHeight: column.implicitHeight + 2 * Theme.spacing * 1.5
    radius: Theme.radius
    color: Theme.surface
    border.color: Theme.border
    border.width: 1
    Accessible.role: Accessible.Grouping
    Accessible.name: card.title || ""

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacing * 1.5
        spacing: Theme.spacing

        Label {
            Layout.fillWidth: true
            visible: text.length > 0
            text: root.card.title || ""
            textFormat: Text.PlainText
            font.pixelSize: Theme.titleFontSize
            font.weight: Font.DemiBold
            color: root.card.unsupported ? Theme.textSecondary : Theme.text
            wrapMode: Text.Wrap
        }
        Label {
            Layout.fillWidth: true
            visible: text.length > 0
            text: root.card.text || ""
            textFormat: Text.PlainText
            font.pixelSize: Theme.fontSize
            color: Theme.textSecondary
            wrapMode: Text.Wrap
        }
        Repeater {
            model: root.card.fields || []
            delegate: ColumnLayout {
                required property var modelData
                Layout.fillWidth: true
                spacing: 2
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
            visible: (root.card.buttons || []).length > 0
            Repeater {
                model: root.card.buttons || []
                delegate: TcButton {
                    required property var modelData
                    text: modelData.label
                    flat: true
                    onClicked: root.buttonClicked(root.card.plugin || "", modelData.action)
                }
            }
        }
    }
}
