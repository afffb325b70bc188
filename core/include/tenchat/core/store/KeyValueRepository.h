// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace tenchat::core::store {

class Database;

// The small keyed tables: settings, per-plugin state, sync cursors, contacts
// and their trust state.
class KeyValueRepository {
public:
    explicit KeyValueRepository(Database& db) : db_(db) { }

    StoreOk setSetting(const QString& key, const QByteArray& value);
    StoreExpected<std::optional<QByteArray>> setting(const QString& key);

    StoreOk setPluginState(const QString& pluginId, const QString& key, const QByteArray& value);
    StoreExpected<std::optional<QByteArray>> pluginState(const QString& pluginId, const QString& key);
    StoreOk clearPluginState(const QString& pluginId);

    // Sync cursors only move forward: a lower position is ignored.
    StoreOk advanceCursor(const QString& stream, qint64 position, qint64 at);
    StoreExpected<std::optional<qint64>> cursor(const QString& stream);

    StoreOk saveContact(const Contact& contact, qint64 at);
    StoreExpected<std::optional<Contact>> contact(const QString& userId);
    StoreOk setContactTrust(const QString& userId, ContactTrust trust, qint64 at);

private:
    StoreExpected<std::optional<QByteArray>> blobQuery(const std::string& sql, const QString& a, const QString& b);

    Database& db_;
};

} // namespace tenchat::core::store
