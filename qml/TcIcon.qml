// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls.impl

// A monochrome icon from icons/ drawn in a theme colour (light and dark).
IconImage {
    property string iconName: ""
    property int size: 16
    source: iconName.length > 0 ? "qrc:/qt/qml/TenChat/icons/" + iconName + ".svg" : ""
    sourceSize.width: size
    sourceSize.height: size
    width: size
    height: size
    color: Theme.textSecondary
}
