// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: frame decoding and request validation exactly as the relay
// does them for every incoming WebSocket message, plus the decoding of stored
// entry bodies into what a device receives. No server needed.
#include "EntryFanOut.h"
#include "RequestValidator.h"

#include "tenchat/v1/frame.pb.h"

#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const tenchat::relay::RequestValidator validator;
    // Malformed UTF-8 is expected here; keep the output readable.
    static const bool quiet = [] {
        google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int, const std::string&) {});
        return true;
    }();
    (void)quiet;
    if (size > (1u << 20))
        return 0;
    tenchat::v1::Frame frame;
    if (frame.ParseFromArray(data, static_cast<int>(size)) && frame.has_request()) {
        const auto verdict = validator.validate(frame.request());
        // Whatever passed validation must re-serialize (handlers copy fields).
        if (!verdict) {
            std::string again;
            if (!frame.SerializeToString(&again))
                __builtin_trap();
        }
    }
    // Stored bodies are parsed again on delivery: none may crash.
    tenchat::relay::EntryRecord entry;
    entry.body.assign(reinterpret_cast<const char*>(data), size);
    entry.senderUser = std::string(16, 'u');
    for (auto kind : { tenchat::relay::EntryBodyKind::SenderKey, tenchat::relay::EntryBodyKind::DeviceCiphertexts,
             tenchat::relay::EntryBodyKind::Membership }) {
        entry.bodyKind = kind;
        (void)tenchat::relay::EntryFanOut::toWire(entry, std::string(16, 'u'), 1);
    }
    return 0;
}
