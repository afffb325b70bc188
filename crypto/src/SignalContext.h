// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The one process-wide libsignal global context: the OpenSSL/libsodium
// crypto provider and a recursive lock. libsignal takes the lock around
// every operation that touches a store, so store callbacks run serialised.
// The engine also takes it around whole operations (bundle processing,
// decrypt with commit callback) so they are atomic with respect to other
// threads using the same store.

#include <signal/signal_protocol.h>

#include <mutex>

namespace tenchat::crypto::detail {

class SignalContext {
public:
    // Created on first use; nullptr if libsignal could not allocate it.
    static signal_context* global();
    static std::recursive_mutex& mutex();
};

} // namespace tenchat::crypto::detail
