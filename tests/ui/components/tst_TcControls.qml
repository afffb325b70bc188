// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import TenChat

// The app's basic controls name themselves for screen readers.
TestCase {
    name: "TcControls"
    when: windowShown
    visible: true // TestCase is hidden by default; the components need a visible parent
    width: 300
    height: 200

    Component { id: buttonComponent; TcButton { text: "Send now" } }
    Component { id: namedButton; TcButton { text: "✕"; Accessible.name: "Close settings" } }
    Component { id: fieldComponent; TcTextField { placeholderText: "Search conversations" } }
    Component { id: checkComponent; TcCheckBox { text: "Remember on this device" } }
    Component { id: radioComponent; TcRadioButton { text: "Dark" } }

    function test_buttonNameIsItsText() {
        const button = createTemporaryObject(buttonComponent, this)
        compare(button.Accessible.name, "Send now")
        button.text = "Sending…"
        compare(button.Accessible.name, "Sending…")
    }

    function test_iconButtonKeepsItsOwnName() {
        const button = createTemporaryObject(namedButton, this)
        compare(button.Accessible.name, "Close settings")
    }

    function test_textFieldNameIsItsPlaceholder() {
        const field = createTemporaryObject(fieldComponent, this)
        compare(field.Accessible.name, "Search conversations")
    }

    function test_checkAndRadioAreNamedAndToggle() {
        const check = createTemporaryObject(checkComponent, this)
        compare(check.Accessible.name, "Remember on this device")
        verify(!check.checked)
        mouseClick(check)
        verify(check.checked)
        const radio = createTemporaryObject(radioComponent, this)
        compare(radio.Accessible.name, "Dark")
        mouseClick(radio)
        verify(radio.checked)
    }
}
