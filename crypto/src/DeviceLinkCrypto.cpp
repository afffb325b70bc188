// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/DeviceLinkCrypto.h"

#include "SodiumInit.h"

#include <sodium.h>

namespace tenchat::crypto {

namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kCodeBytes = kLinkRendezvousBytes + kLinkSecretBytes; // 12 bytes = 96 bits
constexpr std::size_t kCodeChars = kCodeBytes * 8 / 5 + (kCodeBytes * 8 % 5 ? 1 : 0); // 20

int decodeChar(char c)
{
    if (c >= 'a' && c <= 'z')
        c = char(c - 'a' + 'A');
    if (c == 'I' || c == 'L')
        c = '1';
    if (c == 'O')
        c = '0';
    for (int i = 0; i < 32; ++i)
        if (kAlphabet[i] == c)
            return i;
    return -1;
}

} // namespace

LinkCode newLinkCode()
{
    ensureSodium();
    LinkCode code;
    code.rendezvous.resize(kLinkRendezvousBytes);
    randombytes_buf(code.rendezvous.data(), code.rendezvous.size());
    code.secret = SecretBytes(kLinkSecretBytes);
    randombytes_buf(code.secret.data(), code.secret.size());
    return code;
}

std::string formatLinkCode(const LinkCode& code)
{
    Bytes all(code.rendezvous);
    all.insert(all.end(), code.secret.data(), code.secret.data() + code.secret.size());
    std::string chars;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (auto b : all) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            chars += kAlphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        chars += kAlphabet[(buffer << (5 - bits)) & 31];
    sodium_memzero(all.data(), all.size());
    std::string out;
    for (std::size_t i = 0; i < chars.size(); ++i) {
        if (i > 0 && i % 4 == 0)
            out += '-';
        out += chars[i];
    }
    sodium_memzero(chars.data(), chars.size());
    return out;
}

CryptoResult<LinkCode> parseLinkCode(std::string_view text)
{
    std::string digits;
    for (char c : text) {
        if (c == '-' || c == ' ')
            continue;
        digits += c;
    }
    if (digits.size() != kCodeChars)
        return cryptoError(CryptoErrorCode::InvalidKey, "a link code has 20 characters (XXXX-XXXX-XXXX-XXXX-XXXX)");
    Bytes all;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : digits) {
        const int v = decodeChar(c);
        if (v < 0)
            return cryptoError(CryptoErrorCode::InvalidKey, "a link code has only the letters and digits shown");
        buffer = (buffer << 5) | std::uint32_t(v);
        bits += 5;
        if (bits >= 8) {
            all.push_back(std::uint8_t((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    // The last character carries padding bits, which must be zero: one code, one spelling.
    if (all.size() != kCodeBytes || (buffer & ((1u << bits) - 1)) != 0)
        return cryptoError(CryptoErrorCode::InvalidKey, "malformed link code");
    LinkCode code;
    code.rendezvous.assign(all.begin(), all.begin() + kLinkRendezvousBytes);
    code.secret = SecretBytes(ByteView(all.data() + kLinkRendezvousBytes, kLinkSecretBytes));
    sodium_memzero(all.data(), all.size());
    return code;
}

Argon2Params linkArgon2Params()
{
    // The secret has 64 bits and the answer also needs an ephemeral X25519
    // secret, so Argon2id here is defence in depth: moderate cost.
    return Argon2Params { 2, 16ull * 1024 * 1024 };
}

CryptoResult<SecretBytes> deriveLinkCodeKey(const LinkCode& code, const Argon2Params& params)
{
    ensureSodium();
    Bytes salt(kArgon2SaltBytes);
    static constexpr char kLabel[] = "tenchat-link-salt-v1";
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, salt.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kLabel), sizeof kLabel - 1);
    crypto_generichash_update(&state, code.rendezvous.data(), code.rendezvous.size());
    crypto_generichash_final(&state, salt.data(), salt.size());
    const std::string_view secret(reinterpret_cast<const char*>(code.secret.data()), code.secret.size());
    return deriveKeyArgon2id(secret, salt, params, kLinkKeyBytes);
}

LinkKeyPair newLinkKeyPair()
{
    ensureSodium();
    LinkKeyPair pair;
    pair.publicKey.resize(crypto_box_PUBLICKEYBYTES);
    pair.secretKey = SecretBytes(crypto_box_SECRETKEYBYTES);
    crypto_box_keypair(pair.publicKey.data(), pair.secretKey.data());
    return pair;
}

CryptoResult<Bytes> linkSeal(ByteView key, ByteView associated, ByteView plaintext)
{
    ensureSodium();
    if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
        return cryptoError(CryptoErrorCode::InvalidKey, "link key must be 32 bytes");
    Bytes out(
        crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    randombytes_buf(out.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written,
        plaintext.data(), plaintext.size(), associated.data(), associated.size(), nullptr, out.data(), key.data());
    out.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + written);
    return out;
}

CryptoResult<Bytes> linkOpen(ByteView key, ByteView associated, ByteView sealed)
{
    ensureSodium();
    if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
        return cryptoError(CryptoErrorCode::InvalidKey, "link key must be 32 bytes");
    if (sealed.size() < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return cryptoError(CryptoErrorCode::InvalidMessage, "sealed link data too short");
    const std::size_t body = sealed.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    Bytes out(body - crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &written, nullptr,
            sealed.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, body, associated.data(), associated.size(),
            sealed.data(), key.data())
        != 0)
        return cryptoError(CryptoErrorCode::InvalidMessage, "the link data does not open with this code");
    out.resize(written);
    return out;
}

CryptoResult<SecretBytes> deriveLinkAnswerKey(const SecretBytes& codeKey, const SecretBytes& ourSecret,
    ByteView theirPublic, ByteView offerPublic, ByteView answerPublic, ByteView rendezvous)
{
    ensureSodium();
    if (codeKey.size() != kLinkKeyBytes || ourSecret.size() != crypto_scalarmult_SCALARBYTES
        || theirPublic.size() != crypto_scalarmult_BYTES)
        return cryptoError(CryptoErrorCode::InvalidKey, "bad link key sizes");
    SecretBytes shared(crypto_scalarmult_BYTES);
    if (crypto_scalarmult(shared.data(), ourSecret.data(), theirPublic.data()) != 0)
        return cryptoError(CryptoErrorCode::InvalidKey, "invalid X25519 public key");
    static constexpr char kLabel[] = "tenchat-link-answer-v1";
    SecretBytes key(kLinkKeyBytes);
    crypto_generichash_state state;
    crypto_generichash_init(&state, codeKey.data(), codeKey.size(), key.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kLabel), sizeof kLabel - 1);
    crypto_generichash_update(&state, rendezvous.data(), rendezvous.size());
    crypto_generichash_update(&state, offerPublic.data(), offerPublic.size());
    crypto_generichash_update(&state, answerPublic.data(), answerPublic.size());
    crypto_generichash_update(&state, shared.data(), shared.size());
    crypto_generichash_final(&state, key.data(), key.size());
    sodium_memzero(&state, sizeof state);
    return key;
}

} // namespace tenchat::crypto
