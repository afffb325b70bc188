// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import TenChat

// A conversation row from fixture properties: the unread badge (hidden at
// zero, "99+" above 99, grey when muted) and the name screen readers hear.
TestCase {
    name: "ConversationDelegate"
    when: windowShown
    visible: true // TestCase is hidden by default; the components need a visible parent
    width: 320
    height: 80

    Component {
        id: rowComponent
        ConversationDelegate {
            width: 320
            conversationId: "c-alice"
            title: "Alice"
            preview: "See you tomorrow"
            previewSender: ""
            previewSenderName: ""
            timeText: "09:41"
            initials: "A"
            unreadCount: 0
            muted: false
            pinned: false
            conversationType: 0
            presence: 0
        }
    }

    function make(props) {
        const row = createTemporaryObject(rowComponent, this, props || {})
        verify(row)
        return row
    }

    function test_noBadgeWhenRead() {
        const row = make()
        verify(!findChild(row, "unreadBadge").visible)
        compare(row.Accessible.name, "Alice")
    }

    function test_badgeShowsCount() {
        const row = make({ unreadCount: 3 })
        verify(findChild(row, "unreadBadge").visible)
        compare(findChild(row, "unreadBadgeText").text, "3")
        compare(row.Accessible.name, "Alice, 3 unread")
        row.unreadCount = 0
        verify(!findChild(row, "unreadBadge").visible)
    }

    function test_badgeCapsAt99() {
        compare(findChild(make({ unreadCount: 150 }), "unreadBadgeText").text, "99+")
    }

    function test_mutedBadgeIsGrey() {
        const loud = findChild(make({ unreadCount: 2 }), "unreadBadge")
        const muted = findChild(make({ unreadCount: 2, muted: true }), "unreadBadge")
        verify(!Qt.colorEqual(loud.color, muted.color))
    }

    function test_clickActivates() {
        const row = make()
        let activated = 0
        row.activated.connect(() => activated += 1)
        mouseClick(row)
        compare(activated, 1)
    }
}
