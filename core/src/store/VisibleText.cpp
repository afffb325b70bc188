// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/VisibleText.h"

#include <sqlcipher/sqlite3.h>

#include <QJsonDocument>
#include <QJsonObject>

namespace tenchat::core::store {

namespace {

bool isFile(const QString& contentType)
{
    return contentType == QLatin1String(VisibleText::kFileContentType)
        || contentType == QLatin1String(VisibleText::kUploadContentType);
}

// Text a person typed: shown and indexed as it is.
bool isText(const QString& contentType)
{
    return contentType.isEmpty() || contentType == QLatin1String("text/plain")
        || contentType == QLatin1String("text/markdown");
}

// A structured payload (a plugin's content type, docs/plugins.md): only its
// plain-text "fallback" is readable text. The rest is data, and may hold file
// manifests with their keys (card images from attachments).
QString fallbackOf(const QString& body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body.toUtf8());
    return doc.isObject() ? doc.object().value(QStringLiteral("fallback")).toString(QStringLiteral(""))
                          : QStringLiteral("");
}

QString fileName(const QString& body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body.toUtf8());
    // The name only: never the key, chunk ids or anything else of the manifest.
    return doc.isObject() ? doc.object().value(QStringLiteral("name")).toString(QStringLiteral(""))
                          : QStringLiteral("");
}

void sqlVisibleText(sqlite3_context* context, int argc, sqlite3_value** argv)
{
    if (argc != 2 || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    const auto text = [](sqlite3_value* value) {
        const auto* data = reinterpret_cast<const char*>(sqlite3_value_text(value));
        return data ? QString::fromUtf8(data, sqlite3_value_bytes(value)) : QString();
    };
    const QString contentType = text(argv[0]);
    if (isText(contentType)) {
        // Text messages pass through untouched (no copy through QString).
        sqlite3_result_value(context, argv[1]);
        return;
    }
    const QByteArray visible = VisibleText::of(contentType, text(argv[1])).toUtf8();
    sqlite3_result_text(context, visible.constData(), int(visible.size()), SQLITE_TRANSIENT);
}

} // namespace

QString VisibleText::of(const QString& contentType, const QString& body)
{
    if (body.isNull())
        return {};
    if (isText(contentType))
        return body;
    return isFile(contentType) ? fileName(body) : fallbackOf(body);
}

QString VisibleText::preview(const QString& contentType, const QString& body)
{
    if (isText(contentType) || body.isNull())
        return body;
    return isFile(contentType) ? QStringLiteral("📎 ") + fileName(body) : fallbackOf(body);
}

bool VisibleText::registerSqlFunction(sqlite3* db)
{
    return sqlite3_create_function_v2(db, "tenchat_visible_text", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
               &sqlVisibleText, nullptr, nullptr, nullptr)
        == SQLITE_OK;
}

} // namespace tenchat::core::store
