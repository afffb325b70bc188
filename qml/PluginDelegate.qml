// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// One installed plugin on the plugins page: what it is and who vouches for
// it, the enabled switch, every capability it asked for (each revocable while
// granted, and "Grant again…" once revoked), its commands, its log and removal. All actions go to the
// PluginsController; this view only shows its model row.
Rectangle {
    id: root
    required property string name
    required property string title
    required property string version
    required property string description
    required property string signature
    required property string signatureText
    required property bool pluginEnabled
    required property bool pluginRunning
    required property string disabledReason
    required property var capabilities
    required property var commands
    required property string scopesText
    required property var controller
    readonly property bool logShown: controller.logPlugin === name
    signal removeRequested(string name, string title)

    implicitHeight: column.implicitHeight + 28
    radius: Theme.radius
    color: Theme.surface
    border.color: Theme.border
    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("Plugin %1").arg(title)

    ColumnLayout {
        id: column
        x: 14
        y: 14
        width: parent.width - 28
        spacing: 6

        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            ColumnLayout {
                spacing: 0
                Layout.fillWidth: true
                Label {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                    text: qsTr("%1 %2").arg(root.title).arg(root.version)
                    color: Theme.text
                    font.pixelSize: Theme.titleFontSize
                    font.weight: Font.DemiBold
                }
                Label {
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                    text: root.name
                    color: Theme.textSecondary
                    font.pixelSize: Theme.smallFontSize
                }
            }
            Label {
                textFormat: Text.PlainText
                text: !root.pluginEnabled ? qsTr("Off") : root.pluginRunning ? qsTr("Running") : qsTr("Not running")
                color: root.pluginRunning ? Theme.live : Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
            }
            TcSwitch {
                objectName: "enabledSwitch_" + root.name
                Layout.fillWidth: false
                checked: root.pluginEnabled
                Accessible.name: qsTr("Enable %1").arg(root.title)
                onToggled: root.controller.setEnabled(root.name, checked)
            }
        }
        RowLayout {
            spacing: 6
            Rectangle {
                width: 8
                height: 8
                radius: 4
                color: root.signature === "unsigned" ? Theme.warning : Theme.live
            }
            Label {
                textFormat: Text.PlainText
                text: root.signatureText
                color: root.signature === "unsigned" ? Theme.danger : Theme.textSecondary
                font.pixelSize: Theme.smallFontSize
            }
        }
        Label {
            textFormat: Text.PlainText
            text: root.description
            color: Theme.text
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            textFormat: Text.PlainText
            visible: root.disabledReason.length > 0
            text: qsTr("Stopped by TenChat: %1").arg(root.disabledReason)
            color: Theme.danger
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            textFormat: Text.PlainText
            text: qsTr("Permissions (%1)").arg(root.scopesText.toLowerCase())
            color: Theme.textSecondary
            font.pixelSize: Theme.smallFontSize
            font.weight: Font.DemiBold
            Layout.topMargin: 4
        }
        Repeater {
            model: root.capabilities
            delegate: RowLayout {
                required property var modelData
                Layout.fillWidth: true
                spacing: 8
                Label {
                    textFormat: Text.PlainText
                    text: (modelData.granted ? "✓ " : "✕ ") + modelData.text
                    color: modelData.granted ? Theme.text : Theme.textSecondary
                    font.strikeout: !modelData.granted
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                TcButton {
                    objectName: "revoke_" + root.name + "_" + modelData.name
                    visible: modelData.granted
                    flat: true
                    text: qsTr("Revoke")
                    topPadding: 4
                    bottomPadding: 4
                    Accessible.name: qsTr("Revoke: %1").arg(modelData.text)
                    onClicked: root.controller.revoke(root.name, modelData.name)
                }
                TcButton {
                    objectName: "grantAgain_" + root.name + "_" + modelData.name
                    visible: !modelData.granted
                    flat: true
                    text: qsTr("Grant again…")
                    topPadding: 4
                    bottomPadding: 4
                    Accessible.name: qsTr("Grant again: %1").arg(modelData.text)
                    onClicked: root.controller.reviewGrant(root.name, modelData.name)
                }
            }
        }
        Label {
            textFormat: Text.PlainText
            visible: root.commands.length > 0
            text: root.commands.join("\n")
            color: Theme.textSecondary
            font.pixelSize: Theme.smallFontSize
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.fillWidth: true
            TcButton {
                flat: true
                text: root.logShown ? qsTr("Hide log") : qsTr("Show log")
                Accessible.name: root.logShown ? qsTr("Hide the log of %1").arg(root.title)
                                               : qsTr("Show the log of %1").arg(root.title)
                onClicked: root.logShown ? root.controller.showLog("") : root.controller.showLog(root.name)
            }
            Item { Layout.fillWidth: true }
            TcButton {
                objectName: "remove_" + root.name
                flat: true
                text: qsTr("Remove…")
                Accessible.name: qsTr("Remove %1").arg(root.title)
                onClicked: root.removeRequested(root.name, root.title)
            }
        }
        Rectangle {
            objectName: "pluginLog"
            visible: root.logShown
            Layout.fillWidth: true
            implicitHeight: Math.min(logColumn.implicitHeight + 16, 200)
            radius: 6
            color: Theme.surfaceAlt
            clip: true
            Flickable {
                anchors.fill: parent
                anchors.margins: 8
                contentHeight: logColumn.implicitHeight
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: logColumn
                    width: parent.width
                    spacing: 2
                    Label {
                        textFormat: Text.PlainText
                        visible: root.controller.logEntries.length === 0
                        text: qsTr("Nothing logged since TenChat started.")
                        color: Theme.textSecondary
                        font.pixelSize: Theme.smallFontSize
                    }
                    Repeater {
                        model: root.logShown ? root.controller.logEntries : []
                        delegate: Label {
                            required property var modelData
                            Layout.fillWidth: true
                            text: modelData.time + "  " + modelData.level + "  " + modelData.text
                            textFormat: Text.PlainText
                            wrapMode: Text.Wrap
                            font.family: "monospace"
                            font.pixelSize: Theme.smallFontSize
                            color: modelData.level === "error" ? Theme.danger
                                   : modelData.level === "warning" ? Theme.warning : Theme.text
                        }
                    }
                }
            }
        }
    }
}
