// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/GroupCipher.h"

#include "SignalContext.h"
#include "SignalErrors.h"
#include "SignalRef.h"
#include "StoreBridge.h"

#include <signal/group_cipher.h>
#include <signal/group_session_builder.h>
#include <signal/protocol.h>
#include <signal/sender_key_record.h>

#include <mutex>

namespace tenchat::crypto {

using namespace detail;

namespace {

struct CipherFree {
    void operator()(group_cipher* cipher) const { group_cipher_free(cipher); }
};
struct BuilderFree {
    void operator()(group_session_builder* builder) const { group_session_builder_free(builder); }
};

int commitCallback(group_cipher*, signal_buffer* plaintext, void* decryptContext)
{
    const auto* commit = static_cast<const GroupCipher::CommitPlaintext*>(decryptContext);
    if (!commit || !*commit)
        return SG_SUCCESS;
    return (*commit)(viewOf(plaintext)) ? SG_SUCCESS : kCommitRefusedCode;
}

// For groups, "no session" and "unknown key id" both mean we lack the
// sender's current key: ask the sender for a distribution message.
Unexpected<CryptoError> groupFailure(int code, std::string_view what)
{
    CryptoError error = signalError(code, what);
    if (error.code == CryptoErrorCode::NoSession || code == SG_ERR_INVALID_KEY_ID)
        error.code = CryptoErrorCode::SenderKeyMissing;
    return Unexpected<CryptoError>(std::move(error));
}

Unexpected<CryptoError> parseFailure(int code, std::string_view what)
{
    CryptoError error = signalError(code, what);
    if (error.code != CryptoErrorCode::LegacyVersion && error.code != CryptoErrorCode::Internal)
        error.code = CryptoErrorCode::InvalidMessage;
    return Unexpected<CryptoError>(std::move(error));
}

// Parses a serialized libsignal message (SenderKeyMessage,
// SenderKeyDistributionMessage). The caller holds SignalContext::mutex().
template <class T>
CryptoResult<void> parseSignal(SignalPtr<T>& parsed, ByteView bytes, const std::string& what,
    int (*deserialize)(T**, const uint8_t*, size_t, signal_context*))
{
    signal_context* global = SignalContext::global(); // the mutex is recursive
    if (!global)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    if (bytes.empty())
        return cryptoError(CryptoErrorCode::InvalidMessage, "empty " + what);
    if (const int rc = deserialize(out(parsed), bytes.data(), bytes.size(), global); rc != SG_SUCCESS)
        return parseFailure(rc, "parse " + what);
    return {};
}

} // namespace

struct GroupCipher::Impl {
    SenderKeyName name;
    signal_protocol_sender_key_name signalName {};
    std::unique_ptr<StoreBridge> bridge;
    std::unique_ptr<group_cipher, CipherFree> cipher;
    std::unique_ptr<group_session_builder, BuilderFree> builder;

    CryptoResult<Bytes> createDistribution()
    {
        SignalPtr<sender_key_distribution_message> message;
        if (const int rc = group_session_builder_create_session(builder.get(), out(message), &signalName);
            rc != SG_SUCCESS)
            return groupFailure(rc, "create sender key");
        return bytesOf(ciphertext_message_get_serialized(reinterpret_cast<ciphertext_message*>(message.get())));
    }
};

GroupCipher::GroupCipher(std::unique_ptr<Impl> impl) : impl_(std::move(impl))
{ }
GroupCipher::GroupCipher(GroupCipher&&) noexcept = default;
GroupCipher& GroupCipher::operator=(GroupCipher&& other) noexcept
{
    // The replaced cipher releases libsignal objects: do it under the lock.
    std::lock_guard lock(SignalContext::mutex());
    impl_ = std::move(other.impl_);
    return *this;
}
GroupCipher::~GroupCipher()
{
    if (impl_) {
        std::lock_guard lock(SignalContext::mutex());
        impl_.reset();
    }
}

CryptoResult<GroupCipher> GroupCipher::create(ProtocolStore& store, SenderKeyName name)
{
    signal_context* global = SignalContext::global();
    if (!global)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    std::lock_guard lock(SignalContext::mutex());
    auto impl = std::make_unique<Impl>();
    impl->name = std::move(name);
    // libsignal keeps pointers into this struct: it lives in the Impl.
    impl->signalName = signal_protocol_sender_key_name { impl->name.groupId.data(), impl->name.groupId.size(),
        signal_protocol_address {
            impl->name.sender.name.data(), impl->name.sender.name.size(), impl->name.sender.deviceId } };
    auto bridge = StoreBridge::create(store);
    if (!bridge)
        return Unexpected(std::move(bridge).error());
    impl->bridge = std::move(*bridge);
    group_cipher* cipher = nullptr;
    if (const int rc = group_cipher_create(&cipher, impl->bridge->context(), &impl->signalName, global);
        rc != SG_SUCCESS)
        return signalFailure(rc, "create group cipher");
    impl->cipher.reset(cipher);
    group_cipher_set_decryption_callback(cipher, commitCallback);
    group_session_builder* builder = nullptr;
    if (const int rc = group_session_builder_create(&builder, impl->bridge->context(), global); rc != SG_SUCCESS)
        return signalFailure(rc, "create group session builder");
    impl->builder.reset(builder);
    return GroupCipher(std::move(impl));
}

const SenderKeyName& GroupCipher::name() const
{
    return impl_->name;
}

CryptoResult<Bytes> GroupCipher::distributionMessage()
{
    std::lock_guard lock(SignalContext::mutex());
    return impl_->bridge->transact([&] { return impl_->createDistribution(); });
}

CryptoResult<Bytes> GroupCipher::rotate()
{
    std::lock_guard lock(SignalContext::mutex());
    return impl_->bridge->transact([&]() -> CryptoResult<Bytes> {
        // An empty record makes group_session_builder_create_session mint a
        // new key id, chain key and signing key.
        SignalPtr<sender_key_record> empty;
        if (const int rc = sender_key_record_create(out(empty), SignalContext::global()); rc != SG_SUCCESS)
            return signalFailure(rc, "rotate sender key");
        if (const int rc
            = signal_protocol_sender_key_store_key(impl_->bridge->context(), &impl_->signalName, empty.get());
            rc != SG_SUCCESS)
            return signalFailure(rc, "rotate sender key");
        return impl_->createDistribution();
    });
}

CryptoResult<Bytes> GroupCipher::encrypt(ByteView plaintext)
{
    std::lock_guard lock(SignalContext::mutex());
    return impl_->bridge->transact([&]() -> CryptoResult<Bytes> {
        SignalPtr<ciphertext_message> message;
        if (const int rc = group_cipher_encrypt(impl_->cipher.get(), plaintext.data(), plaintext.size(), out(message));
            rc != SG_SUCCESS)
            return groupFailure(rc, "group encrypt");
        return bytesOf(ciphertext_message_get_serialized(message.get()));
    });
}

CryptoResult<void> GroupCipher::processDistributionMessage(ByteView message)
{
    std::lock_guard lock(SignalContext::mutex());
    SignalPtr<sender_key_distribution_message> parsed;
    if (auto ok
        = parseSignal(parsed, message, "SenderKeyDistributionMessage", sender_key_distribution_message_deserialize);
        !ok)
        return ok;
    return impl_->bridge->transact([&]() -> CryptoResult<void> {
        if (const int rc
            = group_session_builder_process_session(impl_->builder.get(), &impl_->signalName, parsed.get());
            rc != SG_SUCCESS)
            return groupFailure(rc, "process SenderKeyDistributionMessage");
        return {};
    });
}

CryptoResult<Bytes> GroupCipher::decrypt(ByteView message, const CommitPlaintext& commit)
{
    std::lock_guard lock(SignalContext::mutex());
    SignalPtr<sender_key_message> parsed;
    if (auto ok = parseSignal(parsed, message, "SenderKeyMessage", sender_key_message_deserialize); !ok)
        return Unexpected(ok.error());
    // libsignal reports an unknown sender key id as an invalid message; tell
    // the caller it is a missing key, which asking the sender can fix.
    {
        SignalPtr<sender_key_record> record;
        const int loaded
            = signal_protocol_sender_key_load_key(impl_->bridge->context(), out(record), &impl_->signalName);
        if (loaded < 0)
            return signalFailure(loaded, "load sender key");
        sender_key_state* state = nullptr;
        if (!record || sender_key_record_is_empty(record.get())
            || sender_key_record_get_sender_key_state_by_id(
                   record.get(), &state, sender_key_message_get_key_id(parsed.get()))
                != SG_SUCCESS)
            return cryptoError(CryptoErrorCode::SenderKeyMissing, "group decrypt: no sender key with that id");
    }
    void* commitContext = const_cast<CommitPlaintext*>(&commit);
    return impl_->bridge->transact([&]() -> CryptoResult<Bytes> {
        SignalBuffer plaintext;
        if (const int rc = group_cipher_decrypt(impl_->cipher.get(), parsed.get(), commitContext, out(plaintext));
            rc != SG_SUCCESS)
            return groupFailure(rc, "group decrypt");
        return bytesOf(plaintext.get());
    });
}

CryptoResult<SenderKeyPosition> GroupCipher::messagePosition(ByteView message)
{
    std::lock_guard lock(SignalContext::mutex());
    SignalPtr<sender_key_message> parsed;
    if (auto ok = parseSignal(parsed, message, "SenderKeyMessage", sender_key_message_deserialize); !ok)
        return Unexpected(ok.error());
    return SenderKeyPosition { sender_key_message_get_key_id(parsed.get()),
        sender_key_message_get_iteration(parsed.get()) };
}

CryptoResult<SenderKeyPosition> GroupCipher::distributionPosition(ByteView distribution)
{
    std::lock_guard lock(SignalContext::mutex());
    SignalPtr<sender_key_distribution_message> parsed;
    if (auto ok = parseSignal(
            parsed, distribution, "SenderKeyDistributionMessage", sender_key_distribution_message_deserialize);
        !ok)
        return Unexpected(ok.error());
    return SenderKeyPosition { sender_key_distribution_message_get_id(parsed.get()),
        sender_key_distribution_message_get_iteration(parsed.get()) };
}

} // namespace tenchat::crypto
