// SPDX-License-Identifier: GPL-3.0-or-later
// Feeds arbitrary bytes to every parser and decrypt path of the crypto
// engine. The first byte picks the target. Besides "no crash, no leak, no
// UB" it checks the engine's promise: a call that fails leaves the protocol
// store exactly as it was.
#include "tenchat/crypto/GroupCipher.h"
#include "tenchat/crypto/Identity.h"
#include "tenchat/crypto/InMemoryProtocolStore.h"
#include "tenchat/crypto/PreKeys.h"
#include "tenchat/crypto/SafetyNumber.h"
#include "tenchat/crypto/SecretStreamDecryptor.h"
#include "tenchat/crypto/SessionCipher.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace tenchat::crypto;
using tenchat::Expected;

namespace {

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "crypto fuzzer: %s\n", what);
    std::abort();
}

template <class T, class E> T must(Expected<T, E> result, const char* what)
{
    if (!result)
        fail(what);
    return std::move(result).value();
}

void must(CryptoResult<void> result, const char* what)
{
    if (!result)
        fail(what);
}

// Alice and Bob with a session both ways and Alice's group sender key known
// to Bob; built once per process.
struct World {
    std::unique_ptr<InMemoryProtocolStore> aliceStore;
    std::unique_ptr<InMemoryProtocolStore> bobStore;
    std::unique_ptr<SessionCipher> bobFromAlice;
    std::unique_ptr<GroupCipher> bobReadsAliceGroup;
    SafetyNumber safetyNumber;
    SecretBytes streamKey = SecretBytes(std::size_t(32));
    Bytes streamHeader = Bytes(24, 0x42);

    World()
    {
        aliceStore = std::make_unique<InMemoryProtocolStore>(must(generateLocalIdentity(), "alice identity"));
        bobStore = std::make_unique<InMemoryProtocolStore>(must(generateLocalIdentity(), "bob identity"));
        must(generatePreKeys(*bobStore, 1, 5), "pre-keys");
        must(generateSignedPreKey(*bobStore, 1, 1), "signed pre-key");
        const ProtocolAddress alice { "alice", 1 };
        const ProtocolAddress bob { "bob", 1 };
        SessionCipher aliceToBob = must(SessionCipher::create(*aliceStore, bob), "cipher");
        must(aliceToBob.initiateFromBundle(must(buildLocalBundle(*bobStore, 1, 1, 1), "bundle")), "x3dh");
        bobFromAlice = std::make_unique<SessionCipher>(must(SessionCipher::create(*bobStore, alice), "cipher"));
        must(bobFromAlice->decrypt(must(aliceToBob.encrypt(asBytes("hi")), "encrypt")), "decrypt");

        GroupCipher aliceGroup = must(GroupCipher::create(*aliceStore, { "group", alice }), "group");
        bobReadsAliceGroup
            = std::make_unique<GroupCipher>(must(GroupCipher::create(*bobStore, { "group", alice }), "group"));
        must(bobReadsAliceGroup->processDistributionMessage(must(aliceGroup.distributionMessage(), "skdm")), "skdm");

        safetyNumber = must(computeSafetyNumber("alice", must(aliceStore->localIdentity(), "id").publicKey, "bob",
                                must(bobStore->localIdentity(), "id").publicKey),
            "safety number");
    }
};

World& world()
{
    static World instance;
    return instance;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    World& w = world();
    const std::uint8_t selector = data[0];
    const ByteView input(data + 1, size - 1);
    const Bytes before = w.bobStore->snapshot();
    bool failed = true;

    switch (selector % 9) {
    case 0:
        failed = !w.bobFromAlice->decrypt(
            SessionMessage { SessionMessageType::Signal, Bytes(input.begin(), input.end()) });
        break;
    case 1:
        failed = !w.bobFromAlice->decrypt(
            SessionMessage { SessionMessageType::PreKey, Bytes(input.begin(), input.end()) });
        break;
    case 2: {
        auto bundle = PreKeyBundle::deserialize(input);
        failed = !bundle;
        if (bundle && bundle->serialize() != Bytes(input.begin(), input.end()))
            fail("bundle does not re-serialize to its input");
        break;
    }
    case 3: failed = !w.bobReadsAliceGroup->decrypt(input); break;
    case 4: {
        // A distribution message is not authenticated by itself (it travels
        // inside a pairwise session), so a well-formed one may be accepted.
        failed = !w.bobReadsAliceGroup->processDistributionMessage(input);
        break;
    }
    case 5: {
        auto decryptor = SecretStreamDecryptor::create(w.streamKey, w.streamHeader);
        if (!decryptor)
            fail("decryptor");
        // Split the input into chunks at 0xff bytes.
        std::size_t start = 0;
        for (std::size_t i = 0; i <= input.size(); ++i) {
            if (i == input.size() || input[i] == 0xff) {
                if (!decryptor->pull(input.subspan(start, i - start)))
                    break;
                start = i + 1;
            }
        }
        (void)decryptor->finish();
        break;
    }
    case 6: (void)safetyNumbersMatch(w.safetyNumber, input); break;
    case 7: (void)SessionCipher::senderIdentityKey(input); break;
    case 8:
        if (input.size() >= 33 + 64)
            (void)verifyIdentitySignature(input.first(33), input.subspan(97), input.subspan(33, 64));
        break;
    }
    if (failed && w.bobStore->snapshot() != before)
        fail("a failed call changed the protocol store");
    return 0;
}
