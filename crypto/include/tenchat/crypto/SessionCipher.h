// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A pairwise double-ratchet session with one remote device (libsignal
// session_builder + session_cipher). Direct messages and the to-device
// queue (sender-key distribution, device management) use it.
//
// Every call is atomic with respect to the ProtocolStore: libsignal's writes
// are journaled and applied only when the whole call succeeds, so a call
// that returns an error has changed nothing. Calls hold the engine's global
// lock; one SessionCipher may be used from several threads.

#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/CryptoError.h"
#include "tenchat/crypto/PreKeyBundle.h"
#include "tenchat/crypto/ProtocolStore.h"

#include <cstdint>
#include <functional>
#include <memory>

namespace tenchat::crypto {

// Values are libsignal's CIPHERTEXT_*_TYPE, so they can go on the wire.
enum class SessionMessageType : std::uint8_t {
    Signal = 2, // SignalMessage: an established session
    PreKey = 3, // PreKeySignalMessage: the first messages, carrying X3DH data
};

struct SessionMessage {
    SessionMessageType type = SessionMessageType::Signal;
    Bytes body;
};

// libsignal keeps at most this many skipped message keys per chain and
// refuses a message this far ahead of the chain.
constexpr std::uint32_t kSkippedMessageKeyWindow = 2000;

class SessionCipher {
public:
    // Receives the plaintext before the ratchet state is written. Returning
    // false aborts the decrypt (StoreFailure) and leaves the session as it was,
    // so the message can be decrypted again later.
    using CommitPlaintext = std::function<bool(ByteView plaintext)>;

    // `store` must outlive the cipher. Errors: Internal.
    static CryptoResult<SessionCipher> create(ProtocolStore& store, ProtocolAddress remote);

    SessionCipher(SessionCipher&&) noexcept;
    SessionCipher& operator=(SessionCipher&&) noexcept;
    ~SessionCipher();

    const ProtocolAddress& remoteAddress() const;

    // X3DH: starts a session from the remote device's bundle. Errors:
    // InvalidKey (bad bundle or signature), UntrustedIdentity (the bundle's
    // identity differs from the one on record), StoreFailure.
    CryptoResult<void> initiateFromBundle(const PreKeyBundle& bundle);

    CryptoResult<bool> hasSession();

    // Errors: NoSession, UntrustedIdentity, StoreFailure.
    CryptoResult<SessionMessage> encrypt(ByteView plaintext);

    // Errors: InvalidMessage (malformed, tampered, or beyond the skipped-key
    // window), DuplicateMessage (replay), UntrustedIdentity, NoSession,
    // InvalidKey (unknown pre-key), LegacyVersion, StoreFailure.
    CryptoResult<Bytes> decrypt(const SessionMessage& message, const CommitPlaintext& commit = {});

    CryptoResult<std::uint32_t> remoteRegistrationId();

    // Forgets the session (e.g. after a message beyond the skipped-key
    // window): the next encrypt needs a fresh bundle, or the peer's next
    // PreKeySignalMessage starts a new one. Errors: StoreFailure.
    CryptoResult<void> deleteSession();

    // The sender's identity key inside a PreKeySignalMessage, so the UI can
    // show the new safety number when decrypt() reports UntrustedIdentity.
    static CryptoResult<Bytes> senderIdentityKey(ByteView preKeyMessage);

private:
    struct Impl;
    explicit SessionCipher(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace tenchat::crypto
