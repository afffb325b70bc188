// SPDX-License-Identifier: GPL-3.0-or-later
#include "CryptoTestSupport.h"

#include "tenchat/crypto/GroupCipher.h"

#include <QTest>

#include <map>

using namespace tenchat::crypto;
using namespace tenchat::crypto::test;

namespace {

const std::string kGroup = "group-7f3a";

GroupCipher groupCipher(const TestDevice& owner, const TestDevice& sender)
{
    auto cipher = GroupCipher::create(*owner.store, SenderKeyName { kGroup, sender.address });
    if (!cipher)
        throw std::runtime_error("group cipher: " + cipher.error().message);
    return std::move(*cipher);
}

// Hands `distribution` from `from` to `to` the way the messenger does: over
// their pairwise double-ratchet session.
bool deliverDistribution(TestDevice& from, TestDevice& to, const Bytes& distribution)
{
    SessionCipher outgoing = from.cipherFor(to);
    if (!*outgoing.hasSession() && !outgoing.initiateFromBundle(to.bundle(std::nullopt)))
        return false;
    auto wrapped = outgoing.encrypt(distribution);
    if (!wrapped)
        return false;
    SessionCipher incoming = to.cipherFor(from);
    auto unwrapped = incoming.decrypt(*wrapped);
    if (!unwrapped || *unwrapped != distribution)
        return false;
    return groupCipher(to, from).processDistributionMessage(*unwrapped).hasValue();
}

} // namespace

class GroupCipherTest : public QObject {
    Q_OBJECT

private slots:
    void threeMembersThenRotationLocksOutTheRemovedOne()
    {
        TestDevice alice = TestDevice::create("alice");
        TestDevice bob = TestDevice::create("bob");
        TestDevice carol = TestDevice::create("carol");
        std::vector<TestDevice*> members { &alice, &bob, &carol };

        // Everyone creates a sender key and hands it to the two others.
        std::map<std::string, Bytes> firstDistribution;
        for (TestDevice* sender : members) {
            auto distribution = groupCipher(*sender, *sender).distributionMessage();
            QVERIFY(distribution.hasValue());
            firstDistribution[sender->address.name] = *distribution;
            // Asking again returns the same key, not a new one.
            QCOMPARE(*groupCipher(*sender, *sender).distributionMessage(), *distribution);
            for (TestDevice* receiver : members)
                if (receiver != sender)
                    QVERIFY(deliverDistribution(*sender, *receiver, *distribution));
        }
        // Everyone can read everyone.
        for (TestDevice* sender : members) {
            const Bytes text = textBytes("hello from " + sender->address.name);
            auto message = groupCipher(*sender, *sender).encrypt(text);
            QVERIFY(message.hasValue());
            for (TestDevice* receiver : members) {
                if (receiver == sender)
                    continue;
                auto plaintext = groupCipher(*receiver, *sender).decrypt(*message);
                QVERIFY2(plaintext.hasValue(), plaintext.hasValue() ? "" : plaintext.error().message.c_str());
                QCOMPARE(*plaintext, text);
            }
        }

        // Carol leaves: Alice and Bob rotate and redistribute to each other only.
        auto aliceOld = groupCipher(alice, alice).encrypt(textBytes("before rotation"));
        QVERIFY(aliceOld.hasValue());
        auto aliceRotated = groupCipher(alice, alice).rotate();
        auto bobRotated = groupCipher(bob, bob).rotate();
        QVERIFY(aliceRotated.hasValue() && bobRotated.hasValue());
        QVERIFY(*aliceRotated != firstDistribution["alice"]);
        QVERIFY(*bobRotated != firstDistribution["bob"]);
        QVERIFY(deliverDistribution(alice, bob, *aliceRotated));
        QVERIFY(deliverDistribution(bob, alice, *bobRotated));

        auto afterAlice = groupCipher(alice, alice).encrypt(textBytes("carol is gone"));
        auto afterBob = groupCipher(bob, bob).encrypt(textBytes("indeed"));
        QVERIFY(afterAlice.hasValue() && afterBob.hasValue());
        QCOMPARE(*groupCipher(bob, alice).decrypt(*afterAlice), textBytes("carol is gone"));
        QCOMPARE(*groupCipher(alice, bob).decrypt(*afterBob), textBytes("indeed"));

        const Bytes carolBefore = carol.store->snapshot();
        for (const Bytes* message : { &*afterAlice, &*afterBob }) {
            const TestDevice& sender = message == &*afterAlice ? alice : bob;
            auto locked = groupCipher(carol, sender).decrypt(*message);
            QVERIFY(!locked.hasValue());
            QVERIFY2(locked.error().code == CryptoErrorCode::SenderKeyMissing, locked.error().message.c_str());
        }
        QVERIFY(carol.store->snapshot() == carolBefore);
        // Carol could still read what was sent before she left.
        QCOMPARE(*groupCipher(carol, alice).decrypt(*aliceOld), textBytes("before rotation"));
        // And Bob still reads Alice's pre-rotation message too.
        QCOMPARE(*groupCipher(bob, alice).decrypt(*aliceOld), textBytes("before rotation"));
    }

    void replayTamperingAndMissingKeysAreTyped()
    {
        TestDevice alice = TestDevice::create("alice");
        TestDevice bob = TestDevice::create("bob");
        GroupCipher aliceSends = groupCipher(alice, alice);
        GroupCipher bobReadsAlice = groupCipher(bob, alice);

        auto noKey = aliceSends.encrypt(textBytes("too early"));
        QVERIFY(!noKey.hasValue());
        QCOMPARE(noKey.error().code, CryptoErrorCode::SenderKeyMissing);

        auto distribution = aliceSends.distributionMessage();
        QVERIFY(distribution.hasValue());
        auto first = aliceSends.encrypt(textBytes("first"));
        QVERIFY(first.hasValue());
        auto missing = bobReadsAlice.decrypt(*first);
        QVERIFY(!missing.hasValue());
        QCOMPARE(missing.error().code, CryptoErrorCode::SenderKeyMissing);

        Bytes brokenDistribution = *distribution;
        brokenDistribution.resize(brokenDistribution.size() / 2);
        auto rejected = bobReadsAlice.processDistributionMessage(brokenDistribution);
        QVERIFY(!rejected.hasValue());
        QCOMPARE(rejected.error().code, CryptoErrorCode::InvalidMessage);

        QVERIFY(bobReadsAlice.processDistributionMessage(*distribution).hasValue());
        QCOMPARE(*bobReadsAlice.decrypt(*first), textBytes("first"));
        auto replay = bobReadsAlice.decrypt(*first);
        QVERIFY(!replay.hasValue());
        QCOMPARE(replay.error().code, CryptoErrorCode::DuplicateMessage);

        auto second = aliceSends.encrypt(textBytes("second"));
        QVERIFY(second.hasValue());
        const Bytes before = bob.store->snapshot();
        for (std::size_t bit = 0; bit < second->size() * 8; bit += 5) {
            Bytes tampered = *second;
            tampered[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
            auto result = bobReadsAlice.decrypt(tampered);
            QVERIFY(!result.hasValue());
            QVERIFY2(result.error().code == CryptoErrorCode::InvalidMessage
                    || result.error().code == CryptoErrorCode::LegacyVersion
                    || result.error().code == CryptoErrorCode::SenderKeyMissing,
                result.error().message.c_str());
        }
        QVERIFY(bob.store->snapshot() == before);

        // A refused commit leaves the chain where it was.
        auto refused = bobReadsAlice.decrypt(*second, [](ByteView) { return false; });
        QVERIFY(!refused.hasValue());
        QCOMPARE(refused.error().code, CryptoErrorCode::StoreFailure);
        QVERIFY(bob.store->snapshot() == before);
        QCOMPARE(*bobReadsAlice.decrypt(*second), textBytes("second"));
    }

    void outOfOrderGroupMessagesDecrypt()
    {
        TestDevice alice = TestDevice::create("alice");
        TestDevice bob = TestDevice::create("bob");
        GroupCipher aliceSends = groupCipher(alice, alice);
        GroupCipher bobReadsAlice = groupCipher(bob, alice);
        QVERIFY(bobReadsAlice.processDistributionMessage(*aliceSends.distributionMessage()).hasValue());
        std::vector<Bytes> messages;
        for (int i = 0; i < 50; ++i)
            messages.push_back(*aliceSends.encrypt(textBytes("g" + std::to_string(i))));
        for (int i = 49; i >= 0; --i) {
            auto plaintext = bobReadsAlice.decrypt(messages[static_cast<std::size_t>(i)]);
            QVERIFY(plaintext.hasValue());
            QCOMPARE(*plaintext, textBytes("g" + std::to_string(i)));
        }
    }

    // Sender-key recovery relies on these: a message tells its key id and
    // iteration before decryption; a distribution taken later does not open
    // earlier messages; an earlier one handed over afterwards does.
    void positionsAndEarlierDistributions()
    {
        TestDevice alice = TestDevice::create("alice");
        TestDevice bob = TestDevice::create("bob");
        GroupCipher aliceSends = groupCipher(alice, alice);
        const Bytes start = *aliceSends.distributionMessage();
        auto startAt = GroupCipher::distributionPosition(start);
        QVERIFY(startAt.hasValue());
        QCOMPARE(startAt->iteration, 0u);
        std::vector<Bytes> messages;
        for (int i = 0; i < 3; ++i)
            messages.push_back(*aliceSends.encrypt(textBytes("m" + std::to_string(i))));
        auto second = GroupCipher::messagePosition(messages[1]);
        QVERIFY(second.hasValue());
        QCOMPARE(second->keyId, startAt->keyId);
        QCOMPARE(second->iteration, 1u);
        const Bytes later = *aliceSends.distributionMessage();
        QCOMPARE(GroupCipher::distributionPosition(later)->iteration, 3u);
        QVERIFY(!GroupCipher::messagePosition(textBytes("not a message")).hasValue());
        QVERIFY(!GroupCipher::distributionPosition(Bytes()).hasValue());

        GroupCipher bobReadsAlice = groupCipher(bob, alice);
        QVERIFY(bobReadsAlice.processDistributionMessage(later).hasValue());
        auto early = bobReadsAlice.decrypt(messages[0]);
        QVERIFY(!early.hasValue());
        QCOMPARE(early.error().code, CryptoErrorCode::DuplicateMessage);
        const Bytes next = *aliceSends.encrypt(textBytes("m3"));
        QCOMPARE(*bobReadsAlice.decrypt(next), textBytes("m3"));
        // The distribution from the start, handed over afterwards, opens them.
        QVERIFY(bobReadsAlice.processDistributionMessage(start).hasValue());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(*bobReadsAlice.decrypt(messages[std::size_t(i)]), textBytes("m" + std::to_string(i)));
    }
};

QTEST_GUILESS_MAIN(GroupCipherTest)
#include "GroupCipherTest.moc"
