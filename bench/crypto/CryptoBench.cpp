// SPDX-License-Identifier: GPL-3.0-or-later
// Crypto engine benchmarks. Each engine figure sits beside its raw floor,
// measured in the same process, with the ratio as a counter:
//  - double ratchet encrypt+decrypt pairs/s (1 KiB, in-memory store) vs
//    AES-256-CBC + HMAC-SHA256 of 1 KiB with OpenSSL directly;
//  - sender-key encrypt/s;
//  - secretstream MB/s vs libsodium's secretstream called directly;
//  - Argon2id wall time at the default (interactive) parameters.
#include "tenchat/crypto/GroupCipher.h"
#include "tenchat/crypto/InMemoryProtocolStore.h"
#include "tenchat/crypto/Kdf.h"
#include "tenchat/crypto/PreKeys.h"
#include "tenchat/crypto/SecretStreamEncryptor.h"
#include "tenchat/crypto/SessionCipher.h"

#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <cstdlib>
#include <ctime>
#include <memory>
#include <stdexcept>

using namespace tenchat::crypto;

namespace {

constexpr std::size_t kMessageBytes = 1024;
constexpr std::size_t kStreamChunkBytes = 64 * 1024;

template <class T, class E> T must(tenchat::Expected<T, E> result)
{
    if (!result)
        throw std::runtime_error("benchmark set-up failed");
    return std::move(result).value();
}

void must(CryptoResult<void> result)
{
    if (!result)
        throw std::runtime_error("benchmark set-up failed");
}

// CPU time of this thread: the machines we measure on are shared, and
// Google Benchmark's own rates are CPU-time based too.
double threadCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

// Runs `body` repeatedly for about `seconds` of CPU time and returns calls
// per CPU second.
template <class Body> double ratePerSecond(double seconds, Body&& body)
{
    const double start = threadCpuSeconds();
    std::size_t calls = 0;
    double elapsed = 0;
    do {
        for (int i = 0; i < 16; ++i)
            body();
        calls += 16;
        elapsed = threadCpuSeconds() - start;
    } while (elapsed < seconds);
    return double(calls) / elapsed;
}

// The raw floor of one double-ratchet message: AES-256-CBC + HMAC-SHA256 over
// 1 KiB, sender and receiver side, with OpenSSL directly.
class RawAesHmac {
public:
    RawAesHmac()
    {
        randombytes_buf(key_, sizeof key_);
        randombytes_buf(macKey_, sizeof macKey_);
        randombytes_buf(iv_, sizeof iv_);
        plaintext_.resize(kMessageBytes, 0x5a);
        ciphertext_.resize(kMessageBytes + 32);
        decrypted_.resize(kMessageBytes + 32);
        cipher_ = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
        mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    }
    ~RawAesHmac()
    {
        EVP_CIPHER_free(cipher_);
        EVP_MAC_free(mac_);
    }

    void pair()
    {
        int length = crypt(true, plaintext_.data(), int(plaintext_.size()), ciphertext_.data());
        std::uint8_t tag[32];
        hmac(ciphertext_.data(), std::size_t(length), tag);
        std::uint8_t check[32];
        hmac(ciphertext_.data(), std::size_t(length), check);
        if (sodium_memcmp(tag, check, 32) != 0)
            std::abort();
        benchmark::DoNotOptimize(crypt(false, ciphertext_.data(), length, decrypted_.data()));
    }

private:
    int crypt(bool encrypt, const std::uint8_t* in, int length, std::uint8_t* out)
    {
        EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
        int written = 0, last = 0;
        EVP_CipherInit_ex(ctx, cipher_, nullptr, key_, iv_, encrypt ? 1 : 0);
        EVP_CipherUpdate(ctx, out, &written, in, length);
        EVP_CipherFinal_ex(ctx, out + written, &last);
        EVP_CIPHER_CTX_free(ctx);
        return written + last;
    }
    void hmac(const std::uint8_t* data, std::size_t length, std::uint8_t* out)
    {
        EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac_);
        char digest[] = "SHA256";
        const OSSL_PARAM params[]
            = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end() };
        std::size_t written = 0;
        EVP_MAC_init(ctx, macKey_, sizeof macKey_, params);
        EVP_MAC_update(ctx, data, length);
        EVP_MAC_final(ctx, out, &written, 32);
        EVP_MAC_CTX_free(ctx);
    }

    std::uint8_t key_[32];
    std::uint8_t macKey_[32];
    std::uint8_t iv_[16];
    Bytes plaintext_, ciphertext_, decrypted_;
    EVP_CIPHER* cipher_ = nullptr;
    EVP_MAC* mac_ = nullptr;
};

struct Conversation {
    std::unique_ptr<InMemoryProtocolStore> aliceStore;
    std::unique_ptr<InMemoryProtocolStore> bobStore;
    std::unique_ptr<SessionCipher> aliceToBob;
    std::unique_ptr<SessionCipher> bobToAlice;

    Conversation()
    {
        aliceStore = std::make_unique<InMemoryProtocolStore>(must(generateLocalIdentity()));
        bobStore = std::make_unique<InMemoryProtocolStore>(must(generateLocalIdentity()));
        must(generatePreKeys(*bobStore, 1, 1));
        must(generateSignedPreKey(*bobStore, 1, 1));
        aliceToBob = std::make_unique<SessionCipher>(must(SessionCipher::create(*aliceStore, { "bob", 1 })));
        bobToAlice = std::make_unique<SessionCipher>(must(SessionCipher::create(*bobStore, { "alice", 1 })));
        must(aliceToBob->initiateFromBundle(must(buildLocalBundle(*bobStore, 1, 1, 1))));
        // One round trip so both sides use plain SignalMessages.
        must(bobToAlice->decrypt(must(aliceToBob->encrypt(asBytes("hello")))));
        must(aliceToBob->decrypt(must(bobToAlice->encrypt(asBytes("hello")))));
    }
};

void BM_DoubleRatchetPair1KiB(benchmark::State& state)
{
    Conversation conversation;
    const Bytes plaintext(kMessageBytes, 0x5a);
    for (auto _ : state) {
        auto message = conversation.aliceToBob->encrypt(plaintext);
        auto decrypted = conversation.bobToAlice->decrypt(*message);
        if (!decrypted)
            state.SkipWithError("decrypt failed");
        benchmark::DoNotOptimize(decrypted);
    }
    RawAesHmac raw;
    const double rawPairs = ratePerSecond(0.2, [&] { raw.pair(); });
    state.counters["pairs_per_s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["raw_aes_hmac_pairs_per_s"] = rawPairs;
    state.SetLabel("1 KiB, in-memory store");
}
BENCHMARK(BM_DoubleRatchetPair1KiB)->Unit(benchmark::kMicrosecond);

void BM_RawAesCbcHmacPair1KiB(benchmark::State& state)
{
    RawAesHmac raw;
    for (auto _ : state)
        raw.pair();
    state.counters["pairs_per_s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RawAesCbcHmacPair1KiB)->Unit(benchmark::kMicrosecond);

// The ratio in one place: both sides timed back to back in one benchmark.
void BM_DoubleRatchetVsRawRatio(benchmark::State& state)
{
    Conversation conversation;
    RawAesHmac raw;
    const Bytes plaintext(kMessageBytes, 0x5a);
    double ratchet = 0, floor = 0;
    for (auto _ : state) {
        ratchet = ratePerSecond(0.1, [&] {
            auto message = conversation.aliceToBob->encrypt(plaintext);
            benchmark::DoNotOptimize(conversation.bobToAlice->decrypt(*message));
        });
        floor = ratePerSecond(0.1, [&] { raw.pair(); });
    }
    state.counters["ratchet_pairs_per_s"] = ratchet;
    state.counters["raw_pairs_per_s"] = floor;
    state.counters["raw_over_ratchet"] = floor / ratchet;
}
BENCHMARK(BM_DoubleRatchetVsRawRatio)->Iterations(3)->Unit(benchmark::kMillisecond);

void BM_SenderKeyEncrypt1KiB(benchmark::State& state)
{
    auto store = std::make_unique<InMemoryProtocolStore>(must(generateLocalIdentity()));
    GroupCipher sender = must(GroupCipher::create(*store, { "group", { "alice", 1 } }));
    must(sender.distributionMessage());
    const Bytes plaintext(kMessageBytes, 0x5a);
    for (auto _ : state)
        benchmark::DoNotOptimize(sender.encrypt(plaintext));
    state.counters["encrypts_per_s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SenderKeyEncrypt1KiB)->Unit(benchmark::kMicrosecond);

void BM_SecretStreamEngine(benchmark::State& state)
{
    const SecretBytes key = newSecretStreamKey();
    const Bytes chunk(kStreamChunkBytes, 0x33);
    Bytes out(kStreamChunkBytes + kSecretStreamChunkOverhead);
    auto encryptor = must(SecretStreamEncryptor::create(key));
    for (auto _ : state)
        benchmark::DoNotOptimize(encryptor.push(chunk, out, false));
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kStreamChunkBytes));
}
BENCHMARK(BM_SecretStreamEngine);

void BM_SecretStreamRawLibsodium(benchmark::State& state)
{
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_keygen(key);
    crypto_secretstream_xchacha20poly1305_state stream;
    crypto_secretstream_xchacha20poly1305_init_push(&stream, header, key);
    const Bytes chunk(kStreamChunkBytes, 0x33);
    Bytes out(kStreamChunkBytes + crypto_secretstream_xchacha20poly1305_ABYTES);
    for (auto _ : state) {
        unsigned long long written = 0;
        benchmark::DoNotOptimize(crypto_secretstream_xchacha20poly1305_push(&stream, out.data(), &written, chunk.data(),
            chunk.size(), nullptr, 0, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE));
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kStreamChunkBytes));
}
BENCHMARK(BM_SecretStreamRawLibsodium);

void BM_Argon2idInteractive(benchmark::State& state)
{
    const Bytes salt = newArgon2Salt();
    const Argon2Params params = Argon2Params::interactive();
    for (auto _ : state)
        benchmark::DoNotOptimize(deriveKeyArgon2id("correct horse battery staple", salt, params));
    state.counters["ops_limit"] = double(params.opsLimit);
    state.counters["mem_MiB"] = double(params.memLimitBytes >> 20);
}
BENCHMARK(BM_Argon2idInteractive)->Iterations(3)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv)
{
    if (sodium_init() < 0)
        return 1;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
