// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"

#include <string>
#include <vector>

namespace tenchat::core::store {

class Database;

// The numbered, forward-only schema migrations. Migration N takes the schema
// from version N-1 to N and runs in its own transaction together with the
// PRAGMA user_version bump, so a crash leaves either version N-1 or N.
// Never edit a released migration; append a new one.
class Migrations {
public:
    struct Step {
        int version;
        const char* description;
        std::string sql;
    };

    static const std::vector<Step>& steps();
    static int latestVersion();
    // Applies every step above the current version up to `target`.
    static StoreOk migrate(Database& db, int target);
};

} // namespace tenchat::core::store
