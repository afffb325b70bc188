// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/KeyValueRepository.h"

#include "tenchat/core/store/Database.h"

namespace tenchat::core::store {

#define TRY(expr)                                                                                                      \
    if (auto result_ = (expr); !result_)                                                                               \
        return makeUnexpected(std::move(result_).error());

StoreExpected<std::optional<QByteArray>> KeyValueRepository::blobQuery(
    const std::string& sql, const QString& a, const QString& b)
{
    auto stmt = db_.cached(sql);
    TRY(stmt);
    (*stmt)->bind(1, a);
    if (!b.isNull())
        (*stmt)->bind(2, b);
    return (*stmt)->first<QByteArray>([](const Statement& s) { return s.blob(0); });
}

StoreOk KeyValueRepository::setSetting(const QString& key, const QByteArray& value)
{
    TRY(db_.run("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", key, value));
    return {};
}

StoreExpected<std::optional<QByteArray>> KeyValueRepository::setting(const QString& key)
{
    return blobQuery("SELECT value FROM settings WHERE key = ?", key, QString());
}

StoreOk KeyValueRepository::setPluginState(const QString& pluginId, const QString& key, const QByteArray& value)
{
    TRY(db_.run("INSERT OR REPLACE INTO plugin_state (plugin_id, key, value) VALUES (?, ?, ?)", pluginId, key, value));
    return {};
}

StoreExpected<std::optional<QByteArray>> KeyValueRepository::pluginState(const QString& pluginId, const QString& key)
{
    return blobQuery("SELECT value FROM plugin_state WHERE plugin_id = ? AND key = ?", pluginId, key);
}

StoreOk KeyValueRepository::clearPluginState(const QString& pluginId)
{
    TRY(db_.run("DELETE FROM plugin_state WHERE plugin_id = ?", pluginId));
    return {};
}

StoreOk KeyValueRepository::advanceCursor(const QString& stream, qint64 position, qint64 at)
{
    TRY(db_.run("UPDATE OR FAIL sync_cursors SET position = ?2, updated_at = ?3 WHERE stream = ?1 AND position < ?2",
        stream, position, at));
    TRY(db_.run(
        "INSERT OR IGNORE INTO sync_cursors (stream, position, updated_at) VALUES (?, ?, ?)", stream, position, at));
    return {};
}

StoreExpected<std::optional<qint64>> KeyValueRepository::cursor(const QString& stream)
{
    auto stmt = db_.cached("SELECT position FROM sync_cursors WHERE stream = ?");
    TRY(stmt);
    return (*stmt)->bind(1, stream).first<qint64>([](const Statement& s) { return s.int64(0); });
}

StoreOk KeyValueRepository::saveContact(const Contact& c, qint64 at)
{
    const int trust = static_cast<int>(c.trust);
    auto changed
        = db_.run("UPDATE contacts SET display_name = ?2, trust = ?3, blocked = ?4, updated_at = ?5 WHERE user_id = ?1",
            c.userId, c.displayName, trust, c.blocked, at);
    TRY(changed);
    if (*changed == 0) {
        TRY(db_.run("INSERT INTO contacts (user_id, display_name, trust, blocked, added_at, updated_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            c.userId, c.displayName, trust, c.blocked, at));
    }
    return {};
}

StoreExpected<std::optional<Contact>> KeyValueRepository::contact(const QString& userId)
{
    auto stmt = db_.cached("SELECT user_id, display_name, trust, blocked FROM contacts WHERE user_id = ?");
    TRY(stmt);
    return (*stmt)->bind(1, userId).first<Contact>([](const Statement& s) {
        return Contact { s.text(0), s.text(1), static_cast<ContactTrust>(s.int32(2)), s.int64(3) != 0 };
    });
}

StoreOk KeyValueRepository::setContactTrust(const QString& userId, ContactTrust trust, qint64 at)
{
    return expectChanged(
        db_.run("UPDATE contacts SET trust = ?, updated_at = ? WHERE user_id = ?", static_cast<int>(trust), at, userId),
        QStringLiteral("no contact %1").arg(userId));
}

} // namespace tenchat::core::store
