// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

struct sqlite3;

namespace tenchat::core::store {

// What of a message body a person reads: the text of a text message, the
// file name of a file message (whose body is the media manifest with its
// per-file key, which must never be searchable or shown in a preview), the
// plain-text "fallback" of a structured (plugin) payload, whose attachments
// carry such manifests too.
// Used by the full-text index (SQL function tenchat_visible_text, see
// migration 6) and by conversation previews.
class VisibleText {
public:
    // Content type of file messages (media::MediaManifest::kFileContentType).
    static constexpr const char* kFileContentType = "application/vnd.tenchat.file+json";
    // A local placeholder of a file still being uploaded (JSON with its name
    // and local path; never sent). Indexed like a file: by its name.
    static constexpr const char* kUploadContentType = "application/vnd.tenchat.upload+json";

    // The searchable text; a null QString for a null body. A file message
    // gives only its file name ("" if the manifest does not parse).
    static QString of(const QString& contentType, const QString& body);
    // One line for the conversation list: "📎 name" for files.
    static QString preview(const QString& contentType, const QString& body);
    // Registers tenchat_visible_text(content_type, body) on a connection.
    static bool registerSqlFunction(sqlite3* db);
};

} // namespace tenchat::core::store
