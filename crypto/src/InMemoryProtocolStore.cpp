// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/InMemoryProtocolStore.h"

namespace tenchat::crypto {

namespace {

StoreStatus failure()
{
    return makeUnexpected(StoreFailure { "in-memory store set to fail" });
}

void appendBytes(Bytes& out, ByteView bytes)
{
    const auto size = static_cast<std::uint32_t>(bytes.size());
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(size >> shift));
    out.insert(out.end(), bytes.begin(), bytes.end());
}

void appendNumber(Bytes& out, std::uint64_t value)
{
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(value >> shift));
}

} // namespace

InMemoryProtocolStore::InMemoryProtocolStore(LocalIdentity identity) : identity_(std::move(identity))
{ }

bool InMemoryProtocolStore::writeFails()
{
    if (failing_)
        return true;
    if (writesBeforeFailure_) {
        if (*writesBeforeFailure_ == 0)
            return true;
        --*writesBeforeFailure_;
    }
    return false;
}

StoreStatus InMemoryProtocolStore::beginWriteBatch()
{
    if (failing_)
        return failure();
    batchBackup_ = Contents { identities_, sessions_, preKeys_, signedPreKeys_, senderKeys_ };
    return {};
}

StoreStatus InMemoryProtocolStore::commitWriteBatch()
{
    batchBackup_.reset();
    return {};
}

void InMemoryProtocolStore::abortWriteBatch()
{
    if (!batchBackup_)
        return;
    identities_ = std::move(batchBackup_->identities);
    sessions_ = std::move(batchBackup_->sessions);
    preKeys_ = std::move(batchBackup_->preKeys);
    signedPreKeys_ = std::move(batchBackup_->signedPreKeys);
    senderKeys_ = std::move(batchBackup_->senderKeys);
    batchBackup_.reset();
}

StoreResult<LocalIdentity> InMemoryProtocolStore::localIdentity()
{
    if (failing_)
        return makeUnexpected(StoreFailure { "in-memory store set to fail" });
    return LocalIdentity { identity_.publicKey, identity_.privateKey.clone(), identity_.registrationId };
}

StoreResult<std::optional<IdentityRecord>> InMemoryProtocolStore::loadIdentity(const ProtocolAddress& address)
{
    if (failing_)
        return makeUnexpected(StoreFailure { "in-memory store set to fail" });
    const auto it = identities_.find(keyOf(address));
    if (it == identities_.end())
        return std::optional<IdentityRecord> {};
    return std::optional<IdentityRecord> { it->second };
}

StoreStatus InMemoryProtocolStore::saveIdentity(const ProtocolAddress& address, const IdentityRecord& record)
{
    if (writeFails())
        return failure();
    ++writes_;
    identities_[keyOf(address)] = record;
    return {};
}

StoreResult<std::optional<Bytes>> InMemoryProtocolStore::loadSession(const ProtocolAddress& address)
{
    if (failing_)
        return makeUnexpected(StoreFailure { "in-memory store set to fail" });
    const auto it = sessions_.find(keyOf(address));
    if (it == sessions_.end())
        return std::optional<Bytes> {};
    return std::optional<Bytes> { it->second };
}

StoreResult<std::vector<std::int32_t>> InMemoryProtocolStore::subDeviceSessions(const std::string& name)
{
    if (failing_)
        return makeUnexpected(StoreFailure { "in-memory store set to fail" });
    std::vector<std::int32_t> devices;
    for (const auto& [key, record] : sessions_)
        if (key.first == name)
            devices.push_back(key.second);
    return devices;
}

StoreStatus InMemoryProtocolStore::storeSession(const ProtocolAddress& address, ByteView record)
{
    if (writeFails())
        return failure();
    ++writes_;
    sessions_[keyOf(address)] = Bytes(record.begin(), record.end());
    return {};
}

StoreResult<bool> InMemoryProtocolStore::containsSession(const ProtocolAddress& address)
{
    if (failing_)
        return makeUnexpected(StoreFailure { "in-memory store set to fail" });
    return sessions_.count(keyOf(address)) > 0;
}

StoreStatus InMemoryProtocolStore::deleteSession(const ProtocolAddress& address)
{
    if (writeFails())
        return failure();
    ++writes_;
    sessions_.erase(keyOf(address));
    return {};
}

StoreResult<int> InMemoryProtocolStore::deleteAllSessions(const std::string& name)
{
    if (writeFails())
        return makeUnexpected(StoreFailure { "in-memory store set to fail" });
    ++writes_;
    int deleted = 0;
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (it->first.first == name) {
            it = sessions_.erase(it);
            ++deleted;
        } else {
            ++it;
        }
    }
    return deleted;
}

StoreResult<std::optional<Bytes>> InMemoryProtocolStore::loadPreKey(std::uint32_t id)
{
    if (failing_)
        return makeUnexpected(StoreFailure { "in-memory store set to fail" });
    const auto it = preKeys_.find(id);
    if (it == preKeys_.end())
        return std::optional<Bytes> {};
    return std::optional<Bytes> { it->second };
}

StoreStatus InMemoryProtocolStore::storePreKey(std::uint32_t id, ByteView record)
{
    if (writeFails())
        return failure();
    ++writes_;
    preKeys_[id] = Bytes(record.begin(), record.end());
    return {};
}

StoreResult<bool> InMemoryProtocolStore::containsPreKey(std::uint32_t id)
{
    if (failing_)
        return makeUnexpected(StoreFailure { "in-memory store set to fail" });
    return preKeys_.count(id) > 0;
}

StoreStatus InMemoryProtocolStore::removePreKey(std::uint32_t id)
{
    if (writeFails())
        return failure();
    ++writes_;
    preKeys_.erase(id);
    return {};
}

StoreResult<std::optional<Bytes>> InMemoryProtocolStore::loadSignedPreKey(std::uint32_t id)
{
    if (failing_)
        return makeUnexpected(StoreFailure { "in-memory store set to fail" });
    const auto it = signedPreKeys_.find(id);
    if (it == signedPreKeys_.end())
        return std::optional<Bytes> {};
    return std::optional<Bytes> { it->second };
}

StoreStatus InMemoryProtocolStore::storeSignedPreKey(std::uint32_t id, ByteView record)
{
    if (writeFails())
        return failure();
    ++writes_;
    signedPreKeys_[id] = Bytes(record.begin(), record.end());
    return {};
}

StoreResult<bool> InMemoryProtocolStore::containsSignedPreKey(std::uint32_t id)
{
    if (failing_)
        return makeUnexpected(StoreFailure { "in-memory store set to fail" });
    return signedPreKeys_.count(id) > 0;
}

StoreStatus InMemoryProtocolStore::removeSignedPreKey(std::uint32_t id)
{
    if (writeFails())
        return failure();
    ++writes_;
    signedPreKeys_.erase(id);
    return {};
}

StoreResult<std::optional<Bytes>> InMemoryProtocolStore::loadSenderKey(const SenderKeyName& name)
{
    if (failing_)
        return makeUnexpected(StoreFailure { "in-memory store set to fail" });
    const auto it = senderKeys_.find({ name.groupId, name.sender.name, name.sender.deviceId });
    if (it == senderKeys_.end())
        return std::optional<Bytes> {};
    return std::optional<Bytes> { it->second };
}

StoreStatus InMemoryProtocolStore::storeSenderKey(const SenderKeyName& name, ByteView record)
{
    if (writeFails())
        return failure();
    ++writes_;
    senderKeys_[{ name.groupId, name.sender.name, name.sender.deviceId }] = Bytes(record.begin(), record.end());
    return {};
}

Bytes InMemoryProtocolStore::snapshot() const
{
    Bytes out;
    auto appendAddress = [&out](const AddressKey& key) {
        appendBytes(out, asBytes(key.first));
        appendNumber(out, static_cast<std::uint32_t>(key.second));
    };
    appendNumber(out, identities_.size());
    for (const auto& [key, record] : identities_) {
        appendAddress(key);
        appendBytes(out, record.publicKey);
        appendNumber(out, static_cast<std::uint64_t>(record.trust));
    }
    appendNumber(out, sessions_.size());
    for (const auto& [key, record] : sessions_) {
        appendAddress(key);
        appendBytes(out, record);
    }
    for (const auto* keys : { &preKeys_, &signedPreKeys_ }) {
        appendNumber(out, keys->size());
        for (const auto& [id, record] : *keys) {
            appendNumber(out, id);
            appendBytes(out, record);
        }
    }
    appendNumber(out, senderKeys_.size());
    for (const auto& [key, record] : senderKeys_) {
        appendBytes(out, asBytes(std::get<0>(key)));
        appendAddress({ std::get<1>(key), std::get<2>(key) });
        appendBytes(out, record);
    }
    return out;
}

} // namespace tenchat::crypto
