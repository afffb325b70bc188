// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Sender-key group messaging (libsignal group_session_builder +
// group_cipher). Each member device has its own sender key per group; it
// hands the key to the other members in a SenderKeyDistributionMessage sent
// over pairwise SessionCiphers, then encrypts each group message once.
//
// Rotation: when a member leaves, every remaining sender calls rotate() and
// distributes the new key to the remaining members only; the departed member
// keeps old keys (it could read the past) but cannot read anything new.
//
// Like SessionCipher, every call is atomic with respect to the store.

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"
#include "tenchat/crypto/ProtocolStore.h"

#include <cstdint>
#include <functional>
#include <memory>

namespace tenchat::crypto {

// Where a sender-key message (or a distribution message) sits in its
// sender's chain: the key id and the iteration. Read from the message without
// verifying it (nothing here is authenticated until decryption).
struct SenderKeyPosition {
    std::uint32_t keyId = 0;
    std::uint32_t iteration = 0;
};

class GroupCipher {
public:
    using CommitPlaintext = std::function<bool(ByteView plaintext)>;

    // `name` is (group, sending device): our own device to send, a peer's
    // device to receive. `store` must outlive the cipher.
    static CryptoResult<GroupCipher> create(ProtocolStore& store, SenderKeyName name);

    GroupCipher(GroupCipher&&) noexcept;
    GroupCipher& operator=(GroupCipher&&) noexcept;
    ~GroupCipher();

    const SenderKeyName& name() const;

    // Sending side. Creates our sender key if there is none yet and returns
    // the SenderKeyDistributionMessage for it.
    CryptoResult<Bytes> distributionMessage();
    // Replaces our sender key with a new one and returns its distribution
    // message. Old messages from us stay readable for members that had them.
    CryptoResult<Bytes> rotate();
    // Errors: SenderKeyMissing (no distributionMessage() yet), StoreFailure.
    CryptoResult<Bytes> encrypt(ByteView plaintext);

    // Receiving side. Errors: InvalidMessage, StoreFailure.
    CryptoResult<void> processDistributionMessage(ByteView message);
    // Errors: SenderKeyMissing (no or an outdated sender key for this
    // sender), InvalidMessage, DuplicateMessage, StoreFailure.
    CryptoResult<Bytes> decrypt(ByteView message, const CommitPlaintext& commit = {});

    // Errors: InvalidMessage, LegacyVersion.
    static CryptoResult<SenderKeyPosition> messagePosition(ByteView message);
    static CryptoResult<SenderKeyPosition> distributionPosition(ByteView distribution);

private:
    struct Impl;
    explicit GroupCipher(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace tenchat::crypto
