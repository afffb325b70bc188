// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Plain records the storage layer reads and writes. Ids and ciphertexts are
// byte strings (std::string, as protobuf's `bytes`). Only ciphertext and
// routing metadata ever reach these records.

#include "tenchat/crypto/Expected.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tenchat::relay {

enum class StorageErrorCode { Conflict, NotFound, Failure };

struct StorageError {
    StorageErrorCode code = StorageErrorCode::Failure;
    std::string message;
};

template <class T> using StorageResult = Expected<T, StorageError>;

inline Unexpected<StorageError> storageError(StorageErrorCode code, std::string message)
{
    return Unexpected<StorageError>(StorageError { code, std::move(message) });
}

struct DeviceRecord {
    std::string userId;
    std::uint32_t deviceId = 0;
    std::string identityKey;
    std::uint32_t registrationId = 0;
    std::string name;
    std::uint64_t createdMs = 0;
    std::uint64_t revokedMs = 0; // 0 = active
    bool active() const { return revokedMs == 0; }
};

struct SignedPreKeyRecord {
    std::uint32_t keyId = 0;
    std::string publicKey;
    std::string signature;
    std::uint64_t timestampMs = 0;
};

struct OneTimePreKeyRecord {
    std::uint32_t keyId = 0;
    std::string publicKey;
};

struct BundleRecord {
    DeviceRecord device;
    std::optional<SignedPreKeyRecord> signedPreKey;
    std::optional<OneTimePreKeyRecord> oneTimePreKey; // consumed by the fetch
};

struct MemberRecord {
    std::string userId;
    int role = 0; // tenchat::v1::Role
    std::uint64_t joinedSeq = 0;
};

struct ConversationRecord {
    std::string id;
    int kind = 0; // tenchat::v1::ConversationKind
    std::uint32_t ttlSeconds = 0;
    std::uint64_t lastSeq = 0;
    std::uint64_t createdMs = 0;
    std::string directKey; // sorted pair of user ids for direct conversations
};

enum class EntryBodyKind : int { SenderKey = 1, DeviceCiphertexts = 2, Membership = 3 };

struct EntryRecord {
    std::string conversationId;
    std::uint64_t seq = 0; // assigned by the storage on append
    std::string messageId;
    std::string senderUser;
    std::uint32_t senderDevice = 0;
    std::uint64_t serverMs = 0;
    std::uint64_t expiresMs = 0;
    EntryBodyKind bodyKind = EntryBodyKind::SenderKey;
    std::string body; // ciphertext, serialized DeviceCiphertexts or MembershipChange
    int deliveryClass = 0;
};

struct AppendOutcome {
    std::uint64_t seq = 0;
    std::uint64_t serverMs = 0;
    bool duplicate = false;
    bool failed = false;
    std::string error;
};

struct CursorRecord {
    std::string userId;
    std::uint32_t deviceId = 0;
    std::string conversationId;
    std::uint64_t ackedSeq = 0;
};

struct ToDeviceRecord {
    std::uint64_t id = 0; // assigned by the storage
    std::string recipientUser;
    std::uint32_t recipientDevice = 0;
    std::string senderUser;
    std::uint32_t senderDevice = 0;
    std::string messageId;
    std::uint32_t type = 0;
    std::string ciphertext;
    std::uint64_t serverMs = 0;
    int deliveryClass = 0;
};

} // namespace tenchat::relay
