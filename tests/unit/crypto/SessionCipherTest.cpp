// SPDX-License-Identifier: GPL-3.0-or-later
#include "CryptoTestSupport.h"

#include "tenchat/crypto/Identity.h"
#include "tenchat/crypto/IdentityTrust.h"
#include "tenchat/crypto/MessagePadding.h"

#include <QTest>

#include <atomic>
#include <deque>
#include <random>
#include <thread>

using namespace tenchat::crypto;
using namespace tenchat::crypto::test;

namespace {

struct InFlight {
    SessionMessage message;
    Bytes plaintext;
    int epoch = 0; // the sender's ratchet turn (an upper bound of libsignal's)
};

// One side of a conversation in the interleaving test. libsignal keeps the
// receiving chains of the last 5 ratchet turns; `epoch` counts turns so the
// test reorders only within what the protocol promises to handle.
struct Side {
    int epoch = 0;
    bool receivedSinceSend = false;
};

// Alice and Bob with their ciphers for each other: the starting point of
// most tests here, kept in one place so each test shows only what it varies.
struct AliceAndBob {
    TestDevice alice = TestDevice::create("alice");
    TestDevice bob = TestDevice::create("bob");
    SessionCipher aliceToBob = alice.cipherFor(bob);
    SessionCipher bobToAlice = bob.cipherFor(alice);

    // Alice starts the session from Bob's bundle (his pre-key 1); Bob only
    // learns of it from her first message.
    [[nodiscard]] bool aliceStarts() { return aliceToBob.initiateFromBundle(bob.bundle()).hasValue(); }
};

// Whether `text` sent through `from` decrypts to the same text at `to`: for
// the exchanges that only move the ratchet forward.
[[nodiscard]] bool delivered(SessionCipher& from, SessionCipher& to, const std::string& text)
{
    auto message = from.encrypt(textBytes(text));
    if (!message)
        return false;
    auto plaintext = to.decrypt(*message);
    return plaintext && *plaintext == textBytes(text);
}

// Sends one message from `from` to `to`'s in-flight list.
void send(SessionCipher& from, Side& side, std::vector<InFlight>& queue, const std::string& text)
{
    if (side.receivedSinceSend) {
        ++side.epoch;
        side.receivedSinceSend = false;
    }
    auto encrypted = from.encrypt(textBytes(text));
    QVERIFY2(encrypted.hasValue(), encrypted.hasValue() ? "" : encrypted.error().message.c_str());
    queue.push_back(InFlight { std::move(*encrypted), textBytes(text), side.epoch });
}

// Finds the length-delimited protobuf field `field` at the top level of
// `bytes` (the inner SignalMessage of a PreKeySignalMessage is field 4).
std::pair<std::size_t, std::size_t> protobufField(ByteView bytes, std::size_t start, std::uint32_t field)
{
    std::size_t at = start;
    auto varint = [&]() {
        std::uint64_t value = 0;
        for (int shift = 0; at < bytes.size(); shift += 7) {
            const std::uint8_t byte = bytes[at++];
            value |= std::uint64_t(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                break;
        }
        return value;
    };
    while (at < bytes.size()) {
        const std::uint64_t key = varint();
        if ((key & 7) == 0) {
            varint();
        } else if ((key & 7) == 2) {
            const std::size_t length = varint();
            if ((key >> 3) == field)
                return { at, length };
            at += length;
        } else {
            break;
        }
    }
    return { 0, 0 };
}

} // namespace

class SessionCipherTest : public QObject {
    Q_OBJECT

private slots:
    void bundleSerializationRoundTrips()
    {
        TestDevice bob = TestDevice::create("bob");
        const PreKeyBundle bundle = bob.bundle(3);
        QVERIFY(bundle.verify().hasValue());
        const Bytes wire = bundle.serialize();
        auto parsed = PreKeyBundle::deserialize(wire);
        QVERIFY(parsed.hasValue());
        QVERIFY(*parsed == bundle);
        QCOMPARE(parsed->preKey->id, 3u);

        const PreKeyBundle withoutPreKey = bob.bundle(std::nullopt);
        auto parsedWithout = PreKeyBundle::deserialize(withoutPreKey.serialize());
        QVERIFY(parsedWithout.hasValue());
        QVERIFY(!parsedWithout->preKey.has_value());

        // Truncated, extended, and a signature by someone else: all refused.
        for (std::size_t cut : { std::size_t(0), std::size_t(1), wire.size() / 2, wire.size() - 1 }) {
            auto truncated = PreKeyBundle::deserialize(ByteView(wire).first(cut));
            QVERIFY(!truncated.hasValue());
        }
        Bytes extended = wire;
        extended.push_back(0);
        QVERIFY(!PreKeyBundle::deserialize(extended).hasValue());
        Bytes badSignature = wire;
        badSignature[1 + 4 + 4 + 33 + 4 + 8 + 33 + 5] ^= 0x01;
        auto rejected = PreKeyBundle::deserialize(badSignature);
        QVERIFY(!rejected.hasValue());
        QCOMPARE(rejected.error().code, CryptoErrorCode::InvalidKey);
    }

    void preKeyBatchIsStoredWithDistinctKeys()
    {
        auto identity = generateLocalIdentity();
        QVERIFY(identity.hasValue());
        InMemoryProtocolStore store(std::move(*identity));
        auto batch = generatePreKeys(store, 1);
        QVERIFY(batch.hasValue());
        QCOMPARE(batch->size(), std::size_t(kDefaultPreKeyBatch));
        QCOMPARE(store.preKeyCount(), std::size_t(kDefaultPreKeyBatch));
        QCOMPARE(batch->front().id, 1u);
        QCOMPARE(batch->back().id, 100u);
        QVERIFY(batch->front().publicKey != batch->back().publicKey);
        // Ids wrap inside libsignal's range instead of overflowing it.
        auto wrapped = generatePreKeys(store, kMaxPreKeyId, 2);
        QVERIFY(wrapped.hasValue());
        QCOMPARE((*wrapped)[0].id, kMaxPreKeyId);
        QCOMPARE((*wrapped)[1].id, 1u);
        QVERIFY(!generatePreKeys(store, 0, 5).hasValue());
        QVERIFY(!generatePreKeys(store, 1, 0).hasValue());
    }

    void thousandMessagesEachWayInterleavedAndReordered()
    {
        AliceAndBob pair;
        QVERIFY(pair.aliceStarts());
        auto& [alice, bob, aliceToBob, bobToAlice] = pair;

        std::mt19937 random(20261125);
        std::vector<InFlight> toBob;
        std::vector<InFlight> toAlice;
        Side aliceSide, bobSide;
        int sentByAlice = 0, sentByBob = 0, receivedByAlice = 0, receivedByBob = 0;
        bool bobHasSession = false;
        constexpr int kMessages = 1000;
        constexpr std::size_t kReorderWindow = 40;

        // Delivers a random one of the oldest kReorderWindow in-flight
        // messages, among those at most 3 ratchet turns newer than the oldest.
        auto deliver = [&](std::vector<InFlight>& queue, SessionCipher& receiver, Side& side, int& received) {
            std::size_t candidates = 0;
            while (candidates < std::min(queue.size(), kReorderWindow)
                && queue[candidates].epoch <= queue.front().epoch + 3)
                ++candidates;
            const std::size_t pick = std::uniform_int_distribution<std::size_t>(0, candidates - 1)(random);
            side.receivedSinceSend = true;
            InFlight item = std::move(queue[pick]);
            queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(pick));
            auto plaintext = receiver.decrypt(item.message);
            QVERIFY2(plaintext.hasValue(), plaintext.hasValue() ? "" : plaintext.error().message.c_str());
            QCOMPARE(*plaintext, item.plaintext);
            ++received;
        };

        while (receivedByAlice < kMessages || receivedByBob < kMessages) {
            const int action = std::uniform_int_distribution<int>(0, 3)(random);
            if (action == 0 && sentByAlice < kMessages) {
                send(aliceToBob, aliceSide, toBob, "a" + std::to_string(sentByAlice++));
            } else if (action == 1 && sentByBob < kMessages && bobHasSession) {
                send(bobToAlice, bobSide, toAlice, "b" + std::to_string(sentByBob++));
            } else if (action == 2 && !toBob.empty()) {
                deliver(toBob, bobToAlice, bobSide, receivedByBob);
                bobHasSession = true;
            } else if (action == 3 && !toAlice.empty()) {
                deliver(toAlice, aliceToBob, aliceSide, receivedByAlice);
            } else if (sentByAlice == kMessages && toBob.empty() && !bobHasSession) {
                QFAIL("bob never got a session");
            } else if (sentByBob == kMessages && sentByAlice == kMessages) {
                if (!toBob.empty())
                    deliver(toBob, bobToAlice, bobSide, receivedByBob);
                if (!toAlice.empty())
                    deliver(toAlice, aliceToBob, aliceSide, receivedByAlice);
            }
            if (QTest::currentTestFailed())
                return;
        }
        QCOMPARE(receivedByAlice, kMessages);
        QCOMPARE(receivedByBob, kMessages);
        // After the exchange both sides use plain SignalMessages.
        auto next = aliceToBob.encrypt(textBytes("done"));
        QVERIFY(next.hasValue());
        QCOMPARE(next->type, SessionMessageType::Signal);
        QCOMPARE(*bobToAlice.remoteRegistrationId(), alice.store->localIdentity()->registrationId);
    }

    void messageBeyondSkippedKeyWindowIsRefusedClearly()
    {
        AliceAndBob pair;
        QVERIFY(pair.aliceStarts());
        auto& [alice, bob, aliceToBob, bobToAlice] = pair;
        QVERIFY(delivered(aliceToBob, bobToAlice, "hello"));
        QVERIFY(delivered(bobToAlice, aliceToBob, "hi"));

        // Alice sends kSkippedMessageKeyWindow + 100 messages; Bob loses all
        // but a few.
        std::vector<SessionMessage> sent;
        for (std::uint32_t i = 0; i < kSkippedMessageKeyWindow + 100; ++i) {
            auto message = aliceToBob.encrypt(textBytes("m" + std::to_string(i)));
            QVERIFY(message.hasValue());
            sent.push_back(std::move(*message));
        }
        const Bytes before = bob.store->snapshot();
        auto tooFar = bobToAlice.decrypt(sent.back());
        QVERIFY(!tooFar.hasValue());
        QCOMPARE(tooFar.error().code, CryptoErrorCode::InvalidMessage);
        QVERIFY2(tooFar.error().message.find("window") != std::string::npos, tooFar.error().message.c_str());
        QVERIFY(bob.store->snapshot() == before);

        // Inside the window, skipping is fine, and the skipped ones still
        // decrypt afterwards, out of order.
        auto withinWindow = bobToAlice.decrypt(sent[kSkippedMessageKeyWindow - 10]);
        QVERIFY2(withinWindow.hasValue(), withinWindow.hasValue() ? "" : withinWindow.error().message.c_str());
        QCOMPARE(*withinWindow, textBytes("m" + std::to_string(kSkippedMessageKeyWindow - 10)));
        auto skipped = bobToAlice.decrypt(sent[5]);
        QVERIFY(skipped.hasValue());
        QCOMPARE(*skipped, textBytes("m5"));
        QVERIFY(bobToAlice.decrypt(sent.back()).hasValue());

        // Recovery after a lost chain: forget the session and start again.
        QVERIFY(aliceToBob.deleteSession().hasValue());
        QVERIFY(!*aliceToBob.hasSession());
        QCOMPARE(aliceToBob.encrypt(textBytes("x")).error().code, CryptoErrorCode::NoSession);
        QVERIFY(aliceToBob.initiateFromBundle(bob.bundle(2)).hasValue());
        auto restart = aliceToBob.encrypt(textBytes("fresh start"));
        QVERIFY(restart.hasValue());
        QCOMPARE(restart->type, SessionMessageType::PreKey);
        QCOMPARE(*bobToAlice.decrypt(*restart), textBytes("fresh start"));
    }

    void messageFromAnEvictedChainIsRefused()
    {
        // libsignal keeps the receiving chains of the last 5 ratchet turns.
        AliceAndBob pair;
        QVERIFY(pair.aliceStarts());
        auto& [alice, bob, aliceToBob, bobToAlice] = pair;
        // Captures `pair`: clang before 16 cannot capture structured bindings.
        auto roundTrip = [&pair] {
            QVERIFY(delivered(pair.aliceToBob, pair.bobToAlice, "ping"));
            QVERIFY(delivered(pair.bobToAlice, pair.aliceToBob, "pong"));
        };
        roundTrip();
        auto recent = aliceToBob.encrypt(textBytes("delayed a little"));
        QVERIFY(recent.hasValue());
        roundTrip();
        roundTrip();
        // Two turns later: still within the kept chains.
        QCOMPARE(*bobToAlice.decrypt(*recent), textBytes("delayed a little"));

        auto old = aliceToBob.encrypt(textBytes("delayed too long"));
        QVERIFY(old.hasValue());
        for (int i = 0; i < 6; ++i)
            roundTrip();
        const Bytes before = bob.store->snapshot();
        auto refused = bobToAlice.decrypt(*old);
        QVERIFY(!refused.hasValue());
        QCOMPARE(refused.error().code, CryptoErrorCode::InvalidMessage);
        QVERIFY(bob.store->snapshot() == before);
    }

    void replayIsReportedAsDuplicate()
    {
        AliceAndBob pair;
        QVERIFY(pair.aliceStarts());
        auto& [alice, bob, aliceToBob, bobToAlice] = pair;
        auto first = aliceToBob.encrypt(textBytes("one"));
        auto second = aliceToBob.encrypt(textBytes("two"));
        QVERIFY(first.hasValue() && second.hasValue());
        QCOMPARE(first->type, SessionMessageType::PreKey);
        QVERIFY(bobToAlice.decrypt(*first).hasValue());
        QVERIFY(bobToAlice.decrypt(*second).hasValue());

        QVERIFY(delivered(bobToAlice, aliceToBob, "three"));
        auto signalMessage = aliceToBob.encrypt(textBytes("four"));
        QVERIFY(signalMessage.hasValue());
        QCOMPARE(signalMessage->type, SessionMessageType::Signal);
        QVERIFY(bobToAlice.decrypt(*signalMessage).hasValue());

        const Bytes before = bob.store->snapshot();
        for (const SessionMessage* replayed : { &*signalMessage, &*second }) {
            auto again = bobToAlice.decrypt(*replayed);
            QVERIFY(!again.hasValue());
            QCOMPARE(again.error().code, CryptoErrorCode::DuplicateMessage);
        }
        QVERIFY(bob.store->snapshot() == before);
    }

    void flippedBitIsInvalidAndChangesNothing()
    {
        AliceAndBob pair;
        QVERIFY(pair.aliceStarts());
        auto& [alice, bob, aliceToBob, bobToAlice] = pair;
        auto first = aliceToBob.encrypt(textBytes("first"));
        QVERIFY(first.hasValue());

        // Flip every bit of the inner SignalMessage (ratchet key, counters,
        // AES ciphertext, MAC) of the PreKeySignalMessage: nothing may
        // decrypt, nothing may be stored. (The outer registration id is not
        // authenticated by libsignal and is not ciphertext.)
        const Bytes before = bob.store->snapshot();
        const auto [innerStart, innerLength] = protobufField(first->body, 1, 4);
        QVERIFY(innerLength > 40);
        for (std::size_t bit = innerStart * 8; bit < (innerStart + innerLength) * 8; ++bit) {
            SessionMessage tampered = *first;
            tampered.body[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
            auto result = bobToAlice.decrypt(tampered);
            QVERIFY(!result.hasValue());
            QVERIFY2(result.error().code == CryptoErrorCode::InvalidMessage
                    || result.error().code == CryptoErrorCode::InvalidKey
                    || result.error().code == CryptoErrorCode::LegacyVersion,
                result.error().message.c_str());
        }
        QVERIFY(bob.store->snapshot() == before);
        QVERIFY(bobToAlice.decrypt(*first).hasValue());

        QVERIFY(delivered(bobToAlice, aliceToBob, "reply"));
        auto message = aliceToBob.encrypt(textBytes("second"));
        QVERIFY(message.hasValue());
        QCOMPARE(message->type, SessionMessageType::Signal);
        const Bytes established = bob.store->snapshot();
        SessionMessage tampered = *message;
        tampered.body[tampered.body.size() - 12] ^= 0x20; // inside the AES ciphertext
        auto result = bobToAlice.decrypt(tampered);
        QVERIFY(!result.hasValue());
        QCOMPARE(result.error().code, CryptoErrorCode::InvalidMessage);
        tampered = *message;
        tampered.body.back() ^= 0x01; // inside the MAC
        result = bobToAlice.decrypt(tampered);
        QVERIFY(!result.hasValue());
        QCOMPARE(result.error().code, CryptoErrorCode::InvalidMessage);
        // Every bit of a SignalMessage is covered.
        for (std::size_t bit = 0; bit < message->body.size() * 8; ++bit) {
            tampered = *message;
            tampered.body[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
            result = bobToAlice.decrypt(tampered);
            QVERIFY(!result.hasValue());
            QVERIFY2(result.error().code == CryptoErrorCode::InvalidMessage
                    || result.error().code == CryptoErrorCode::LegacyVersion,
                result.error().message.c_str());
        }
        QVERIFY(bob.store->snapshot() == established);
        QVERIFY(bobToAlice.decrypt(*message).hasValue());
    }

    void changedIdentityIsUntrustedUntilAccepted()
    {
        AliceAndBob pair;
        QVERIFY(pair.aliceStarts());
        auto& [alice, bob, aliceToBob, bobToAlice] = pair;
        auto trust = identityTrust(*alice.store, bob.address, bob.identityKey);
        QVERIFY(trust.hasValue() && trust->has_value());
        QCOMPARE(**trust, TrustState::Unverified); // trust on first use

        // Bob reinstalls: same address, new identity.
        TestDevice newBob = TestDevice::create("bob");
        const Bytes before = alice.store->snapshot();
        auto outgoing = aliceToBob.initiateFromBundle(newBob.bundle());
        QVERIFY(!outgoing.hasValue());
        QCOMPARE(outgoing.error().code, CryptoErrorCode::UntrustedIdentity);

        // Incoming: new Bob writes first; Alice refuses and keeps her pre-key.
        SessionCipher newBobToAlice = newBob.cipherFor(alice);
        QVERIFY(newBobToAlice.initiateFromBundle(alice.bundle(2)).hasValue());
        auto hello = newBobToAlice.encrypt(textBytes("it's me, new phone"));
        QVERIFY(hello.hasValue());
        auto incoming = aliceToBob.decrypt(*hello);
        QVERIFY(!incoming.hasValue());
        QCOMPARE(incoming.error().code, CryptoErrorCode::UntrustedIdentity);
        QVERIFY(alice.store->snapshot() == before);

        auto presented = SessionCipher::senderIdentityKey(hello->body);
        QVERIFY(presented.hasValue());
        QCOMPARE(*presented, newBob.identityKey);
        trust = identityTrust(*alice.store, bob.address, *presented);
        QCOMPARE(**trust, TrustState::Changed);

        // Flagged by the app as changed: still refused.
        QVERIFY(flagIdentityChanged(*alice.store, bob.address, *presented).hasValue());
        incoming = aliceToBob.decrypt(*hello);
        QVERIFY(!incoming.hasValue());
        QCOMPARE(incoming.error().code, CryptoErrorCode::UntrustedIdentity);

        // The user compares safety numbers and accepts: the same message now
        // decrypts and the new session works both ways.
        QVERIFY(acceptIdentity(*alice.store, bob.address, *presented, TrustState::Verified).hasValue());
        incoming = aliceToBob.decrypt(*hello);
        QVERIFY2(incoming.hasValue(), incoming.hasValue() ? "" : incoming.error().message.c_str());
        QCOMPARE(*incoming, textBytes("it's me, new phone"));
        auto answer = aliceToBob.encrypt(textBytes("welcome back"));
        QVERIFY(answer.hasValue());
        auto received = newBobToAlice.decrypt(*answer);
        QVERIFY(received.hasValue());
        QCOMPARE(*received, textBytes("welcome back"));
        QCOMPARE(**identityTrust(*alice.store, bob.address, *presented), TrustState::Verified);
    }

    void refusedCommitLeavesSessionUntouched()
    {
        AliceAndBob pair;
        QVERIFY(pair.aliceStarts());
        auto& [alice, bob, aliceToBob, bobToAlice] = pair;
        auto message = aliceToBob.encrypt(textBytes("persist me"));
        QVERIFY(message.hasValue());

        const Bytes before = bob.store->snapshot();
        Bytes seen;
        auto refused = bobToAlice.decrypt(*message, [&seen](ByteView plaintext) {
            seen.assign(plaintext.begin(), plaintext.end());
            return false; // e.g. the message database is full
        });
        QVERIFY(!refused.hasValue());
        QCOMPARE(refused.error().code, CryptoErrorCode::StoreFailure);
        QCOMPARE(seen, textBytes("persist me"));
        QVERIFY(bob.store->snapshot() == before);
        QVERIFY(bob.store->preKeyCount() == 10);

        Bytes committed;
        auto accepted = bobToAlice.decrypt(*message, [&committed](ByteView plaintext) {
            committed.assign(plaintext.begin(), plaintext.end());
            return true;
        });
        QVERIFY(accepted.hasValue());
        QCOMPARE(committed, textBytes("persist me"));
        QCOMPARE(bob.store->preKeyCount(), std::size_t(9)); // the one-time pre-key is used up
    }

    void storeFailureIsTypedAndNothingIsWritten()
    {
        AliceAndBob pair;
        auto& [alice, bob, aliceToBob, bobToAlice] = pair;
        alice.store->setFailing(true);
        auto result = aliceToBob.initiateFromBundle(bob.bundle());
        QVERIFY(!result.hasValue());
        QCOMPARE(result.error().code, CryptoErrorCode::StoreFailure);
        alice.store->setFailing(false);
        QVERIFY(!*aliceToBob.hasSession());
        auto noSession = aliceToBob.encrypt(textBytes("x"));
        QVERIFY(!noSession.hasValue());
        QCOMPARE(noSession.error().code, CryptoErrorCode::NoSession);
    }

    void failureInTheMiddleOfCommitStoresNothing()
    {
        AliceAndBob pair;
        QVERIFY(pair.aliceStarts());
        auto& [alice, bob, aliceToBob, bobToAlice] = pair;
        auto first = aliceToBob.encrypt(textBytes("first"));
        QVERIFY(first.hasValue());
        // The first decrypt writes identity, session and the used pre-key:
        // let the first write succeed and the second fail.
        const Bytes before = bob.store->snapshot();
        bob.store->setFailAfterWrites(1);
        auto failed = bobToAlice.decrypt(*first);
        QVERIFY(!failed.hasValue());
        QCOMPARE(failed.error().code, CryptoErrorCode::StoreFailure);
        QVERIFY(bob.store->snapshot() == before);
        bob.store->setFailAfterWrites(std::nullopt);
        QCOMPARE(*bobToAlice.decrypt(*first), textBytes("first"));
        QVERIFY(bob.store->snapshot() != before);
    }

    void garbageNeverDecryptsAndChangesNothing()
    {
        AliceAndBob pair;
        QVERIFY(pair.aliceStarts());
        auto& [alice, bob, aliceToBob, bobToAlice] = pair;
        QVERIFY(delivered(aliceToBob, bobToAlice, "x"));

        std::mt19937 random(7);
        const Bytes before = bob.store->snapshot();
        const std::size_t writesBefore = bob.store->writeCount();
        for (int i = 0; i < 300; ++i) {
            SessionMessage garbage;
            garbage.type = i % 2 ? SessionMessageType::Signal : SessionMessageType::PreKey;
            garbage.body.resize(std::uniform_int_distribution<std::size_t>(0, 200)(random));
            for (auto& byte : garbage.body)
                byte = static_cast<std::uint8_t>(random());
            if (!garbage.body.empty())
                garbage.body[0] = 0x33; // current version, so parsing goes deeper
            QVERIFY(!bobToAlice.decrypt(garbage).hasValue());
        }
        // A well-formed PreKeySignalMessage claiming to be Alice with another
        // identity: refused, nothing recorded.
        TestDevice mallory = TestDevice::create("alice", 1);
        SessionCipher malloryToBob = mallory.cipherFor(bob);
        QVERIFY(malloryToBob.initiateFromBundle(bob.bundle(std::nullopt)).hasValue());
        auto forged = malloryToBob.encrypt(textBytes("hi"));
        auto refused = bobToAlice.decrypt(*forged);
        QVERIFY(!refused.hasValue());
        QCOMPARE(refused.error().code, CryptoErrorCode::UntrustedIdentity);
        // A first message from an unknown device whose MAC is broken:
        // libsignal saves the sender identity before it checks the MAC; the
        // journal must drop that write.
        TestDevice carol = TestDevice::create("carol");
        SessionCipher carolToBob = carol.cipherFor(bob);
        SessionCipher bobToCarol = bob.cipherFor(carol);
        QVERIFY(carolToBob.initiateFromBundle(bob.bundle(2)).hasValue());
        auto broken = carolToBob.encrypt(textBytes("hello"));
        QVERIFY(broken.hasValue());
        const auto [innerStart, innerLength] = protobufField(broken->body, 1, 4);
        broken->body[innerStart + innerLength - 1] ^= 0x01;
        auto badMac = bobToCarol.decrypt(*broken);
        QVERIFY(!badMac.hasValue());
        QCOMPARE(badMac.error().code, CryptoErrorCode::InvalidMessage);
        QVERIFY(!identityTrust(*bob.store, carol.address, carol.identityKey)->has_value());
        QVERIFY(bob.store->snapshot() == before);
        QCOMPARE(bob.store->writeCount(), writesBefore);
    }

    void severalThreadsShareTheGlobalContext()
    {
        // Four conversations on four threads, plus one cipher shared by two
        // threads: the recursive global lock must keep every call atomic.
        constexpr int kThreads = 4;
        constexpr int kMessages = 150;
        std::vector<TestDevice> alices, bobs;
        for (int i = 0; i < kThreads; ++i) {
            alices.push_back(TestDevice::create("alice" + std::to_string(i)));
            bobs.push_back(TestDevice::create("bob" + std::to_string(i)));
        }
        std::atomic<int> failures { 0 };
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                SessionCipher out = alices[std::size_t(t)].cipherFor(bobs[std::size_t(t)]);
                SessionCipher in = bobs[std::size_t(t)].cipherFor(alices[std::size_t(t)]);
                if (!out.initiateFromBundle(bobs[std::size_t(t)].bundle()))
                    ++failures;
                for (int i = 0; i < kMessages; ++i) {
                    const Bytes text = textBytes(std::to_string(t) + ":" + std::to_string(i));
                    auto message = out.encrypt(padMessage(text));
                    auto plaintext = message ? in.decrypt(*message) : CryptoResult<Bytes>(Bytes {});
                    if (!plaintext || unpadMessage(*plaintext).valueOr(Bytes {}) != text)
                        ++failures;
                }
            });
        }
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(failures.load(), 0);

        TestDevice alice = TestDevice::create("alice");
        TestDevice bob = TestDevice::create("bob");
        SessionCipher shared = alice.cipherFor(bob);
        QVERIFY(shared.initiateFromBundle(bob.bundle()).hasValue());
        std::vector<SessionMessage> sent[2];
        std::thread first([&] {
            for (int i = 0; i < kMessages; ++i)
                sent[0].push_back(shared.encrypt(textBytes("x")).valueOr(SessionMessage {}));
        });
        std::thread second([&] {
            for (int i = 0; i < kMessages; ++i)
                sent[1].push_back(shared.encrypt(textBytes("x")).valueOr(SessionMessage {}));
        });
        first.join();
        second.join();
        SessionCipher receiver = bob.cipherFor(alice);
        for (const auto& list : sent)
            for (const SessionMessage& message : list) {
                auto plaintext = receiver.decrypt(message);
                QVERIFY2(plaintext.hasValue(), plaintext.hasValue() ? "" : plaintext.error().message.c_str());
            }
    }

    void paddingHidesLengthAndRoundTrips()
    {
        QCOMPARE(padMessage({}).size(), kMessagePaddingBlock);
        QCOMPARE(padMessage(Bytes(159)).size(), kMessagePaddingBlock);
        QCOMPARE(padMessage(Bytes(160)).size(), 2 * kMessagePaddingBlock);
        for (std::size_t size : { 0, 1, 158, 159, 160, 161, 1000 }) {
            Bytes text(size, 0x00); // zeros inside the content are kept
            if (size > 2)
                text[1] = 0x80;
            QCOMPARE(*unpadMessage(padMessage(text)), text);
        }
        QVERIFY(!unpadMessage(Bytes(160, 0)).hasValue());
        QVERIFY(!unpadMessage({}).hasValue());
        QCOMPARE(unpadMessage(Bytes { 1, 2, 3 }).error().code, CryptoErrorCode::InvalidMessage);
    }
};

QTEST_GUILESS_MAIN(SessionCipherTest)
#include "SessionCipherTest.moc"
