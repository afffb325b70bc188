// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

// Why something a person entered was refused or failed (the composer, the
// file dialog, a drop, a paste). The controllers report the kind with a
// translated sentence (ChatController::lastErrorKind and lastError), the
// chat page shows the sentence; nothing stored changes for refused input.
namespace InputError {
Q_NAMESPACE
QML_ELEMENT

enum Kind {
    None,
    EmptyMessage, // nothing but white space in the composer
    NoConversation, // no conversation open
    NotReady, // the profile's engine is not running yet
    FileNotLocal, // a URL that is not a local file
    FileMissing, // the file is gone (moved or deleted since it was picked)
    FileIsDirectory, // a folder
    FileUnreadable, // no permission, or not a regular file (device, pipe)
    ClipboardEmpty, // nothing (or only empty text) on the clipboard
    ClipboardUnsupported, // neither text, an image nor files
    ClipboardImageUnreadable, // image data that does not decode
    ClipboardImageNotSaved, // the pasted image could not be written to the profile's cache
    SendFailed, // the engine refused to queue the message
    EditFailed,
    TransferFailed, // an upload or a download failed
};
Q_ENUM_NS(Kind)

} // namespace InputError

} // namespace tenchat::ui
