// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace tenchat::crypto {

// sodium_init() once per process, thread-safe. Aborts only if libsodium
// cannot find a source of randomness, which no later call could survive.
void ensureSodium();

} // namespace tenchat::crypto
