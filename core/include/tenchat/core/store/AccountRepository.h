// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QList>

#include <optional>

namespace tenchat::core::store {

class Database;

// This profile's account: the user's own id and name, and the user's devices
// (this one and the others linked to the account), and media attachments'
// local state.
class AccountRepository {
public:
    explicit AccountRepository(Database& db) : db_(db) { }

    StoreOk setProfile(const ProfileInfo& profile);
    StoreExpected<std::optional<ProfileInfo>> profile();

    StoreOk saveDevice(const OwnDevice& device); // insert or replace
    StoreExpected<QList<OwnDevice>> devices(bool includeRevoked = false);
    StoreOk revokeDevice(int deviceId, qint64 at);

    StoreOk saveAttachment(const Attachment& attachment); // insert or replace
    StoreExpected<QList<Attachment>> attachments(const QString& messageId);
    StoreOk setAttachmentState(const QString& id, AttachmentState state, const QString& localPath);

private:
    Database& db_;
};

} // namespace tenchat::core::store
