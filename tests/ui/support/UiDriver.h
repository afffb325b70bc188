// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AppWindow.h"

#include <QList>
#include <QQuickItem>
#include <QString>
#include <QUrl>

namespace tenchat::ui {
class ChatController;
}

// What the UI tests that drive real windows share: finding and clicking
// items of the scene, the first-run sign-up of the end-to-end tests, and
// the fixture profile of the screenshot tests (tests/ui/support).
namespace tenchat::testing {

// How long a step through the real relay may take on a loaded CI machine.
constexpr int kNetworkTimeoutMs = 45000;
// The passphrase the end-to-end tests sign up with.
inline constexpr const char* kSignUpPassphrase = "Seven bright Lanterns 42";

// Every item of the window's scene, popups and view delegates included
// (delegates have no QObject parent, so findChild() misses them).
QList<QQuickItem*> sceneItems(AppWindow& app);
QList<QQuickItem*> itemsNamed(AppWindow& app, const QString& name);
// The first visible item with this objectName, or nullptr.
QQuickItem* visibleItem(AppWindow& app, const char* name);
// A real mouse click on the centre of a visible item, once laid out (a
// menu entry: once its menu is open).
void click(AppWindow& app, QQuickItem* item, Qt::MouseButton button = Qt::LeftButton);
// The same on the visible, enabled item with this objectName (waits for it).
void click(AppWindow& app, const char* name);

// The body of the newest message of the open conversation ("" when none).
QString newestBody(ui::ChatController* chat);

// Signs up on the first-run screen (the relay field preset to `relay`, as
// `tenchat --relay URL` does) and waits until the engine is live.
void signUp(AppWindow& app, const QString& handle, const QUrl& relay);

// What desktop_main sets up before the first window (Basic style, the
// embedded plural forms) and the relay the first-run screen proposes.
void prepareAppLike(const QUrl& relay);
// The screenshot tests' set-up: Basic style as desktop_main, a relay that
// never answers (the connection state shows offline, deterministically),
// and the fixture profile created in `dir`. Returns "" or the error.
QString prepareScreenshotFixture(const QString& dir);
// Unlocks the fixture profile and waits for its conversations.
void unlockFixture(AppWindow& app);

} // namespace tenchat::testing
