// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/VisibleText.h"

#include <sqlcipher/sqlite3.h>

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace tenchat::core::store {

namespace {

// As core::plugins::Card::fallbackText: longer fallbacks are cut there too.
constexpr int kMaxFallbackLength = 4000;

bool isFile(const QString& contentType)
{
    return contentType == QLatin1String(VisibleText::kFileContentType)
        || contentType == QLatin1String(VisibleText::kUploadContentType);
}

QJsonObject objectOf(const QString& body)
{
    return QJsonDocument::fromJson(body.toUtf8()).object();
}

QString fileName(const QString& body)
{
    // The name only: never the key, chunk ids or anything else of the manifest.
    return objectOf(body).value(QStringLiteral("name")).toString(QStringLiteral(""));
}

QString fallbackText(const QString& body)
{
    // Only the "fallback" string: never another field, a key or the JSON.
    return objectOf(body).value(QStringLiteral("fallback")).toString(QStringLiteral("")).left(kMaxFallbackLength);
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
    if (VisibleText::isText(contentType)) {
        // Text messages pass through untouched (no copy through QString).
        sqlite3_result_value(context, argv[1]);
        return;
    }
    const QByteArray visible = VisibleText::of(contentType, text(argv[1])).toUtf8();
    sqlite3_result_text(context, visible.constData(), int(visible.size()), SQLITE_TRANSIENT);
}

} // namespace

bool VisibleText::isText(const QString& contentType)
{
    // Not any text/*: a plugin may declare text/vnd.x+json, a structured payload.
    return contentType.isEmpty() || contentType == QLatin1String("text/plain")
        || contentType == QLatin1String("text/markdown");
}

QString VisibleText::of(const QString& contentType, const QString& body)
{
    if (body.isNull())
        return {};
    if (isText(contentType))
        return body;
    return isFile(contentType) ? fileName(body) : fallbackText(body);
}

QString VisibleText::preview(const QString& contentType, const QString& body)
{
    if (body.isNull() || isText(contentType))
        return body;
    if (isFile(contentType))
        return QStringLiteral("📎 ") + fileName(body);
    const QString fallback = fallbackText(body).trimmed();
    return fallback.isEmpty() ? unsupportedLabel() : fallback;
}

QString VisibleText::unsupportedLabel()
{
    return QCoreApplication::translate("VisibleText", "Unsupported message");
}

bool VisibleText::registerSqlFunction(sqlite3* db)
{
    return sqlite3_create_function_v2(db, "tenchat_visible_text", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
               &sqlVisibleText, nullptr, nullptr, nullptr)
        == SQLITE_OK;
}

} // namespace tenchat::core::store
