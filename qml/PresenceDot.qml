// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import TenChat.Ui

// The contact's coarse presence on an avatar's corner: green online,
// amber away, nothing when offline or unknown. A ring in the background
// colour keeps it apart from the avatar.
Rectangle {
    id: root
    property int presence: ConversationFilterModel.Unknown
    property color ring: Theme.background
    visible: presence === ConversationFilterModel.Online || presence === ConversationFilterModel.Away
    width: 14
    height: 14
    radius: 7
    color: presence === ConversationFilterModel.Away ? Theme.warning : Theme.live
    border.width: 2
    border.color: ring
    Accessible.role: Accessible.Indicator
    Accessible.name: presence === ConversationFilterModel.Away ? qsTr("Away") : qsTr("Online")
}
