// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QCoreApplication;

namespace tenchat::ui {

// Installs the UI's translation for the system language, else the English
// one, so plural strings read "1 file" / "3 files" rather than "file(s)".
// Returns whether a translation was installed.
bool installTranslations(QCoreApplication& app);

} // namespace tenchat::ui
