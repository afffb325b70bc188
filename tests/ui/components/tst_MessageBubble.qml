// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import TenChat

// A message bubble made from fixture properties: the delivery tick of each
// state (queued, sent, delivered, read, failed), the edited marker, the
// tombstone of a deleted message; a failed tick retries; a group message
// that cannot be read yet shows its placeholder ("Request again" asks).
TestCase {
    name: "MessageBubble"
    when: windowShown
    visible: true // TestCase is hidden by default; the components need a visible parent
    width: 500
    height: 300

    QtObject {
        id: fakeChat
        property var retried: []
        property var toggled: []
        property int keyRequests: 0
        property string keyRequestNote: ""
        function requestKeysAgain() { keyRequests += 1 }
        property var media: ({ isMediaType: function(type) { return false } })
        function retry(id) { retried = retried.concat([id]) }
        function startReply(id) { }
        function toggleReaction(id, emoji) { toggled = toggled.concat([emoji]) }
    }
    Component {
        id: bubbleComponent
        MessageBubble {
            width: 500
            chat: fakeChat
            messageId: "m1"
            body: "Hello there"
            bodyHtml: "Hello there"
            outgoing: true
            deleted: false
            edited: false
            deliveryState: 0
            reactions: []
            reactedByMe: []
            dayLabel: ""
            showSender: false
            groupedWithOlder: false
            senderName: "Sam"
            initials: "S"
            sender: "5e1f"
            timeText: "09:41"
            replySender: ""
            replyBody: ""
            replyTo: ""
            unsupported: false
            contentType: "text"
            unreadMarker: false
            card: null
            placeholder: ""
        }
    }

    function make(props) {
        const bubble = createTemporaryObject(bubbleComponent, this, props || {})
        verify(bubble)
        return bubble
    }

    function test_ticks_data() {
        return [
            { tag: "queued", state: 0, glyph: "◷", name: "Queued" },
            { tag: "sent", state: 1, glyph: "✓", name: "Sent" },
            { tag: "delivered", state: 2, glyph: "✓✓", name: "Delivered" },
            { tag: "read", state: 3, glyph: "✓✓", name: "Read" },
            { tag: "failed", state: 4, glyph: "⚠", name: "Failed" },
        ]
    }
    function test_ticks(data) {
        const bubble = make({ deliveryState: data.state })
        const tick = findChild(bubble, "deliveryTick")
        verify(tick.visible)
        compare(tick.text, data.glyph)
        compare(tick.Accessible.name, data.name)
    }

    function test_readDiffersFromDelivered() {
        const delivered = findChild(make({ deliveryState: 2 }), "deliveryTick")
        const read = findChild(make({ deliveryState: 3 }), "deliveryTick")
        verify(!Qt.colorEqual(delivered.color, read.color))
    }

    function test_failedTickRetries() {
        const bubble = make({ deliveryState: 4 })
        mouseClick(findChild(bubble, "deliveryTick"))
        compare(fakeChat.retried, ["m1"])
    }

    function test_incomingHasNoTick() {
        const bubble = make({ outgoing: false })
        verify(!findChild(bubble, "deliveryTick").visible)
    }

    function test_editedMarker() {
        verify(!findChild(make(), "editedMarker").visible)
        const edited = make({ edited: true })
        verify(findChild(edited, "editedMarker").visible)
        compare(findChild(edited, "editedMarker").text, "edited")
    }

    function test_tombstone() {
        const bubble = make({ deleted: true, edited: true, body: "" })
        verify(findChild(bubble, "tombstone").visible)
        verify(!findChild(bubble, "messageBody").visible)
        verify(!findChild(bubble, "editedMarker").visible)
        verify(!findChild(bubble, "deliveryTick").visible)
        compare(bubble.Accessible.name, "You: Message deleted")
        verify(!findChild(make(), "tombstone").visible)
    }

    function test_waitingPlaceholder() {
        const bubble = make({ outgoing: false, body: "", placeholder: "waiting", senderName: "Alice" })
        const notice = findChild(bubble, "undecryptedNotice")
        verify(notice.visible)
        verify(!findChild(bubble, "messageBody").visible)
        verify(!findChild(bubble, "deliveryTick").visible)
        compare(findChild(bubble, "undecryptedText").text,
                "Waiting for this message. It will appear when Alice's device shares its key.")
        compare(bubble.Accessible.name, "Alice: Waiting for this message. It will appear when Alice's device shares its key.")
        verify(!findChild(bubble, "keyRequestNote").visible)
        mouseClick(findChild(bubble, "requestKeyAgain"))
        compare(fakeChat.keyRequests, 1)
        fakeChat.keyRequestNote = "Asked again."
        verify(findChild(bubble, "keyRequestNote").visible)
        fakeChat.keyRequestNote = ""
    }

    function test_undecryptablePlaceholder() {
        const bubble = make({ outgoing: false, body: "", placeholder: "undecryptable", senderName: "Alice" })
        verify(findChild(bubble, "undecryptedNotice").visible)
        compare(findChild(bubble, "undecryptedText").text, "This message could not be decrypted.")
        verify(!findChild(bubble, "requestKeyAgain").visible)
        verify(!findChild(make(), "undecryptedNotice").visible)
    }

    function test_reactionChip() {
        const bubble = make({ reactions: [{ emoji: "👍", count: 2 }], reactedByMe: ["👍"] })
        const chip = findChild(bubble, "reaction-👍")
        verify(chip)
        compare(chip.Accessible.name, "👍 reacted by 2")
        mouseClick(chip)
        compare(fakeChat.toggled, ["👍"])
    }
}
