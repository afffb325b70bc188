// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TenChat.Ui

// Settings › Storage and media: what this profile keeps on disk (downloaded
// files and the cache of pasted images), clearing it, and the size up to
// which received images download by themselves.
Popup {
    id: root
    objectName: "storagePage"
    readonly property var media: SessionController.chat.media
    // "3 files, 4.2 MB": the count with its plural forms, the size in decimal units.
    readonly property string summary: qsTr("%n file(s), %1", "", media.storageFiles).arg(media.humanSize(media.storageBytes))
    // Opened from the settings page with createObject(): gone when closed.
    property bool destroyOnClose: true
    modal: true
    focus: true
    padding: 0
    anchors.centerIn: Overlay.overlay
    width: Math.min(480, (parent ? parent.width : 480) - 48)
    height: Math.min(420, (parent ? parent.height : 420) - 48)
    background: Rectangle {
        color: Theme.surface
        radius: 16
        border.color: Theme.border
    }
    onOpened: root.media.refreshStorage()
    onClosed: if (destroyOnClose) root.destroy()

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
                text: qsTr("Storage and media")
                color: Theme.text
                font.pixelSize: 20
                font.weight: Font.DemiBold
                Layout.fillWidth: true
            }
            ToolButton {
                text: "✕"
                Accessible.name: qsTr("Close storage settings")
                onClicked: root.close()
            }
        }
        Rectangle { height: 1; color: Theme.border; Layout.fillWidth: true }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.leftMargin: 20
            Layout.rightMargin: 20
            spacing: 8

            SectionTitle { text: qsTr("On this device") }
            RowLayout {
                spacing: 10
                Layout.fillWidth: true
                Label {
                    objectName: "storageSummary"
                    text: root.summary
                    color: Theme.text
                    font.pixelSize: Theme.titleFontSize
                    font.weight: Font.DemiBold
                    Layout.fillWidth: true
                }
                BusyIndicator {
                    running: root.media.storageBusy
                    visible: running
                    Layout.preferredWidth: 24
                    Layout.preferredHeight: 24
                }
            }
            Label {
                text: qsTr("Downloaded files and images, and pasted images waiting in the cache. Messages stay; their files can be downloaded again while the relay keeps them.")
                color: Theme.textSecondary
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            TcButton {
                objectName: "clearStorageButton"
                text: qsTr("Clear downloaded media…")
                enabled: root.media.storageFiles > 0 && !root.media.storageBusy
                onClicked: confirm.open()
            }

            SectionTitle { text: qsTr("Automatic download") }
            RowLayout {
                spacing: 10
                Layout.fillWidth: true
                Label {
                    text: qsTr("Download received images up to")
                    color: Theme.text
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                SpinBox {
                    objectName: "autoDownloadLimit"
                    from: 0
                    to: 2048
                    editable: true
                    value: root.media.autoDownloadLimitMb
                    Accessible.name: qsTr("Automatic download limit in megabytes")
                    onValueModified: root.media.autoDownloadLimitMb = value
                }
                Label {
                    text: qsTr("MB")
                    color: Theme.textSecondary
                }
            }
            Label {
                text: root.media.autoDownloadLimitMb === 0 ? qsTr("Off: every file waits until you download it.")
                                                          : qsTr("Larger images and other files wait until you download them.")
                color: Theme.textSecondary
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Item { Layout.fillHeight: true }
        }
    }

    Dialog {
        id: confirm
        objectName: "clearStorageConfirm"
        anchors.centerIn: parent
        modal: true
        title: qsTr("Clear downloaded media?")
        standardButtons: Dialog.Cancel | Dialog.Discard
        Label {
            text: qsTr("%1 will be removed from this device.").arg(root.summary)
            wrapMode: Text.Wrap
            width: 300
        }
        Component.onCompleted: standardButton(Dialog.Discard).text = qsTr("Clear")
        onDiscarded: { root.media.clearStorage(); close() }
    }
}
