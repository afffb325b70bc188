// SPDX-License-Identifier: GPL-3.0-or-later
#include "SodiumInit.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace tenchat::crypto {

void ensureSodium()
{
    static const bool ready = [] {
        if (sodium_init() < 0) {
            std::fputs("tenchat: libsodium could not initialise (no randomness source)\n", stderr);
            std::abort();
        }
        return true;
    }();
    (void)ready;
}

} // namespace tenchat::crypto
