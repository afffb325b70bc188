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
    auto row = (*stmt)->step();
    TRY(row);
    std::optional<QByteArray> out;
    if (*row)
        out = (*stmt)->blob(0);
    (*stmt)->reset();
    return out;
}

StoreOk KeyValueRepository::setSetting(const QString& key, const QByteArray& value)
{
    auto stmt = db_.cached("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");
    TRY(stmt);
    (*stmt)->bind(1, key).bind(2, value);
    TRY((*stmt)->exec());
    return {};
}

StoreExpected<std::optional<QByteArray>> KeyValueRepository::setting(const QString& key)
{
    return blobQuery("SELECT value FROM settings WHERE key = ?", key, QString());
}

StoreOk KeyValueRepository::setPluginState(const QString& pluginId, const QString& key, const QByteArray& value)
{
    auto stmt = db_.cached("INSERT OR REPLACE INTO plugin_state (plugin_id, key, value) VALUES (?, ?, ?)");
    TRY(stmt);
    (*stmt)->bind(1, pluginId).bind(2, key).bind(3, value);
    TRY((*stmt)->exec());
    return {};
}

StoreExpected<std::optional<QByteArray>> KeyValueRepository::pluginState(const QString& pluginId, const QString& key)
{
    return blobQuery("SELECT value FROM plugin_state WHERE plugin_id = ? AND key = ?", pluginId, key);
}

StoreOk KeyValueRepository::clearPluginState(const QString& pluginId)
{
    auto stmt = db_.cached("DELETE FROM plugin_state WHERE plugin_id = ?");
    TRY(stmt);
    (*stmt)->bind(1, pluginId);
    TRY((*stmt)->exec());
    return {};
}

StoreOk KeyValueRepository::advanceCursor(const QString& stream, qint64 position, qint64 at)
{
    auto update = db_.cached(
        "UPDATE OR FAIL sync_cursors SET position = ?2, updated_at = ?3 WHERE stream = ?1 AND position < ?2");
    TRY(update);
    (*update)->bind(1, stream).bind(2, position).bind(3, at);
    TRY((*update)->exec());
    auto insert = db_.cached("INSERT OR IGNORE INTO sync_cursors (stream, position, updated_at) VALUES (?, ?, ?)");
    TRY(insert);
    (*insert)->bind(1, stream).bind(2, position).bind(3, at);
    TRY((*insert)->exec());
    return {};
}

StoreExpected<std::optional<qint64>> KeyValueRepository::cursor(const QString& stream)
{
    auto stmt = db_.cached("SELECT position FROM sync_cursors WHERE stream = ?");
    TRY(stmt);
    (*stmt)->bind(1, stream);
    auto row = (*stmt)->step();
    TRY(row);
    std::optional<qint64> out;
    if (*row)
        out = (*stmt)->int64(0);
    (*stmt)->reset();
    return out;
}

StoreOk KeyValueRepository::saveContact(const Contact& c, qint64 at)
{
    auto update = db_.cached("UPDATE contacts SET display_name = ?2, trust = ?3, blocked = ?4, updated_at = ?5 WHERE "
                             "user_id = ?1");
    TRY(update);
    (*update)->bind(1, c.userId).bind(2, c.displayName).bind(3, static_cast<int>(c.trust)).bind(4, c.blocked);
    (*update)->bind(5, at);
    auto changed = (*update)->exec();
    TRY(changed);
    if (*changed == 0) {
        auto insert = db_.cached("INSERT INTO contacts (user_id, display_name, trust, blocked, added_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
        TRY(insert);
        (*insert)->bind(1, c.userId).bind(2, c.displayName).bind(3, static_cast<int>(c.trust)).bind(4, c.blocked);
        (*insert)->bind(5, at);
        TRY((*insert)->exec());
    }
    return {};
}

StoreExpected<std::optional<Contact>> KeyValueRepository::contact(const QString& userId)
{
    auto stmt = db_.cached("SELECT user_id, display_name, trust, blocked FROM contacts WHERE user_id = ?");
    TRY(stmt);
    (*stmt)->bind(1, userId);
    auto row = (*stmt)->step();
    TRY(row);
    std::optional<Contact> out;
    if (*row)
        out = Contact { (*stmt)->text(0), (*stmt)->text(1), static_cast<ContactTrust>((*stmt)->int32(2)),
            (*stmt)->int64(3) != 0 };
    (*stmt)->reset();
    return out;
}

StoreOk KeyValueRepository::setContactTrust(const QString& userId, ContactTrust trust, qint64 at)
{
    auto stmt = db_.cached("UPDATE contacts SET trust = ?, updated_at = ? WHERE user_id = ?");
    TRY(stmt);
    (*stmt)->bind(1, static_cast<int>(trust)).bind(2, at).bind(3, userId);
    auto changed = (*stmt)->exec();
    TRY(changed);
    if (*changed == 0)
        return storeError(StoreErrorCode::NotFound, QStringLiteral("no contact %1").arg(userId));
    return {};
}

} // namespace tenchat::core::store
