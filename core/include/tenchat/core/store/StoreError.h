// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/crypto/Expected.h"

#include <QString>

namespace tenchat::core::store {

enum class StoreErrorCode {
    WrongPassphrase, // the passphrase does not match the profile header
    DamagedHeader, // the key header beside the database is missing fields or fails its checksum
    DamagedDatabase, // the key is right but the database does not decrypt or parse
    SchemaTooNew, // written by a newer TenChat: refuse rather than guess
    AlreadyExists, // create() on a directory that already holds a profile
    NotFound, // no profile, or no such row
    InvalidArgument, // a caller error (empty id, bad value)
    Io, // a file could not be read or written
    Sql, // any other SQLite failure
};

const char* toString(StoreErrorCode code);

struct StoreError {
    StoreErrorCode code = StoreErrorCode::Sql;
    QString message; // human readable; never contains key material or message bodies
};

template <class T> using StoreExpected = Expected<T, StoreError>;
using StoreOk = Expected<void, StoreError>;

inline Unexpected<StoreError> storeError(StoreErrorCode code, QString message)
{
    return Unexpected<StoreError>(StoreError { code, std::move(message) });
}

} // namespace tenchat::core::store
