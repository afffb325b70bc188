// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace tenchat::core::messaging {

// Settings keys (profile key-value store, "1"/"0", absent = on) of the
// user's privacy choices. The engine reads them before every receipt,
// typing or presence message; the desktop settings page writes the same keys.
struct PreferenceKeys {
    static constexpr const char* kReadReceipts = "pref.readReceipts";
    static constexpr const char* kTyping = "pref.typing";
    static constexpr const char* kPresence = "pref.presence";
};

} // namespace tenchat::core::messaging
