// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// Settings: profile, devices, appearance, privacy, notifications, passphrase,
// connection, about. The sheet scrolls, so every section stays reachable in a
// small window.
Popup {
    id: root
    readonly property var settings: SessionController.chat.settings
    modal: true
    focus: true
    padding: 0
    anchors.centerIn: Overlay.overlay
    width: Math.min(560, (parent ? parent.width : 560) - 48)
    height: Math.min(680, (parent ? parent.height : 680) - 48)
    onOpened: SessionController.devices.refresh()

    // Scrolls the sheet so that `item` (inside it) is fully visible.
    function reveal(item) {
        const top = item.mapToItem(column, 0, 0).y
        if (top < scroll.contentY)
            scroll.contentY = Math.max(0, top - 12)
        else if (top + item.height > scroll.contentY + scroll.height)
            scroll.contentY = Math.min(top + item.height + 12 - scroll.height, scroll.contentHeight - scroll.height)
    }
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
                id: closeButton
                text: "✕"
                Accessible.name: qsTr("Close settings")
                onClicked: root.close()
                contentItem: Text {
                    text: closeButton.text
                    color: Theme.textSecondary
                    font.pixelSize: Theme.titleFontSize
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }
                background: Rectangle {
                    implicitWidth: 36
                    implicitHeight: 36
                    radius: 18
                    color: closeButton.down || closeButton.hovered ? Theme.hover : "transparent"
                    border.width: closeButton.visualFocus ? 2 : 0
                    border.color: Theme.accent
                }
            }
        }
        Rectangle { height: 1; color: Theme.border; Layout.fillWidth: true }
        // A Flickable sized by its column (a ScrollView guessed the content
        // height and cut off the end of the sheet).
        Flickable {
            id: scroll
            objectName: "settingsScroll"
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: width
            contentHeight: column.implicitHeight + 24
            boundsBehavior: Flickable.StopAtBounds
            clip: true
            ScrollBar.vertical: ScrollBar { policy: scroll.contentHeight > scroll.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded }
            ColumnLayout {
                id: column
                width: scroll.width - 40
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

                SectionTitle { text: qsTr("Devices") }
                DevicesSection {
                    objectName: "devicesSection"
                    devices: SessionController.devices
                    Layout.fillWidth: true
                }

                SectionTitle { text: qsTr("Appearance") }
                Flow {
                    spacing: 8
                    Layout.fillWidth: true
                    Repeater {
                        model: [qsTr("Follow system"), qsTr("Light"), qsTr("Dark")]
                        TcRadioButton {
                            required property int index
                            required property string modelData
                            objectName: "theme" + index
                            text: modelData
                            checked: root.settings.themeMode === index
                            Accessible.name: qsTr("Theme: %1").arg(modelData)
                            onClicked: root.settings.themeMode = index
                        }
                    }
                }

                SectionTitle { text: qsTr("Privacy") }
                TcSwitch {
                    objectName: "readReceiptsSwitch"
                    text: qsTr("Send read receipts")
                    checked: root.settings.readReceipts
                    onToggled: root.settings.readReceipts = checked
                }
                TcSwitch {
                    text: qsTr("Send typing indicators")
                    checked: root.settings.typingIndicators
                    onToggled: root.settings.typingIndicators = checked
                }
                TcSwitch {
                    text: qsTr("Show when I am online")
                    checked: root.settings.presence
                    onToggled: root.settings.presence = checked
                }

                SectionTitle { text: qsTr("Notifications") }
                TcSwitch {
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
                    // Typing here scrolls the field into view (small windows).
                    onActiveFocusChanged: if (activeFocus) root.reveal(this)
                    Accessible.name: placeholderText
                    Layout.fillWidth: true
                }
                TcTextField {
                    id: next
                    echoMode: TextInput.Password
                    placeholderText: qsTr("New passphrase")
                    onActiveFocusChanged: if (activeFocus) root.reveal(this)
                    Accessible.name: placeholderText
                    Layout.fillWidth: true
                }
                TcTextField {
                    id: repeated
                    echoMode: TextInput.Password
                    placeholderText: qsTr("New passphrase again")
                    onActiveFocusChanged: if (activeFocus) root.reveal(this)
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
                        objectName: "changePassphraseButton"
                        text: qsTr("Change passphrase")
                        enabled: !root.settings.passphraseBusy && current.text.length > 0 && next.text.length > 0
                        onClicked: {
                            root.settings.changePassphrase(current.text, next.text, repeated.text)
                            current.clear(); next.clear(); repeated.clear()
                        }
                    }
                }

                RowLayout {
                    visible: SessionController.passphraseRemembered
                    spacing: 8
                    Layout.fillWidth: true
                    Layout.topMargin: 6
                    Label {
                        text: qsTr("The passphrase is remembered in this computer's keychain.")
                        color: Theme.textSecondary
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    TcButton {
                        objectName: "forgetPassphraseButton"
                        flat: true
                        text: qsTr("Forget")
                        Accessible.name: qsTr("Forget the remembered passphrase")
                        onClicked: SessionController.forgetPassphrase()
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
