// SPDX-License-Identifier: GPL-3.0-or-later
#include "CryptoProvider.h"

#include "SodiumInit.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>

#include <climits>
#include <cstring>
#include <memory>
#include <vector>

namespace tenchat::crypto::detail {
namespace {

EVP_MAC_CTX* newHmacSha256(EVP_MAC* mac)
{
    if (!mac)
        return nullptr;
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    char digest[] = "SHA256";
    const OSSL_PARAM params[]
        = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end() };
    if (ctx && EVP_MAC_CTX_set_params(ctx, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return nullptr;
    }
    return ctx;
}

// Fetched once: implicit fetches on every call are a measurable cost in
// OpenSSL 3 and the algorithms never change for the process lifetime.
struct Algorithms {
    EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MD* sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
    EVP_CIPHER* cbc[3] = { EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr),
        EVP_CIPHER_fetch(nullptr, "AES-192-CBC", nullptr), EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr) };
    EVP_CIPHER* ctr[3] = { EVP_CIPHER_fetch(nullptr, "AES-128-CTR", nullptr),
        EVP_CIPHER_fetch(nullptr, "AES-192-CTR", nullptr), EVP_CIPHER_fetch(nullptr, "AES-256-CTR", nullptr) };
    // HMAC-SHA256 with the digest already bound: contexts are duplicated
    // from it, which skips a digest fetch by name on every message key.
    EVP_MAC_CTX* hmacSha256 = newHmacSha256(hmac);
    ~Algorithms()
    {
        EVP_MAC_CTX_free(hmacSha256);
        EVP_MAC_free(hmac);
        EVP_MD_free(sha512);
        for (EVP_CIPHER* c : cbc)
            EVP_CIPHER_free(c);
        for (EVP_CIPHER* c : ctr)
            EVP_CIPHER_free(c);
    }
};

const Algorithms& algorithms()
{
    static const Algorithms instance;
    return instance;
}

int randomBytes(uint8_t* data, size_t len, void*)
{
    ensureSodium();
    randombytes_buf(data, len);
    return SG_SUCCESS;
}

// Every message key derivation runs several HMACs; allocating, duplicating
// and cleansing a fresh EVP_MAC_CTX each time was a fifth of a ratchet step.
// Finished contexts are kept per thread and re-keyed by EVP_MAC_init.
class HmacPool {
public:
    ~HmacPool()
    {
        for (EVP_MAC_CTX* ctx : free_)
            EVP_MAC_CTX_free(ctx);
    }
    EVP_MAC_CTX* take()
    {
        if (!free_.empty()) {
            EVP_MAC_CTX* ctx = free_.back();
            free_.pop_back();
            return ctx;
        }
        const EVP_MAC_CTX* prototype = algorithms().hmacSha256;
        return prototype ? EVP_MAC_CTX_dup(prototype) : nullptr;
    }
    // The parked context keeps the HMAC state of its last key until the next
    // EVP_MAC_init replaces it (ratchet state also lives in the serialized
    // session records the store holds); OpenSSL cleanses it when freed.
    // Re-keying with zeros here would cost as much as the HMAC itself.
    void give(EVP_MAC_CTX* ctx)
    {
        if (free_.size() < kMaxPooled)
            free_.push_back(ctx);
        else
            EVP_MAC_CTX_free(ctx);
    }

private:
    static constexpr std::size_t kMaxPooled = 8;
    std::vector<EVP_MAC_CTX*> free_;
};

HmacPool& hmacPool()
{
    thread_local HmacPool pool;
    return pool;
}

int hmacInit(void** context, const uint8_t* key, size_t keyLen, void*)
{
    EVP_MAC_CTX* ctx = hmacPool().take();
    if (!ctx)
        return SG_ERR_NOMEM;
    // A zero-length key is legal HMAC; give OpenSSL a valid pointer.
    static const uint8_t kEmpty = 0;
    if (EVP_MAC_init(ctx, keyLen ? key : &kEmpty, keyLen, nullptr) != 1) {
        EVP_MAC_CTX_free(ctx);
        return SG_ERR_UNKNOWN;
    }
    *context = ctx;
    return SG_SUCCESS;
}

int hmacUpdate(void* context, const uint8_t* data, size_t len, void*)
{
    return EVP_MAC_update(static_cast<EVP_MAC_CTX*>(context), data, len) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

int hmacFinal(void* context, signal_buffer** output, void*)
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    size_t macLen = 0;
    if (EVP_MAC_final(static_cast<EVP_MAC_CTX*>(context), mac, &macLen, sizeof mac) != 1)
        return SG_ERR_UNKNOWN;
    signal_buffer* buffer = signal_buffer_create(mac, macLen);
    sodium_memzero(mac, sizeof mac);
    if (!buffer)
        return SG_ERR_NOMEM;
    *output = buffer;
    return SG_SUCCESS;
}

void hmacCleanup(void* context, void*)
{
    // Pooled per thread; freed (and cleansed by OpenSSL) at thread exit.
    hmacPool().give(static_cast<EVP_MAC_CTX*>(context));
}

int sha512Init(void** context, void*)
{
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (!ctx)
        return SG_ERR_NOMEM;
    if (!algorithms().sha512 || EVP_DigestInit_ex(ctx, algorithms().sha512, nullptr) != 1) {
        EVP_MD_CTX_free(ctx);
        return SG_ERR_UNKNOWN;
    }
    *context = ctx;
    return SG_SUCCESS;
}

int sha512Update(void* context, const uint8_t* data, size_t len, void*)
{
    return EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context), data, len) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

// libsignal's fingerprint code calls update/final repeatedly on one
// context (5200 iterations), so final must leave it ready for reuse.
int sha512Final(void* context, signal_buffer** output, void*)
{
    auto* ctx = static_cast<EVP_MD_CTX*>(context);
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int digestLen = 0;
    if (EVP_DigestFinal_ex(ctx, digest, &digestLen) != 1)
        return SG_ERR_UNKNOWN;
    if (EVP_DigestInit_ex(ctx, algorithms().sha512, nullptr) != 1)
        return SG_ERR_UNKNOWN;
    signal_buffer* buffer = signal_buffer_create(digest, digestLen);
    if (!buffer)
        return SG_ERR_NOMEM;
    *output = buffer;
    return SG_SUCCESS;
}

void sha512Cleanup(void* context, void*)
{
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context));
}

const EVP_CIPHER* aesCipher(int mode, size_t keyLen)
{
    int index = -1;
    switch (keyLen) {
    case 16: index = 0; break;
    case 24: index = 1; break;
    case 32: index = 2; break;
    default: return nullptr;
    }
    if (mode == SG_CIPHER_AES_CBC_PKCS5)
        return algorithms().cbc[index];
    if (mode == SG_CIPHER_AES_CTR_NOPADDING)
        return algorithms().ctr[index];
    return nullptr;
}

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

int aes(bool encrypt, signal_buffer** output, int mode, const uint8_t* key, size_t keyLen, const uint8_t* iv,
    size_t ivLen, const uint8_t* input, size_t inputLen)
{
    const EVP_CIPHER* cipher = aesCipher(mode, keyLen);
    if (!cipher || ivLen != 16)
        return SG_ERR_INVAL;
    if (inputLen > static_cast<size_t>(INT_MAX) - 32)
        return SG_ERR_INVAL;
    // CBC ciphertext is whole blocks, at least one (the padding block).
    if (!encrypt && mode == SG_CIPHER_AES_CBC_PKCS5 && (inputLen == 0 || inputLen % 16 != 0))
        return SG_ERR_INVAL;

    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
    if (!ctx)
        return SG_ERR_NOMEM;
    if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key, iv, encrypt ? 1 : 0) != 1)
        return SG_ERR_UNKNOWN;
    // OpenSSL's PKCS#7 removal checks every pad byte and the 1..16 range;
    // CTR runs without padding.
    EVP_CIPHER_CTX_set_padding(ctx.get(), mode == SG_CIPHER_AES_CBC_PKCS5 ? 1 : 0);

    signal_buffer* buffer = signal_buffer_alloc(inputLen + 16);
    if (!buffer)
        return SG_ERR_NOMEM;
    uint8_t* out = signal_buffer_data(buffer);
    int written = 0;
    int finalWritten = 0;
    const bool ok = EVP_CipherUpdate(ctx.get(), out, &written, input, static_cast<int>(inputLen)) == 1
        && EVP_CipherFinal_ex(ctx.get(), out + written, &finalWritten) == 1;
    if (!ok) {
        signal_buffer_bzero_free(buffer);
        return SG_ERR_UNKNOWN;
    }
    const size_t total = static_cast<size_t>(written) + static_cast<size_t>(finalWritten);
    // Shrink to the real length: copy, because signal_buffer has no resize.
    signal_buffer* result = signal_buffer_create(out, total);
    signal_buffer_bzero_free(buffer);
    if (!result)
        return SG_ERR_NOMEM;
    *output = result;
    return SG_SUCCESS;
}

int encryptFunc(signal_buffer** output, int cipher, const uint8_t* key, size_t keyLen, const uint8_t* iv, size_t ivLen,
    const uint8_t* plaintext, size_t plaintextLen, void*)
{
    return aes(true, output, cipher, key, keyLen, iv, ivLen, plaintext, plaintextLen);
}

int decryptFunc(signal_buffer** output, int cipher, const uint8_t* key, size_t keyLen, const uint8_t* iv, size_t ivLen,
    const uint8_t* ciphertext, size_t ciphertextLen, void*)
{
    return aes(false, output, cipher, key, keyLen, iv, ivLen, ciphertext, ciphertextLen);
}

} // namespace

signal_crypto_provider openSslCryptoProvider()
{
    signal_crypto_provider provider {};
    provider.random_func = randomBytes;
    provider.hmac_sha256_init_func = hmacInit;
    provider.hmac_sha256_update_func = hmacUpdate;
    provider.hmac_sha256_final_func = hmacFinal;
    provider.hmac_sha256_cleanup_func = hmacCleanup;
    provider.sha512_digest_init_func = sha512Init;
    provider.sha512_digest_update_func = sha512Update;
    provider.sha512_digest_final_func = sha512Final;
    provider.sha512_digest_cleanup_func = sha512Cleanup;
    provider.encrypt_func = encryptFunc;
    provider.decrypt_func = decryptFunc;
    provider.user_data = nullptr;
    return provider;
}

} // namespace tenchat::crypto::detail
