// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Turns stored log entries into what one device may see (for per-device
// entries: only its own ciphertext) and pushes new entries live to every
// connected member device except the sender's own.

#include "RelayContext.h"

#include "tenchat/v1/frame.pb.h"

#include <optional>

namespace tenchat::relay {

class EntryFanOut {
public:
    explicit EntryFanOut(RelayContext& context) : ctx_(context) { }

    // nullopt when the entry holds nothing for that device.
    static std::optional<tenchat::v1::Entry> toWire(const EntryRecord& entry, const std::string& userId,
        std::uint32_t deviceId, const tenchat::v1::DeviceCiphertexts* parsed = nullptr);

    // `parsed` avoids re-parsing a fresh append's per-device body;
    // `alsoNotify` reaches users no longer in `members` (just removed).
    void deliver(const EntryRecord& entry, const std::vector<MemberRecord>& members,
        const tenchat::v1::DeviceCiphertexts* parsed = nullptr, const std::vector<std::string>& alsoNotify = {});

private:
    RelayContext& ctx_;
};

} // namespace tenchat::relay
