// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/PreKeys.h"

#include "SignalContext.h"
#include "SignalErrors.h"
#include "SignalKeys.h"
#include "SignalRef.h"

#include "tenchat/crypto/Identity.h"

#include <signal/key_helper.h>
#include <signal/session_pre_key.h>

#include <mutex>

namespace tenchat::crypto {

using namespace detail;

namespace {

Unexpected<CryptoError> storeFailed(const StoreFailure& failure)
{
    return cryptoError(CryptoErrorCode::StoreFailure, "protocol store failed: " + failure.message);
}

CryptoResult<Bytes> publicKeyOf(const ec_key_pair* pair)
{
    return serializePublicKey(ec_key_pair_get_public(pair));
}

} // namespace

CryptoResult<LocalIdentity> generateLocalIdentity()
{
    auto pair = generateIdentityKeyPair();
    if (!pair)
        return Unexpected(std::move(pair).error());
    return LocalIdentity { std::move(pair->publicKey), std::move(pair->privateKey), generateRegistrationId() };
}

CryptoResult<std::vector<PublicPreKey>> generatePreKeys(
    ProtocolStore& store, std::uint32_t firstId, std::uint32_t count)
{
    if (count == 0 || count > 1000 || firstId == 0 || firstId > kMaxPreKeyId)
        return cryptoError(CryptoErrorCode::InvalidKey, "pre-key batch: bad first id or count");
    signal_context* context = SignalContext::global();
    if (!context)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");

    // Generate everything first so a failure stores nothing.
    std::vector<PublicPreKey> publicKeys;
    std::vector<SignalBuffer> records;
    publicKeys.reserve(count);
    records.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint32_t id = ((firstId - 1 + i) % kMaxPreKeyId) + 1;
        SignalPtr<ec_key_pair> pair;
        if (const int rc = curve_generate_key_pair(context, out(pair)); rc != SG_SUCCESS)
            return signalFailure(rc, "generate pre-key");
        SignalPtr<session_pre_key> preKey;
        if (const int rc = session_pre_key_create(out(preKey), id, pair.get()); rc != SG_SUCCESS)
            return signalFailure(rc, "create pre-key");
        SignalBuffer record;
        if (const int rc = session_pre_key_serialize(out(record), preKey.get()); rc != SG_SUCCESS)
            return signalFailure(rc, "serialize pre-key");
        auto publicKey = publicKeyOf(pair.get());
        if (!publicKey)
            return Unexpected(std::move(publicKey).error());
        publicKeys.push_back(PublicPreKey { id, std::move(*publicKey) });
        records.push_back(std::move(record));
    }
    std::lock_guard lock(SignalContext::mutex());
    for (std::size_t i = 0; i < records.size(); ++i)
        if (auto status = store.storePreKey(publicKeys[i].id, viewOf(records[i].get())); !status)
            return storeFailed(status.error());
    return publicKeys;
}

CryptoResult<PublicSignedPreKey> generateSignedPreKey(ProtocolStore& store, std::uint32_t id, std::uint64_t timestampMs)
{
    if (id == 0 || id > kMaxPreKeyId)
        return cryptoError(CryptoErrorCode::InvalidKey, "signed pre-key: bad id");
    signal_context* context = SignalContext::global();
    if (!context)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    std::lock_guard lock(SignalContext::mutex());
    auto local = store.localIdentity();
    if (!local)
        return storeFailed(local.error());
    auto publicKey = decodePublicKey(local->publicKey);
    if (!publicKey)
        return Unexpected(std::move(publicKey).error());
    auto privateKey = decodePrivateKey(local->privateKey.view());
    if (!privateKey)
        return Unexpected(std::move(privateKey).error());
    SignalPtr<ratchet_identity_key_pair> identity;
    if (const int rc = ratchet_identity_key_pair_create(out(identity), publicKey->get(), privateKey->get());
        rc != SG_SUCCESS)
        return signalFailure(rc, "identity key pair");

    SignalPtr<session_signed_pre_key> signedPreKey;
    if (const int rc = signal_protocol_key_helper_generate_signed_pre_key(
            out(signedPreKey), identity.get(), id, timestampMs, context);
        rc != SG_SUCCESS)
        return signalFailure(rc, "generate signed pre-key");
    SignalBuffer record;
    if (const int rc = session_signed_pre_key_serialize(out(record), signedPreKey.get()); rc != SG_SUCCESS)
        return signalFailure(rc, "serialize signed pre-key");
    auto signedPublic = publicKeyOf(session_signed_pre_key_get_key_pair(signedPreKey.get()));
    if (!signedPublic)
        return Unexpected(std::move(signedPublic).error());
    const std::uint8_t* signature = session_signed_pre_key_get_signature(signedPreKey.get());
    PublicSignedPreKey result { id, std::move(*signedPublic),
        Bytes(signature, signature + session_signed_pre_key_get_signature_len(signedPreKey.get())), timestampMs };
    if (auto status = store.storeSignedPreKey(id, viewOf(record.get())); !status)
        return storeFailed(status.error());
    return result;
}

CryptoResult<PreKeyBundle> buildLocalBundle(
    ProtocolStore& store, std::int32_t deviceId, std::uint32_t signedPreKeyId, std::optional<std::uint32_t> preKeyId)
{
    signal_context* context = SignalContext::global();
    if (!context)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    std::lock_guard lock(SignalContext::mutex());
    auto local = store.localIdentity();
    if (!local)
        return storeFailed(local.error());

    PreKeyBundle bundle;
    bundle.registrationId = local->registrationId;
    bundle.deviceId = deviceId;
    bundle.identityKey = local->publicKey;

    auto signedRecord = store.loadSignedPreKey(signedPreKeyId);
    if (!signedRecord)
        return storeFailed(signedRecord.error());
    if (!signedRecord->has_value())
        return cryptoError(CryptoErrorCode::InvalidKey, "no signed pre-key with that id");
    SignalPtr<session_signed_pre_key> signedPreKey;
    if (const int rc = session_signed_pre_key_deserialize(
            out(signedPreKey), (*signedRecord)->data(), (*signedRecord)->size(), context);
        rc != SG_SUCCESS)
        return signalFailure(rc, "load signed pre-key");
    auto signedPublic = publicKeyOf(session_signed_pre_key_get_key_pair(signedPreKey.get()));
    if (!signedPublic)
        return Unexpected(std::move(signedPublic).error());
    const std::uint8_t* signature = session_signed_pre_key_get_signature(signedPreKey.get());
    bundle.signedPreKey = PublicSignedPreKey { signedPreKeyId, std::move(*signedPublic),
        Bytes(signature, signature + session_signed_pre_key_get_signature_len(signedPreKey.get())),
        session_signed_pre_key_get_timestamp(signedPreKey.get()) };

    if (preKeyId) {
        auto record = store.loadPreKey(*preKeyId);
        if (!record)
            return storeFailed(record.error());
        if (!record->has_value())
            return cryptoError(CryptoErrorCode::InvalidKey, "no one-time pre-key with that id");
        SignalPtr<session_pre_key> preKey;
        if (const int rc = session_pre_key_deserialize(out(preKey), (*record)->data(), (*record)->size(), context);
            rc != SG_SUCCESS)
            return signalFailure(rc, "load pre-key");
        auto preKeyPublic = publicKeyOf(session_pre_key_get_key_pair(preKey.get()));
        if (!preKeyPublic)
            return Unexpected(std::move(preKeyPublic).error());
        bundle.preKey = PublicPreKey { *preKeyId, std::move(*preKeyPublic) };
    }
    return bundle;
}

} // namespace tenchat::crypto
