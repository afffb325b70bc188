// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Bridges a ProtocolStore to libsignal's store callbacks.
//
// Writes that libsignal makes during an operation are journaled, not applied:
// reads see the journal first, and the engine applies it with commit() only
// once the whole operation succeeded. libsignal itself saves the sender's
// identity before the message MAC is checked, and stores sessions before
// the caller has seen the plaintext; journaling makes every failed decrypt
// (garbage, tampering, refusal by the commit callback) leave the store
// exactly as it was.
//
// Trust policy (is_trusted_identity): trust on first use; the same key is
// trusted unless the user's record says TrustState::Changed; a different key
// is untrusted until the user accepts it through IdentityTrust.

#include "SignalRef.h"

#include "tenchat/crypto/CryptoError.h"
#include "tenchat/crypto/ProtocolStore.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

namespace tenchat::crypto::detail {

class StoreBridge {
public:
    static CryptoResult<std::unique_ptr<StoreBridge>> create(ProtocolStore& store);
    ~StoreBridge();
    StoreBridge(const StoreBridge&) = delete;
    StoreBridge& operator=(const StoreBridge&) = delete;

    signal_protocol_store_context* context() const { return context_; }
    ProtocolStore& store() const { return store_; }

    // Applies the journaled writes to the ProtocolStore, then clears it.
    CryptoResult<void> commit();
    // Drops the journaled writes.
    void discard();

    // Runs `operation` (which returns a CryptoResult) with a clean journal,
    // commits on success and discards on failure.
    template <class Operation> auto transact(Operation&& operation) -> decltype(operation())
    {
        discard();
        auto result = operation();
        if (!result) {
            discard();
            return result;
        }
        if (auto committed = commit(); !committed)
            return Unexpected(std::move(committed).error());
        return result;
    }

    // Callback helpers (public for the C trampolines in StoreBridge.cpp).
    using AddressKey = std::pair<std::string, std::int32_t>;
    using SenderKeyKey = std::tuple<std::string, std::string, std::int32_t>;
    struct Journal {
        std::map<AddressKey, IdentityRecord> identities;
        std::map<AddressKey, std::optional<Bytes>> sessions; // nullopt: deleted
        std::map<std::uint32_t, std::optional<Bytes>> preKeys;
        std::map<std::uint32_t, std::optional<Bytes>> signedPreKeys;
        std::map<SenderKeyKey, Bytes> senderKeys;
    };
    Journal& journal() { return journal_; }

private:
    explicit StoreBridge(ProtocolStore& store) : store_(store) { }

    ProtocolStore& store_;
    signal_protocol_store_context* context_ = nullptr;
    Journal journal_;
};

ProtocolAddress toAddress(const signal_protocol_address* address);

} // namespace tenchat::crypto::detail
