// SPDX-License-Identifier: GPL-3.0-or-later
#include "CryptoTestSupport.h"

#include "tenchat/crypto/Identity.h"
#include "tenchat/crypto/SafetyNumber.h"

#include <QTest>

using namespace tenchat::crypto;
using tenchat::crypto::test::hex;

namespace {

// libsignal's published fingerprint test vector (libsignal-protocol-c
// tests/test_fingerprint.c, also in libsignal-protocol-java and the Rust
// libsignal): two fixed identity keys and phone-number stable ids, version 1,
// 5200 iterations.
const Bytes kAliceIdentity = hex("0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868");
const Bytes kBobIdentity = hex("05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b");
constexpr std::string_view kAliceStableId = "+14152222222";
constexpr std::string_view kBobStableId = "+14153333333";
constexpr std::string_view kDisplayable = "300354477692869396892869876765458257569162576843440918079131";
const Bytes kAliceScannableV1 = hex("080112220a201e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df1a"
                                    "220a20d62cbf73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d");
const Bytes kBobScannableV1 = hex("080112220a20d62cbf73a11592015b6b9f1682ac306fea3aaf3885b84d12bca631e9d4fb3a4d1a"
                                  "220a201e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df");

} // namespace

class SafetyNumberTest : public QObject {
    Q_OBJECT

private slots:
    void matchesLibsignalPublishedVector()
    {
        auto alice = computeSafetyNumber(kAliceStableId, kAliceIdentity, kBobStableId, kBobIdentity);
        auto bob = computeSafetyNumber(kBobStableId, kBobIdentity, kAliceStableId, kAliceIdentity);
        QVERIFY(alice.hasValue() && bob.hasValue());
        QCOMPARE(QString::fromStdString(alice->displayable), QString::fromLatin1(kDisplayable.data(), 60));
        QCOMPARE(QString::fromStdString(bob->displayable), QString::fromLatin1(kDisplayable.data(), 60));
        QCOMPARE(toHex(alice->scannable), toHex(kAliceScannableV1));
        QCOMPARE(toHex(bob->scannable), toHex(kBobScannableV1));
        QCOMPARE(alice->grouped().size(), std::size_t(60 + 11));
        QCOMPARE(alice->grouped().substr(0, 12), std::string("30035 44776 "));
    }

    void equalOnBothSidesAndScannable()
    {
        auto aliceKey = generateIdentityKeyPair();
        auto bobKey = generateIdentityKeyPair();
        QVERIFY(aliceKey.hasValue() && bobKey.hasValue());
        auto alice = computeSafetyNumber("user-alice", aliceKey->publicKey, "user-bob", bobKey->publicKey);
        auto bob = computeSafetyNumber("user-bob", bobKey->publicKey, "user-alice", aliceKey->publicKey);
        QVERIFY(alice.hasValue() && bob.hasValue());
        QCOMPARE(alice->displayable.size(), std::size_t(60));
        QCOMPARE(alice->displayable, bob->displayable);
        for (char digit : alice->displayable)
            QVERIFY(digit >= '0' && digit <= '9');
        QVERIFY(alice->scannable != bob->scannable);
        QCOMPARE(*safetyNumbersMatch(*alice, bob->scannable), true);
        QCOMPARE(*safetyNumbersMatch(*bob, alice->scannable), true);
    }

    void differentAfterIdentityChange()
    {
        auto aliceKey = generateIdentityKeyPair();
        auto bobKey = generateIdentityKeyPair();
        auto bobNewKey = generateIdentityKeyPair();
        QVERIFY(aliceKey.hasValue() && bobKey.hasValue() && bobNewKey.hasValue());
        auto before = computeSafetyNumber("user-alice", aliceKey->publicKey, "user-bob", bobKey->publicKey);
        auto after = computeSafetyNumber("user-alice", aliceKey->publicKey, "user-bob", bobNewKey->publicKey);
        auto bobAfter = computeSafetyNumber("user-bob", bobNewKey->publicKey, "user-alice", aliceKey->publicKey);
        QVERIFY(before.hasValue() && after.hasValue() && bobAfter.hasValue());
        QVERIFY(before->displayable != after->displayable);
        // Alice still holding the old key scans Bob's new code: mismatch.
        QCOMPARE(*safetyNumbersMatch(*before, bobAfter->scannable), false);
        QCOMPARE(*safetyNumbersMatch(*after, bobAfter->scannable), true);
    }

    void rejectsBadInput()
    {
        auto key = generateIdentityKeyPair();
        QVERIFY(key.hasValue());
        auto badKey = computeSafetyNumber("a", Bytes(33, 0x07), "b", key->publicKey);
        QVERIFY(!badKey.hasValue());
        QCOMPARE(badKey.error().code, CryptoErrorCode::InvalidKey);
        QVERIFY(!computeSafetyNumber("", key->publicKey, "b", key->publicKey).hasValue());
        QVERIFY(!computeSafetyNumber(std::string_view("a\0b", 3), key->publicKey, "b", key->publicKey).hasValue());
        auto ours = computeSafetyNumber("a", key->publicKey, "b", key->publicKey);
        QVERIFY(ours.hasValue());
        auto garbage = safetyNumbersMatch(*ours, Bytes { 0x08, 0x01, 0x12, 0xff });
        QVERIFY(!garbage.hasValue());
        QCOMPARE(garbage.error().code, CryptoErrorCode::InvalidMessage);
        auto wrongVersion = safetyNumbersMatch(*ours, hex("080012"));
        QVERIFY(!wrongVersion.hasValue());
    }
};

QTEST_GUILESS_MAIN(SafetyNumberTest)
#include "SafetyNumberTest.moc"
