// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// Settings: appearance, privacy, notifications, passphrase, connection, about.
Popup {
    id: root
    readonly property var settings: SessionController.chat.settings
    modal: true
    focus: true
    padding: 0
    anchors.centerIn: Overlay.overlay
    width: Math.min(560, (parent ? parent.width : 560) - 48)
    height: Math.min(680, (parent ? parent.height : 680) - 48)
    background: Rectangle {
        color: Theme.surface
        radius: 16
        border.color: Theme.border
    }

    component SectionTitle: Label {
        color: Theme.accent
        font.pixelSize: Theme.smallFontSize
        font.weight: Font.Bold
        font.capitalization: Font.AllUppercase
        Layout.topMargin: 14
    }
    component SettingSwitch: Switch {
        id: sw
        Layout.fillWidth: true
        Accessible.name: text
        contentItem: Label {
            text: sw.text
            color: Theme.text
            leftPadding: sw.indicator.width + sw.spacing
            verticalAlignment: Text.AlignVCenter
            wrapMode: Text.Wrap
        }
    }

    contentItem: ColumnLayout {
        spacing: 0
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 16
            Label {
                text: qsTr("Settings")
                color: Theme.text
                font.pixelSize: 20
                font.weight: Font.DemiBold
                Layout.fillWidth: true
            }
            ToolButton {
                text: "✕"
                Accessible.name: qsTr("Close settings")
                onClicked: root.close()
            }
        }
        Rectangle { height: 1; color: Theme.border; Layout.fillWidth: true }
        ScrollView {
            id: scroll
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: availableWidth
            clip: true
            ColumnLayout {
                width: scroll.availableWidth - 40
                x: 20
                spacing: 6

                SectionTitle { text: qsTr("Profile") }
                RowLayout {
                    spacing: 12
                    Avatar {
                        initials: AppController.initials(SessionController.handle)
                        key: SessionController.handle
                        size: 40
                    }
                    Label {
                        text: "@" + SessionController.handle
                        color: Theme.text
                        font.pixelSize: Theme.titleFontSize
                        font.weight: Font.DemiBold
                    }
                }

                SectionTitle { text: qsTr("Appearance") }
                RowLayout {
                    spacing: 8
                    Repeater {
                        model: [qsTr("Follow system"), qsTr("Light"), qsTr("Dark")]
                        RadioButton {
                            required property int index
                            required property string modelData
                            objectName: "theme" + index
                            text: modelData
                            checked: root.settings.themeMode === index
                            Accessible.name: qsTr("Theme: %1").arg(modelData)
                            onClicked: root.settings.themeMode = index
                            contentItem: Label {
                                text: parent.text
                                color: Theme.text
                                leftPadding: parent.indicator.width + parent.spacing
                                verticalAlignment: Text.AlignVCenter
                            }
                        }
                    }
                }

                SectionTitle { text: qsTr("Privacy") }
                SettingSwitch {
                    objectName: "readReceiptsSwitch"
                    text: qsTr("Send read receipts")
                    checked: root.settings.readReceipts
                    onToggled: root.settings.readReceipts = checked
                }
                SettingSwitch {
                    text: qsTr("Send typing indicators")
                    checked: root.settings.typingIndicators
                    onToggled: root.settings.typingIndicators = checked
                }
                SettingSwitch {
                    text: qsTr("Show when I am online")
                    checked: root.settings.presence
                    onToggled: root.settings.presence = checked
                }

                SectionTitle { text: qsTr("Notifications") }
                SettingSwitch {
                    text: qsTr("Show sender and message in notifications")
                    checked: root.settings.notificationPreviews
                    onToggled: root.settings.notificationPreviews = checked
                }

                SectionTitle { text: qsTr("Passphrase") }
                TcTextField {
                    id: current
                    objectName: "currentPassphrase"
                    echoMode: TextInput.Password
                    placeholderText: qsTr("Current passphrase")
                    Accessible.name: placeholderText
                    Layout.fillWidth: true
                }
                TcTextField {
                    id: next
                    echoMode: TextInput.Password
                    placeholderText: qsTr("New passphrase")
                    Accessible.name: placeholderText
                    Layout.fillWidth: true
                }
                TcTextField {
                    id: repeated
                    echoMode: TextInput.Password
                    placeholderText: qsTr("New passphrase again")
                    Accessible.name: placeholderText
                    Layout.fillWidth: true
                    onAccepted: changeButton.clicked()
                }
                RowLayout {
                    Layout.fillWidth: true
                    Label {
                        text: root.settings.passphraseStatus
                        visible: text.length > 0
                        color: root.settings.passphraseOk ? Theme.live : root.settings.passphraseBusy ? Theme.textSecondary : Theme.danger
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Item { Layout.fillWidth: true; visible: root.settings.passphraseStatus.length === 0 }
                    TcButton {
                        id: changeButton
                        text: qsTr("Change passphrase")
                        enabled: !root.settings.passphraseBusy && current.text.length > 0 && next.text.length > 0
                        onClicked: {
                            root.settings.changePassphrase(current.text, next.text, repeated.text)
                            current.clear(); next.clear(); repeated.clear()
                        }
                    }
                }

                SectionTitle { text: qsTr("Plugins") }
                TcButton {
                    objectName: "openPluginsButton"
                    text: qsTr("Manage plugins…")
                    flat: true
                    onClicked: pluginsPage.open()
                    PluginsPage { id: pluginsPage; objectName: "pluginsPage" }
                }

                TcButton { objectName: "storageButton"; flat: true; text: qsTr("Storage and media…"); onClicked: Qt.createComponent("StoragePage.qml").createObject(root.parent).open() }
                SectionTitle { text: qsTr("Connection") }
                RowLayout {
                    spacing: 12
                    Layout.fillWidth: true
                    ConnectionIndicator { }
                    Label {
                        text: AppController.relayUrl.toString()
                        color: Theme.textSecondary
                        elide: Text.ElideMiddle
                        Layout.fillWidth: true
                    }
                }

                SectionTitle { text: qsTr("About") }
                Label {
                    text: qsTr("TenChat is free software (GPL-3.0-or-later). Messages are end-to-end encrypted; the relay only ever sees ciphertext.")
                    color: Theme.textSecondary
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                ColumnLayout {
                    objectName: "versions"
                    spacing: 2
                    Layout.fillWidth: true
                    Layout.bottomMargin: 20
                    Repeater {
                        model: root.settings.versions
                        delegate: RowLayout {
                            required property var modelData
                            Layout.fillWidth: true
                            Label {
                                text: modelData.name
                                color: Theme.text
                                Layout.preferredWidth: 190
                            }
                            Label {
                                text: modelData.version
                                color: Theme.textSecondary
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                        }
                    }
                }
            }
        }
    }
}
