// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/SessionCipher.h"

#include "SignalContext.h"
#include "SignalErrors.h"
#include "SignalKeys.h"
#include "SignalRef.h"
#include "StoreBridge.h"

#include <signal/protocol.h>
#include <signal/session_builder.h>
#include <signal/session_cipher.h>
#include <signal/session_pre_key.h>
#include <signal/session_record.h>
#include <signal/session_state.h>

#include <mutex>

namespace tenchat::crypto {

using namespace detail;

namespace {

struct CipherFree {
    void operator()(session_cipher* cipher) const { session_cipher_free(cipher); }
};
struct BuilderFree {
    void operator()(session_builder* builder) const { session_builder_free(builder); }
};

// A message that does not parse is an invalid message, whatever part of
// it failed (a key that does not decode included); only an old version
// keeps its own code.
Unexpected<CryptoError> parseFailure(int code, std::string_view what)
{
    CryptoError error = signalError(code, what);
    if (error.code != CryptoErrorCode::LegacyVersion && error.code != CryptoErrorCode::Internal)
        error.code = CryptoErrorCode::InvalidMessage;
    return Unexpected<CryptoError>(std::move(error));
}

int commitCallback(session_cipher*, signal_buffer* plaintext, void* decryptContext)
{
    const auto* commit = static_cast<const SessionCipher::CommitPlaintext*>(decryptContext);
    if (!commit || !*commit)
        return SG_SUCCESS;
    return (*commit)(viewOf(plaintext)) ? SG_SUCCESS : kCommitRefusedCode;
}

} // namespace

struct SessionCipher::Impl {
    ProtocolAddress remote;
    signal_protocol_address address {};
    std::unique_ptr<StoreBridge> bridge;
    std::unique_ptr<session_cipher, CipherFree> cipher;

    // InvalidMessage from libsignal covers both tampering and a counter too
    // far ahead; say which, because the second needs a session reset.
    bool beyondSkippedKeyWindow(signal_message* message)
    {
        SignalPtr<session_record> record;
        // Separate statement: `out(record)` assigns when the full expression ends.
        const int loaded = signal_protocol_session_load_session(bridge->context(), out(record), &address);
        if (loaded < 0 || !record)
            return false;
        session_state* state = session_record_get_state(record.get());
        if (!state)
            return false;
        const std::uint32_t counter = signal_message_get_counter(message);
        ratchet_chain_key* chain
            = session_state_get_receiver_chain_key(state, signal_message_get_sender_ratchet_key(message));
        const std::uint32_t index = chain ? ratchet_chain_key_get_index(chain) : 0;
        return counter > index && counter - index > kSkippedMessageKeyWindow;
    }
};

SessionCipher::SessionCipher(std::unique_ptr<Impl> impl) : impl_(std::move(impl))
{ }
SessionCipher::SessionCipher(SessionCipher&&) noexcept = default;
SessionCipher& SessionCipher::operator=(SessionCipher&& other) noexcept
{
    // The replaced cipher releases libsignal objects: do it under the lock.
    std::lock_guard lock(SignalContext::mutex());
    impl_ = std::move(other.impl_);
    return *this;
}
SessionCipher::~SessionCipher()
{
    if (impl_) {
        std::lock_guard lock(SignalContext::mutex());
        impl_.reset();
    }
}

CryptoResult<SessionCipher> SessionCipher::create(ProtocolStore& store, ProtocolAddress remote)
{
    signal_context* global = SignalContext::global();
    if (!global)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    std::lock_guard lock(SignalContext::mutex());
    auto impl = std::make_unique<Impl>();
    impl->remote = std::move(remote);
    // libsignal keeps a pointer to this address: it lives in the Impl, whose
    // address never changes.
    impl->address
        = signal_protocol_address { impl->remote.name.data(), impl->remote.name.size(), impl->remote.deviceId };
    auto bridge = StoreBridge::create(store);
    if (!bridge)
        return Unexpected(std::move(bridge).error());
    impl->bridge = std::move(*bridge);
    session_cipher* cipher = nullptr;
    if (const int rc = session_cipher_create(&cipher, impl->bridge->context(), &impl->address, global);
        rc != SG_SUCCESS)
        return signalFailure(rc, "create session cipher");
    impl->cipher.reset(cipher);
    session_cipher_set_decryption_callback(cipher, commitCallback);
    return SessionCipher(std::move(impl));
}

const ProtocolAddress& SessionCipher::remoteAddress() const
{
    return impl_->remote;
}

CryptoResult<void> SessionCipher::initiateFromBundle(const PreKeyBundle& bundle)
{
    if (auto verified = bundle.verify(); !verified)
        return verified;
    auto identityKey = decodePublicKey(bundle.identityKey);
    auto signedPreKey = decodePublicKey(bundle.signedPreKey.publicKey);
    if (!identityKey || !signedPreKey)
        return cryptoError(CryptoErrorCode::InvalidKey, "bundle keys do not parse");
    SignalPtr<ec_public_key> preKey;
    if (bundle.preKey) {
        auto decoded = decodePublicKey(bundle.preKey->publicKey);
        if (!decoded)
            return Unexpected(std::move(decoded).error());
        preKey = std::move(*decoded);
    }

    signal_context* global = SignalContext::global();
    std::lock_guard lock(SignalContext::mutex());
    SignalPtr<session_pre_key_bundle> signalBundle;
    if (const int rc = session_pre_key_bundle_create(out(signalBundle), bundle.registrationId, bundle.deviceId,
            bundle.preKey ? bundle.preKey->id : 0, preKey.get(), bundle.signedPreKey.id, signedPreKey->get(),
            bundle.signedPreKey.signature.data(), bundle.signedPreKey.signature.size(), identityKey->get());
        rc != SG_SUCCESS)
        return signalFailure(rc, "pre-key bundle");

    return impl_->bridge->transact([&]() -> CryptoResult<void> {
        session_builder* raw = nullptr;
        if (const int rc = session_builder_create(&raw, impl_->bridge->context(), &impl_->address, global);
            rc != SG_SUCCESS)
            return signalFailure(rc, "create session builder");
        std::unique_ptr<session_builder, BuilderFree> builder(raw);
        if (const int rc = session_builder_process_pre_key_bundle(builder.get(), signalBundle.get()); rc != SG_SUCCESS)
            return signalFailure(rc, "X3DH from bundle");
        return {};
    });
}

CryptoResult<bool> SessionCipher::hasSession()
{
    std::lock_guard lock(SignalContext::mutex());
    const int rc = signal_protocol_session_contains_session(impl_->bridge->context(), &impl_->address);
    if (rc < 0)
        return signalFailure(rc, "look up session");
    return rc == 1;
}

CryptoResult<SessionMessage> SessionCipher::encrypt(ByteView plaintext)
{
    std::lock_guard lock(SignalContext::mutex());
    auto present = hasSession();
    if (!present)
        return Unexpected(std::move(present).error());
    if (!*present)
        return cryptoError(CryptoErrorCode::NoSession, "encrypt: no session with this device");
    return impl_->bridge->transact([&]() -> CryptoResult<SessionMessage> {
        SignalPtr<ciphertext_message> message;
        if (const int rc
            = session_cipher_encrypt(impl_->cipher.get(), plaintext.data(), plaintext.size(), out(message));
            rc != SG_SUCCESS)
            return signalFailure(rc, "encrypt");
        const int type = ciphertext_message_get_type(message.get());
        if (type != CIPHERTEXT_SIGNAL_TYPE && type != CIPHERTEXT_PREKEY_TYPE)
            return cryptoError(CryptoErrorCode::Internal, "encrypt: unexpected message type");
        return SessionMessage { static_cast<SessionMessageType>(type),
            bytesOf(ciphertext_message_get_serialized(message.get())) };
    });
}

CryptoResult<Bytes> SessionCipher::decrypt(const SessionMessage& message, const CommitPlaintext& commit)
{
    signal_context* global = SignalContext::global();
    if (!global)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    if (message.body.empty())
        return cryptoError(CryptoErrorCode::InvalidMessage, "decrypt: empty message");
    std::lock_guard lock(SignalContext::mutex());
    void* commitContext = const_cast<CommitPlaintext*>(&commit);

    if (message.type == SessionMessageType::PreKey) {
        SignalPtr<pre_key_signal_message> parsed;
        if (const int rc
            = pre_key_signal_message_deserialize(out(parsed), message.body.data(), message.body.size(), global);
            rc != SG_SUCCESS)
            return parseFailure(rc, "parse PreKeySignalMessage");
        return impl_->bridge->transact([&]() -> CryptoResult<Bytes> {
            SignalBuffer plaintext;
            if (const int rc = session_cipher_decrypt_pre_key_signal_message(
                    impl_->cipher.get(), parsed.get(), commitContext, out(plaintext));
                rc != SG_SUCCESS)
                return signalFailure(rc, "decrypt PreKeySignalMessage");
            return bytesOf(plaintext.get());
        });
    }
    if (message.type != SessionMessageType::Signal)
        return cryptoError(CryptoErrorCode::InvalidMessage, "decrypt: unknown message type");

    SignalPtr<signal_message> parsed;
    if (const int rc = signal_message_deserialize(out(parsed), message.body.data(), message.body.size(), global);
        rc != SG_SUCCESS)
        return parseFailure(rc, "parse SignalMessage");
    auto result = impl_->bridge->transact([&]() -> CryptoResult<Bytes> {
        SignalBuffer plaintext;
        if (const int rc
            = session_cipher_decrypt_signal_message(impl_->cipher.get(), parsed.get(), commitContext, out(plaintext));
            rc != SG_SUCCESS)
            return signalFailure(rc, "decrypt SignalMessage");
        return bytesOf(plaintext.get());
    });
    if (!result && result.error().code == CryptoErrorCode::InvalidMessage
        && impl_->beyondSkippedKeyWindow(parsed.get()))
        return cryptoError(CryptoErrorCode::InvalidMessage,
            "decrypt SignalMessage: more than 2000 messages ahead of the chain (skipped-key window exceeded)");
    return result;
}

CryptoResult<std::uint32_t> SessionCipher::remoteRegistrationId()
{
    std::lock_guard lock(SignalContext::mutex());
    std::uint32_t id = 0;
    if (const int rc = session_cipher_get_remote_registration_id(impl_->cipher.get(), &id); rc != SG_SUCCESS)
        return signalFailure(rc, "remote registration id");
    return id;
}

CryptoResult<void> SessionCipher::deleteSession()
{
    std::lock_guard lock(SignalContext::mutex());
    if (auto status = impl_->bridge->store().deleteSession(impl_->remote); !status)
        return cryptoError(CryptoErrorCode::StoreFailure, "delete session: " + status.error().message);
    return {};
}

CryptoResult<Bytes> SessionCipher::senderIdentityKey(ByteView preKeyMessage)
{
    signal_context* global = SignalContext::global();
    if (!global)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    SignalPtr<pre_key_signal_message> parsed;
    if (const int rc
        = pre_key_signal_message_deserialize(out(parsed), preKeyMessage.data(), preKeyMessage.size(), global);
        rc != SG_SUCCESS)
        return parseFailure(rc, "parse PreKeySignalMessage");
    return serializePublicKey(pre_key_signal_message_get_identity_key(parsed.get()));
}

} // namespace tenchat::crypto
