// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import TenChat

// The composer with a stand-in for the ChatController: Enter sends,
// Shift+Enter adds a line, Esc cancels a reply or an edit.
TestCase {
    name: "Composer"
    when: windowShown
    visible: true // TestCase is hidden by default; the components need a visible parent
    width: 480
    height: 240

    component FakeChat: QtObject {
        property string replyToId
        property string editingId
        property string composeQuote
        property string draft
        property var sent: []
        property int cancels: 0
        // The plugins' slash commands: none here.
        property var plugins: ({
            commandNames: [],
            commandHint: "",
            commandSuggestions: function(text) { return [] },
            clearCommandHint: function() { }
        })
        function send(text) {
            if (text.trim().length === 0)
                return false
            sent = sent.concat([text])
            return true
        }
        function setDraftText(text) { draft = text }
        function cancelComposeMode() { replyToId = ""; editingId = ""; cancels += 1 }
    }
    Component { id: chatComponent; FakeChat { } }
    Component { id: composerComponent; Composer { width: 480 } }

    function makeComposer(chat) {
        const composer = createTemporaryObject(composerComponent, this, { chat: chat })
        verify(composer)
        composer.input.forceActiveFocus()
        tryVerify(() => composer.input.activeFocus)
        return composer
    }

    function test_enterSendsAndClears() {
        const chat = createTemporaryObject(chatComponent, this)
        const composer = makeComposer(chat)
        keyClick("H"); keyClick("i")
        compare(composer.input.text, "Hi")
        compare(chat.draft, "Hi")
        keyClick(Qt.Key_Return)
        compare(chat.sent, ["Hi"])
        compare(composer.input.text, "")
        keyClick(Qt.Key_Return) // nothing to send
        compare(chat.sent.length, 1)
    }

    function test_shiftEnterAddsLine() {
        const chat = createTemporaryObject(chatComponent, this)
        const composer = makeComposer(chat)
        keyClick("a")
        keyClick(Qt.Key_Return, Qt.ShiftModifier)
        keyClick("b")
        compare(composer.input.text, "a\nb")
        compare(chat.sent.length, 0)
        keyClick(Qt.Key_Enter)
        compare(chat.sent, ["a\nb"])
    }

    function test_escapeCancelsReplyAndEdit() {
        const chat = createTemporaryObject(chatComponent, this)
        chat.replyToId = "m1"
        chat.composeQuote = "the quoted message"
        const composer = makeComposer(chat)
        verify(composer.modeActive)
        const bar = findChild(composer, "composeModeBar")
        verify(bar.visible)
        keyClick("x")
        keyClick(Qt.Key_Escape)
        compare(chat.cancels, 1)
        verify(!composer.modeActive)
        verify(!bar.visible)
        compare(composer.input.text, "x") // a reply keeps the text

        chat.editingId = "m2"
        composer.input.text = "old text being edited"
        verify(composer.modeActive)
        keyClick(Qt.Key_Escape)
        compare(chat.cancels, 2)
        compare(composer.input.text, "") // an edit is abandoned
        keyClick(Qt.Key_Escape) // nothing active: not handled here
        compare(chat.cancels, 2)
    }

    function test_sendButtonIsNamedAndFollowsText() {
        const chat = createTemporaryObject(chatComponent, this)
        const composer = makeComposer(chat)
        const button = findChild(composer, "sendButton")
        compare(button.Accessible.name, "Send")
        verify(!button.enabled)
        keyClick("y")
        verify(button.enabled)
        mouseClick(button)
        compare(chat.sent, ["y"])
        compare(composer.input.Accessible.name, "Message")
    }
}
