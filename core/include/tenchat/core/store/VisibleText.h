// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

struct sqlite3;

namespace tenchat::core::store {

// What of a message body a person reads: the text of a text message, the
// file name of a file message (whose body is the media manifest with its
// per-file key, which must never be searchable or shown in a preview), the
// plain-text fallback of a structured payload (a plugin's poll or card, or
// any content type this client does not know: a JSON object whose
// "fallback" string is what a client without the renderer shows). Never
// the JSON itself, its keys or the file manifests (with their keys) a
// card's attachments carry. Used by the full-text index (SQL function
// tenchat_visible_text, migrations 6 and 7), by conversation previews and
// by notifications.
class VisibleText {
public:
    // Content type of file messages (media::MediaManifest::kFileContentType).
    static constexpr const char* kFileContentType = "application/vnd.tenchat.file+json";
    // A local placeholder of a file still being uploaded (JSON with its name
    // and local path; never sent). Indexed like a file: by its name.
    static constexpr const char* kUploadContentType = "application/vnd.tenchat.upload+json";

    // The searchable text; a null QString for a null body. A file message
    // gives only its file name ("" if the manifest does not parse), a
    // structured payload its fallback text ("" when it has none).
    static QString of(const QString& contentType, const QString& body);
    // One line for the conversation list and notifications: "📎 name" for
    // files, the fallback text of a structured payload or, when it has none,
    // the label unsupportedLabel().
    static QString preview(const QString& contentType, const QString& body);
    // "Unsupported message" (translated): a structured payload without a
    // fallback text.
    static QString unsupportedLabel();
    // Text a person typed (text/plain, text/markdown; "" as text/plain):
    // its body is what a person reads.
    static bool isText(const QString& contentType);
    // Registers tenchat_visible_text(content_type, body) on a connection.
    static bool registerSqlFunction(sqlite3* db);
};

} // namespace tenchat::core::store
