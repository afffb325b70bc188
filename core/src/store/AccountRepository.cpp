// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/AccountRepository.h"

#include "tenchat/core/store/Database.h"

namespace tenchat::core::store {

#define TRY(expr)                                                                                                      \
    if (auto result_ = (expr); !result_)                                                                               \
        return makeUnexpected(std::move(result_).error());

namespace {

QString orEmpty(const QString& value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

} // namespace

StoreOk AccountRepository::setProfile(const ProfileInfo& p)
{
    if (p.userId.isEmpty())
        return storeError(StoreErrorCode::InvalidArgument, QStringLiteral("a profile needs a user id"));
    auto stmt = db_.cached("INSERT OR REPLACE INTO profile (id, user_id, display_name, avatar_path, created_at) VALUES "
                           "(1, ?, ?, ?, ?)");
    TRY(stmt);
    (*stmt)->bind(1, p.userId).bind(2, orEmpty(p.displayName)).bind(3, p.avatarPath).bind(4, p.createdAt);
    TRY((*stmt)->exec());
    return {};
}

StoreExpected<std::optional<ProfileInfo>> AccountRepository::profile()
{
    auto stmt = db_.cached("SELECT user_id, display_name, avatar_path, created_at FROM profile WHERE id = 1");
    TRY(stmt);
    auto row = (*stmt)->step();
    TRY(row);
    std::optional<ProfileInfo> out;
    if (*row)
        out = ProfileInfo { (*stmt)->text(0), (*stmt)->text(1), (*stmt)->text(2), (*stmt)->int64(3) };
    (*stmt)->reset();
    return out;
}

StoreOk AccountRepository::saveDevice(const OwnDevice& d)
{
    auto stmt = db_.cached("INSERT OR REPLACE INTO own_devices (device_id, name, identity_key, is_current, added_at, "
                           "revoked_at) VALUES (?, ?, ?, ?, ?, ?)");
    TRY(stmt);
    (*stmt)->bind(1, d.deviceId).bind(2, orEmpty(d.name)).bind(3, d.identityKey).bind(4, d.isCurrent);
    (*stmt)->bind(5, d.addedAt).bindOptional(6, d.revokedAt);
    TRY((*stmt)->exec());
    return {};
}

StoreExpected<QList<OwnDevice>> AccountRepository::devices(bool includeRevoked)
{
    auto stmt = includeRevoked
        ? db_.cached("SELECT device_id, name, identity_key, is_current, added_at, revoked_at FROM own_devices ORDER "
                     "BY device_id")
        : db_.cached("SELECT device_id, name, identity_key, is_current, added_at, revoked_at FROM own_devices WHERE "
                     "revoked_at IS NULL ORDER BY device_id");
    TRY(stmt);
    QList<OwnDevice> out;
    for (;;) {
        auto row = (*stmt)->step();
        TRY(row);
        if (!*row)
            break;
        Statement& s = **stmt;
        out.append(OwnDevice { s.int32(0), s.text(1), s.blob(2), s.int64(3) != 0, s.int64(4), s.optionalInt64(5) });
    }
    return out;
}

StoreOk AccountRepository::revokeDevice(int deviceId, qint64 at)
{
    auto stmt = db_.cached("UPDATE own_devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL");
    TRY(stmt);
    (*stmt)->bind(1, at).bind(2, deviceId);
    auto changed = (*stmt)->exec();
    TRY(changed);
    if (*changed == 0)
        return storeError(StoreErrorCode::NotFound, QStringLiteral("no active device %1").arg(deviceId));
    return {};
}

StoreOk AccountRepository::saveAttachment(const Attachment& a)
{
    if (a.id.isEmpty() || a.messageId.isEmpty())
        return storeError(StoreErrorCode::InvalidArgument, QStringLiteral("an attachment needs an id and a message"));
    auto stmt = db_.cached("INSERT OR REPLACE INTO attachments (id, message_id, manifest, mime_type, size, local_path, "
                           "state) VALUES (?, ?, ?, ?, ?, ?, ?)");
    TRY(stmt);
    (*stmt)->bind(1, a.id).bind(2, a.messageId).bind(3, a.manifest.isNull() ? QByteArray("") : a.manifest);
    (*stmt)->bind(4, orEmpty(a.mimeType)).bind(5, a.size).bind(6, a.localPath).bind(7, static_cast<int>(a.state));
    TRY((*stmt)->exec());
    return {};
}

StoreExpected<QList<Attachment>> AccountRepository::attachments(const QString& messageId)
{
    auto stmt = db_.cached("SELECT id, message_id, manifest, mime_type, size, local_path, state FROM attachments WHERE "
                           "message_id = ? ORDER BY rowid");
    TRY(stmt);
    (*stmt)->bind(1, messageId);
    QList<Attachment> out;
    for (;;) {
        auto row = (*stmt)->step();
        TRY(row);
        if (!*row)
            break;
        Statement& s = **stmt;
        out.append(Attachment { s.text(0), s.text(1), s.blob(2), s.text(3), s.int64(4), s.text(5),
            static_cast<AttachmentState>(s.int32(6)) });
    }
    return out;
}

StoreOk AccountRepository::setAttachmentState(const QString& id, AttachmentState state, const QString& localPath)
{
    auto stmt = db_.cached("UPDATE attachments SET state = ?, local_path = ? WHERE id = ?");
    TRY(stmt);
    (*stmt)->bind(1, static_cast<int>(state)).bind(2, localPath).bind(3, id);
    auto changed = (*stmt)->exec();
    TRY(changed);
    if (*changed == 0)
        return storeError(StoreErrorCode::NotFound, QStringLiteral("no attachment %1").arg(id));
    return {};
}

} // namespace tenchat::core::store
