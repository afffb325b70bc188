// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/store/StoreError.h"

namespace tenchat::core::store {

const char* toString(StoreErrorCode code)
{
    switch (code) {
    case StoreErrorCode::WrongPassphrase: return "wrong passphrase";
    case StoreErrorCode::DamagedHeader: return "damaged profile header";
    case StoreErrorCode::DamagedDatabase: return "damaged database";
    case StoreErrorCode::SchemaTooNew: return "database from a newer TenChat version";
    case StoreErrorCode::AlreadyExists: return "profile already exists";
    case StoreErrorCode::NotFound: return "not found";
    case StoreErrorCode::InvalidArgument: return "invalid argument";
    case StoreErrorCode::Io: return "i/o error";
    case StoreErrorCode::Sql: return "database error";
    }
    return "unknown";
}

} // namespace tenchat::core::store
