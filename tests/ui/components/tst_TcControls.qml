// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import TenChat
import TenChat.Ui

// The app's basic controls name themselves for screen readers, and a
// disabled control is visibly dimmed in the light and the dark theme.
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
    Component { id: flatComponent; TcButton { text: "Cancel"; flat: true } }
    Component { id: iconComponent; TcIconButton { iconName: "close"; Accessible.name: "Close" } }
    Component { id: choiceComponent; TcChoiceButton { text: "Light"; selected: true } }

    function luminance(c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b }

    // Each theme: enabled and disabled controls side by side.
    function test_disabledControlsAreDimmed_data() {
        return [ { tag: "light", dark: false }, { tag: "dark", dark: true } ]
    }

    function test_disabledControlsAreDimmed(data) {
        const wasDark = AppController.darkTheme
        AppController.darkTheme = data.dark
        try {
            compare(Theme.dark, data.dark)
            const on = createTemporaryObject(buttonComponent, this, { x: 0, y: 0 })
            const off = createTemporaryObject(buttonComponent, this, { x: 0, y: 60, enabled: false })
            // The fill: grey instead of the accent, far apart in brightness.
            verify(!Qt.colorEqual(on.background.color, off.background.color))
            verify(Math.abs(luminance(on.background.color) - luminance(off.background.color)) > 0.15,
                   "disabled fill too close to the enabled one")
            verify(off.background.color.hslSaturation < 0.2, "a disabled button is grey, not the accent")
            verify(!Qt.colorEqual(on.contentItem.color, off.contentItem.color))
            // What is drawn, not only the properties: a pixel of each button's fill.
            waitForRendering(off)
            const onImage = grabImage(on)
            const offImage = grabImage(off)
            const onPixel = onImage.pixel(4, on.height / 2)
            const offPixel = offImage.pixel(4, off.height / 2)
            verify(Math.abs(luminance(onPixel) - luminance(offPixel)) > 0.15,
                   "rendered fills: " + onPixel + " vs " + offPixel)
            // The text of a disabled button stays readable on its fill, yet dimmer than enabled text.
            verify(Math.abs(luminance(off.contentItem.color) - luminance(off.background.color)) > 0.15)

            const flatOn = createTemporaryObject(flatComponent, this)
            const flatOff = createTemporaryObject(flatComponent, this, { enabled: false })
            verify(!Qt.colorEqual(flatOn.contentItem.color, flatOff.contentItem.color))
            verify(Math.abs(luminance(flatOn.contentItem.color) - luminance(flatOff.contentItem.color)) > 0.05
                   || flatOff.contentItem.color.hslSaturation < 0.2)

            const iconOn = createTemporaryObject(iconComponent, this)
            const iconOff = createTemporaryObject(iconComponent, this, { enabled: false })
            verify(!Qt.colorEqual(iconOn.icon.color, iconOff.icon.color))

            const choiceOn = createTemporaryObject(choiceComponent, this)
            const choiceOff = createTemporaryObject(choiceComponent, this, { enabled: false })
            verify(!Qt.colorEqual(choiceOn.background.color, choiceOff.background.color))
            verify(!Qt.colorEqual(choiceOn.contentItem.color, choiceOff.contentItem.color))

            const fieldOn = createTemporaryObject(fieldComponent, this)
            const fieldOff = createTemporaryObject(fieldComponent, this, { enabled: false })
            verify(!Qt.colorEqual(fieldOn.color, fieldOff.color))
            verify(!Qt.colorEqual(fieldOn.background.color, fieldOff.background.color))

            const checkOn = createTemporaryObject(checkComponent, this)
            const checkOff = createTemporaryObject(checkComponent, this, { enabled: false })
            verify(!Qt.colorEqual(checkOn.contentItem.color, checkOff.contentItem.color))
            verify(checkOff.indicator.opacity < checkOn.indicator.opacity)
        } finally {
            AppController.darkTheme = wasDark
        }
    }

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
