// SPDX-License-Identifier: GPL-3.0-or-later
#include "SignalContext.h"

#include "CryptoProvider.h"
#include "SodiumInit.h"

namespace tenchat::crypto::detail {
namespace {

void lockGlobal(void*)
{
    SignalContext::mutex().lock();
}

void unlockGlobal(void*)
{
    SignalContext::mutex().unlock();
}

// libsignal logs protocol events (bad MAC, old counter). They carry no
// secrets but are noise for a library; the engine reports typed errors
// instead, so the log is dropped.
void dropLog(int, const char*, size_t, void*)
{ }

struct GlobalContext {
    signal_context* context = nullptr;
    GlobalContext()
    {
        ensureSodium();
        if (signal_context_create(&context, nullptr) != SG_SUCCESS) {
            context = nullptr;
            return;
        }
        const signal_crypto_provider provider = openSslCryptoProvider();
        if (signal_context_set_crypto_provider(context, &provider) != SG_SUCCESS
            || signal_context_set_locking_functions(context, lockGlobal, unlockGlobal) != SG_SUCCESS
            || signal_context_set_log_function(context, dropLog) != SG_SUCCESS) {
            signal_context_destroy(context);
            context = nullptr;
        }
    }
    ~GlobalContext()
    {
        if (context)
            signal_context_destroy(context);
    }
};

} // namespace

std::recursive_mutex& SignalContext::mutex()
{
    // Outlives the context: function-local statics are destroyed in reverse
    // order of construction and global() calls mutex() first.
    static std::recursive_mutex instance;
    return instance;
}

signal_context* SignalContext::global()
{
    (void)mutex();
    static GlobalContext instance;
    return instance.context;
}

} // namespace tenchat::crypto::detail
