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
    TRY(db_.run("INSERT OR REPLACE INTO profile (id, user_id, display_name, avatar_path, created_at) VALUES "
                "(1, ?, ?, ?, ?)",
        p.userId, orEmpty(p.displayName), p.avatarPath, p.createdAt));
    return {};
}

StoreExpected<std::optional<ProfileInfo>> AccountRepository::profile()
{
    auto stmt = db_.cached("SELECT user_id, display_name, avatar_path, created_at FROM profile WHERE id = 1");
    TRY(stmt);
    return (*stmt)->first<ProfileInfo>([](const Statement& s) {
        return ProfileInfo { s.text(0), s.text(1), s.text(2), s.int64(3) };
    });
}

StoreOk AccountRepository::saveDevice(const OwnDevice& d)
{
    TRY(db_.run("INSERT OR REPLACE INTO own_devices (device_id, name, identity_key, is_current, added_at, "
                "revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
        d.deviceId, orEmpty(d.name), d.identityKey, d.isCurrent, d.addedAt, d.revokedAt));
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
    return (*stmt)->collect<OwnDevice>([](const Statement& s) {
        return OwnDevice { s.int32(0), s.text(1), s.blob(2), s.int64(3) != 0, s.int64(4), s.optionalInt64(5) };
    });
}

StoreOk AccountRepository::revokeDevice(int deviceId, qint64 at)
{
    return expectChanged(
        db_.run("UPDATE own_devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL", at, deviceId),
        QStringLiteral("no active device %1").arg(deviceId));
}

StoreOk AccountRepository::saveAttachment(const Attachment& a)
{
    if (a.id.isEmpty() || a.messageId.isEmpty())
        return storeError(StoreErrorCode::InvalidArgument, QStringLiteral("an attachment needs an id and a message"));
    TRY(db_.run("INSERT OR REPLACE INTO attachments (id, message_id, manifest, mime_type, size, local_path, "
                "state) VALUES (?, ?, ?, ?, ?, ?, ?)",
        a.id, a.messageId, a.manifest.isNull() ? QByteArray("") : a.manifest, orEmpty(a.mimeType), a.size, a.localPath,
        static_cast<int>(a.state)));
    return {};
}

StoreExpected<QList<Attachment>> AccountRepository::attachments(const QString& messageId)
{
    auto stmt = db_.cached("SELECT id, message_id, manifest, mime_type, size, local_path, state FROM attachments WHERE "
                           "message_id = ? ORDER BY rowid");
    TRY(stmt);
    return (*stmt)->bind(1, messageId).collect<Attachment>([](const Statement& s) {
        return Attachment { s.text(0), s.text(1), s.blob(2), s.text(3), s.int64(4), s.text(5),
            static_cast<AttachmentState>(s.int32(6)) };
    });
}

StoreOk AccountRepository::setAttachmentState(const QString& id, AttachmentState state, const QString& localPath)
{
    return expectChanged(db_.run("UPDATE attachments SET state = ?, local_path = ? WHERE id = ?",
                             static_cast<int>(state), localPath, id),
        QStringLiteral("no attachment %1").arg(id));
}

} // namespace tenchat::core::store
