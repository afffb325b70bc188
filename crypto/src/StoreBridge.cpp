// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoreBridge.h"

#include "SignalContext.h"
#include "SignalErrors.h"

#include <sodium.h>

namespace tenchat::crypto::detail {

ProtocolAddress toAddress(const signal_protocol_address* address)
{
    // name is not NUL-terminated: always use name_len.
    return ProtocolAddress { std::string(address->name, address->name_len), address->device_id };
}

namespace {

StoreBridge& bridgeOf(void* userData)
{
    return *static_cast<StoreBridge*>(userData);
}

StoreBridge::AddressKey keyOf(const signal_protocol_address* address)
{
    return { std::string(address->name, address->name_len), address->device_id };
}

StoreBridge::SenderKeyKey keyOf(const signal_protocol_sender_key_name* name)
{
    return { std::string(name->group_id, name->group_id_len), std::string(name->sender.name, name->sender.name_len),
        name->sender.device_id };
}

SenderKeyName toSenderKeyName(const StoreBridge::SenderKeyKey& key)
{
    return SenderKeyName { std::get<0>(key), ProtocolAddress { std::get<1>(key), std::get<2>(key) } };
}

// Hands a copy of `bytes` to libsignal, which frees it.
int giveBuffer(signal_buffer** target, ByteView bytes)
{
    signal_buffer* buffer = signal_buffer_create(bytes.data(), bytes.size());
    if (!buffer)
        return SG_ERR_NOMEM;
    *target = buffer;
    return SG_SUCCESS;
}

// A record found for libsignal's session and sender-key loads: these answer
// 1 for "found" where the other loads answer SG_SUCCESS.
int giveFound(signal_buffer** target, ByteView bytes)
{
    const int rc = giveBuffer(target, bytes);
    return rc == SG_SUCCESS ? 1 : rc;
}

// Answers a session or sender-key load from the ProtocolStore once the
// journal had nothing: found (1), none (0) or a store failure.
int giveLoaded(signal_buffer** target, const StoreResult<std::optional<Bytes>>& loaded)
{
    if (!loaded)
        return kStoreFailureCode;
    if (!loaded->has_value())
        return 0;
    return giveFound(target, **loaded);
}

bool sameKey(ByteView a, ByteView b)
{
    return a.size() == b.size() && (a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0);
}

void noDestroy(void*)
{ }

// Every libsignal store struct ends with the same two fields: the bridge is
// the user data of all of them and owns nothing they would destroy.
template <class Callbacks> Callbacks callbacksFor(void* self)
{
    Callbacks callbacks {};
    callbacks.destroy_func = noDestroy;
    callbacks.user_data = self;
    return callbacks;
}

// Sessions -----------------------------------------------------------

int loadSession(signal_buffer** record, signal_buffer**, const signal_protocol_address* address, void* userData)
{
    StoreBridge& bridge = bridgeOf(userData);
    const auto key = keyOf(address);
    if (const auto it = bridge.journal().sessions.find(key); it != bridge.journal().sessions.end()) {
        if (!it->second)
            return 0;
        return giveFound(record, *it->second);
    }
    return giveLoaded(record, bridge.store().loadSession(toAddress(address)));
}

int subDeviceSessions(signal_int_list** sessions, const char* name, size_t nameLen, void* userData)
{
    StoreBridge& bridge = bridgeOf(userData);
    auto devices = bridge.store().subDeviceSessions(std::string(name, nameLen));
    if (!devices)
        return kStoreFailureCode;
    signal_int_list* list = signal_int_list_alloc();
    if (!list)
        return SG_ERR_NOMEM;
    for (std::int32_t device : *devices) {
        if (signal_int_list_push_back(list, device) < 0) {
            signal_int_list_free(list);
            return SG_ERR_NOMEM;
        }
    }
    *sessions = list;
    return static_cast<int>(signal_int_list_size(list));
}

int storeSession(
    const signal_protocol_address* address, uint8_t* record, size_t recordLen, uint8_t*, size_t, void* userData)
{
    bridgeOf(userData).journal().sessions[keyOf(address)] = Bytes(record, record + recordLen);
    return SG_SUCCESS;
}

int containsSession(const signal_protocol_address* address, void* userData)
{
    StoreBridge& bridge = bridgeOf(userData);
    if (const auto it = bridge.journal().sessions.find(keyOf(address)); it != bridge.journal().sessions.end())
        return it->second ? 1 : 0;
    auto contains = bridge.store().containsSession(toAddress(address));
    if (!contains)
        return kStoreFailureCode;
    return *contains ? 1 : 0;
}

int deleteSession(const signal_protocol_address* address, void* userData)
{
    bridgeOf(userData).journal().sessions[keyOf(address)] = std::nullopt;
    return 1;
}

int deleteAllSessions(const char* name, size_t nameLen, void* userData)
{
    // Never called by cipher operations, only by explicit API use:
    // applied directly.
    StoreBridge& bridge = bridgeOf(userData);
    const std::string owner(name, nameLen);
    std::erase_if(bridge.journal().sessions, [&owner](const auto& entry) { return entry.first.first == owner; });
    auto deleted = bridge.store().deleteAllSessions(owner);
    if (!deleted)
        return kStoreFailureCode;
    return *deleted;
}

// Pre-keys -----------------------------------------------------------

template <class Load>
int loadKeyRecord(
    signal_buffer** record, const std::map<std::uint32_t, std::optional<Bytes>>& journal, std::uint32_t id, Load&& load)
{
    if (const auto it = journal.find(id); it != journal.end()) {
        if (!it->second)
            return SG_ERR_INVALID_KEY_ID;
        return giveBuffer(record, *it->second);
    }
    auto loaded = load(id);
    if (!loaded)
        return kStoreFailureCode;
    if (!loaded->has_value())
        return SG_ERR_INVALID_KEY_ID;
    return giveBuffer(record, **loaded);
}

template <class Contains>
int containsKeyRecord(
    const std::map<std::uint32_t, std::optional<Bytes>>& journal, std::uint32_t id, Contains&& contains)
{
    if (const auto it = journal.find(id); it != journal.end())
        return it->second ? 1 : 0;
    auto found = contains(id);
    if (!found)
        return kStoreFailureCode;
    return *found ? 1 : 0;
}

int loadPreKey(signal_buffer** record, uint32_t id, void* userData)
{
    StoreBridge& bridge = bridgeOf(userData);
    return loadKeyRecord(
        record, bridge.journal().preKeys, id, [&bridge](std::uint32_t key) { return bridge.store().loadPreKey(key); });
}

int storePreKey(uint32_t id, uint8_t* record, size_t recordLen, void* userData)
{
    bridgeOf(userData).journal().preKeys[id] = Bytes(record, record + recordLen);
    return SG_SUCCESS;
}

int containsPreKey(uint32_t id, void* userData)
{
    StoreBridge& bridge = bridgeOf(userData);
    return containsKeyRecord(
        bridge.journal().preKeys, id, [&bridge](std::uint32_t key) { return bridge.store().containsPreKey(key); });
}

int removePreKey(uint32_t id, void* userData)
{
    bridgeOf(userData).journal().preKeys[id] = std::nullopt;
    return SG_SUCCESS;
}

int loadSignedPreKey(signal_buffer** record, uint32_t id, void* userData)
{
    StoreBridge& bridge = bridgeOf(userData);
    return loadKeyRecord(record, bridge.journal().signedPreKeys, id,
        [&bridge](std::uint32_t key) { return bridge.store().loadSignedPreKey(key); });
}

int storeSignedPreKey(uint32_t id, uint8_t* record, size_t recordLen, void* userData)
{
    bridgeOf(userData).journal().signedPreKeys[id] = Bytes(record, record + recordLen);
    return SG_SUCCESS;
}

int containsSignedPreKey(uint32_t id, void* userData)
{
    StoreBridge& bridge = bridgeOf(userData);
    return containsKeyRecord(bridge.journal().signedPreKeys, id,
        [&bridge](std::uint32_t key) { return bridge.store().containsSignedPreKey(key); });
}

int removeSignedPreKey(uint32_t id, void* userData)
{
    bridgeOf(userData).journal().signedPreKeys[id] = std::nullopt;
    return SG_SUCCESS;
}

// Identities ---------------------------------------------------------

int identityKeyPair(signal_buffer** publicData, signal_buffer** privateData, void* userData)
{
    auto local = bridgeOf(userData).store().localIdentity();
    if (!local)
        return kStoreFailureCode;
    signal_buffer* publicBuffer = signal_buffer_create(local->publicKey.data(), local->publicKey.size());
    signal_buffer* privateBuffer = signal_buffer_create(local->privateKey.data(), local->privateKey.size());
    if (!publicBuffer || !privateBuffer) {
        signal_buffer_free(publicBuffer);
        signal_buffer_bzero_free(privateBuffer);
        return SG_ERR_NOMEM;
    }
    *publicData = publicBuffer;
    *privateData = privateBuffer;
    return SG_SUCCESS;
}

int localRegistrationId(void* userData, uint32_t* registrationId)
{
    auto local = bridgeOf(userData).store().localIdentity();
    if (!local)
        return kStoreFailureCode;
    *registrationId = local->registrationId;
    return SG_SUCCESS;
}

// The identity record as the operation sees it: journal first.
int currentIdentity(StoreBridge& bridge, const signal_protocol_address* address, std::optional<IdentityRecord>& out)
{
    if (const auto it = bridge.journal().identities.find(keyOf(address)); it != bridge.journal().identities.end()) {
        out = it->second;
        return SG_SUCCESS;
    }
    auto loaded = bridge.store().loadIdentity(toAddress(address));
    if (!loaded)
        return kStoreFailureCode;
    out = std::move(*loaded);
    return SG_SUCCESS;
}

int saveIdentity(const signal_protocol_address* address, uint8_t* keyData, size_t keyLen, void* userData)
{
    StoreBridge& bridge = bridgeOf(userData);
    if (!keyData)
        return SG_SUCCESS; // "forget the key": TenChat keeps identities until the user decides
    std::optional<IdentityRecord> existing;
    if (const int rc = currentIdentity(bridge, address, existing); rc != SG_SUCCESS)
        return rc;
    const ByteView key(keyData, keyLen);
    // The same key keeps the user's decision (Verified stays Verified);
    // only a first-seen key is recorded, as Unverified (TOFU).
    if (existing && sameKey(existing->publicKey, key))
        return SG_SUCCESS;
    if (existing)
        return SG_ERR_UNTRUSTED_IDENTITY; // libsignal checks trust first; never overwrite silently
    bridge.journal().identities[keyOf(address)]
        = IdentityRecord { Bytes(key.begin(), key.end()), TrustState::Unverified };
    return SG_SUCCESS;
}

int isTrustedIdentity(const signal_protocol_address* address, uint8_t* keyData, size_t keyLen, void* userData)
{
    StoreBridge& bridge = bridgeOf(userData);
    std::optional<IdentityRecord> existing;
    if (const int rc = currentIdentity(bridge, address, existing); rc != SG_SUCCESS)
        return rc;
    if (!existing)
        return 1; // trust on first use
    if (!sameKey(existing->publicKey, ByteView(keyData, keyLen)))
        return 0;
    return existing->trust == TrustState::Changed ? 0 : 1;
}

// Sender keys --------------------------------------------------------

int storeSenderKey(
    const signal_protocol_sender_key_name* name, uint8_t* record, size_t recordLen, uint8_t*, size_t, void* userData)
{
    bridgeOf(userData).journal().senderKeys[keyOf(name)] = Bytes(record, record + recordLen);
    return SG_SUCCESS;
}

int loadSenderKey(signal_buffer** record, signal_buffer**, const signal_protocol_sender_key_name* name, void* userData)
{
    StoreBridge& bridge = bridgeOf(userData);
    const auto key = keyOf(name);
    if (const auto it = bridge.journal().senderKeys.find(key); it != bridge.journal().senderKeys.end())
        return giveFound(record, it->second);
    return giveLoaded(record, bridge.store().loadSenderKey(toSenderKeyName(key)));
}

} // namespace

CryptoResult<std::unique_ptr<StoreBridge>> StoreBridge::create(ProtocolStore& store)
{
    signal_context* global = SignalContext::global();
    if (!global)
        return cryptoError(CryptoErrorCode::Internal, "libsignal context unavailable");
    std::unique_ptr<StoreBridge> bridge(new StoreBridge(store));
    void* self = bridge.get();
    if (const int rc = signal_protocol_store_context_create(&bridge->context_, global); rc != SG_SUCCESS) {
        bridge->context_ = nullptr;
        return signalFailure(rc, "create store context");
    }

    auto sessions = callbacksFor<signal_protocol_session_store>(self);
    sessions.load_session_func = loadSession;
    sessions.get_sub_device_sessions_func = subDeviceSessions;
    sessions.store_session_func = storeSession;
    sessions.contains_session_func = containsSession;
    sessions.delete_session_func = deleteSession;
    sessions.delete_all_sessions_func = deleteAllSessions;

    auto preKeys = callbacksFor<signal_protocol_pre_key_store>(self);
    preKeys.load_pre_key = loadPreKey;
    preKeys.store_pre_key = storePreKey;
    preKeys.contains_pre_key = containsPreKey;
    preKeys.remove_pre_key = removePreKey;

    auto signedPreKeys = callbacksFor<signal_protocol_signed_pre_key_store>(self);
    signedPreKeys.load_signed_pre_key = loadSignedPreKey;
    signedPreKeys.store_signed_pre_key = storeSignedPreKey;
    signedPreKeys.contains_signed_pre_key = containsSignedPreKey;
    signedPreKeys.remove_signed_pre_key = removeSignedPreKey;

    auto identities = callbacksFor<signal_protocol_identity_key_store>(self);
    identities.get_identity_key_pair = identityKeyPair;
    identities.get_local_registration_id = localRegistrationId;
    identities.save_identity = saveIdentity;
    identities.is_trusted_identity = isTrustedIdentity;

    auto senderKeys = callbacksFor<signal_protocol_sender_key_store>(self);
    senderKeys.store_sender_key = storeSenderKey;
    senderKeys.load_sender_key = loadSenderKey;

    signal_protocol_store_context* context = bridge->context_;
    if (signal_protocol_store_context_set_session_store(context, &sessions) != SG_SUCCESS
        || signal_protocol_store_context_set_pre_key_store(context, &preKeys) != SG_SUCCESS
        || signal_protocol_store_context_set_signed_pre_key_store(context, &signedPreKeys) != SG_SUCCESS
        || signal_protocol_store_context_set_identity_key_store(context, &identities) != SG_SUCCESS
        || signal_protocol_store_context_set_sender_key_store(context, &senderKeys) != SG_SUCCESS)
        return cryptoError(CryptoErrorCode::Internal, "could not install store callbacks");
    return bridge;
}

StoreBridge::~StoreBridge()
{
    if (context_)
        signal_protocol_store_context_destroy(context_);
}

void StoreBridge::discard()
{
    journal_ = Journal {};
}

CryptoResult<void> StoreBridge::commit()
{
    Journal pending = std::move(journal_);
    journal_ = Journal {};
    if (pending.identities.empty() && pending.sessions.empty() && pending.preKeys.empty()
        && pending.signedPreKeys.empty() && pending.senderKeys.empty())
        return {};
    if (auto begun = store_.beginWriteBatch(); !begun)
        return cryptoError(CryptoErrorCode::StoreFailure, "protocol store write failed: " + begun.error().message);
    auto failed = [this](const StoreFailure& failure) {
        store_.abortWriteBatch();
        return cryptoError(CryptoErrorCode::StoreFailure, "protocol store write failed: " + failure.message);
    };
    for (const auto& [key, record] : pending.identities)
        if (auto status = store_.saveIdentity(ProtocolAddress { key.first, key.second }, record); !status)
            return failed(status.error());
    for (const auto& [key, record] : pending.sessions) {
        const ProtocolAddress address { key.first, key.second };
        auto status = record ? store_.storeSession(address, *record) : store_.deleteSession(address);
        if (!status)
            return failed(status.error());
    }
    // Pre-keys and signed pre-keys journal a record or its removal alike.
    auto applyKeyRecords = [this](const auto& records, auto storeRecord, auto removeRecord) -> StoreStatus {
        for (const auto& [id, record] : records)
            if (auto status = record ? (store_.*storeRecord)(id, *record) : (store_.*removeRecord)(id); !status)
                return status;
        return {};
    };
    if (auto status = applyKeyRecords(pending.preKeys, &ProtocolStore::storePreKey, &ProtocolStore::removePreKey);
        !status)
        return failed(status.error());
    if (auto status
        = applyKeyRecords(pending.signedPreKeys, &ProtocolStore::storeSignedPreKey, &ProtocolStore::removeSignedPreKey);
        !status)
        return failed(status.error());
    for (const auto& [key, record] : pending.senderKeys)
        if (auto status = store_.storeSenderKey(toSenderKeyName(key), record); !status)
            return failed(status.error());
    if (auto committed = store_.commitWriteBatch(); !committed)
        return failed(committed.error());
    return {};
}

} // namespace tenchat::crypto::detail
