// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/Database.h"
#include "tenchat/core/store/StoreError.h"
#include "tenchat/crypto/Bytes.h"
#include "tenchat/crypto/Kdf.h"
#include "tenchat/crypto/SecretBytes.h"

#include <QString>

#include <string_view>

namespace tenchat::core::store {

// The small key header beside the database (profile.header, JSON): Argon2id
// salt and parameters, the cipher settings, and a key verifier so that a
// wrong passphrase is told apart from a damaged database without touching the
// database at all. A SHA-256 checksum over the content detects a damaged
// header. Nothing in it is secret.
class ProfileHeader {
public:
    static constexpr int kFormatVersion = 1;

    struct DerivedKey {
        crypto::SecretBytes databaseKey; // 32 bytes, the raw SQLCipher key
        crypto::Bytes verifier; // 32 bytes, stored in the header
    };

    // A new header with a fresh salt; the verifier is set by derive(..., true).
    static ProfileHeader fresh(const crypto::Argon2Params& params);
    static StoreExpected<ProfileHeader> read(const QString& path);
    // Writes to a temporary file, fsyncs and renames over `path`.
    StoreOk writeAtomically(const QString& path) const;

    // Argon2id(passphrase, salt) -> 64 bytes: the first half keys the database,
    // the second half is the verifier. With `adoptVerifier` the header takes
    // the new verifier (creation, re-key); otherwise a mismatch is WrongPassphrase.
    StoreExpected<DerivedKey> derive(std::string_view passphrase, bool adoptVerifier = false);

    const crypto::Argon2Params& params() const { return params_; }
    const Database::CipherSettings& cipher() const { return cipher_; }

private:
    QByteArray canonicalContent() const;

    crypto::Argon2Params params_;
    crypto::Bytes salt_;
    crypto::Bytes verifier_;
    Database::CipherSettings cipher_;
};

} // namespace tenchat::core::store
