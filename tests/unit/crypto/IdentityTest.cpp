// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/Identity.h"

#include <QTest>

using namespace tenchat::crypto;

class IdentityTest : public QObject {
    Q_OBJECT

private slots:
    void generatesLibsignalSerializedKeys()
    {
        auto pair = generateIdentityKeyPair();
        QVERIFY(pair.hasValue());
        QCOMPARE(pair->publicKey.size(), kIdentityPublicKeyBytes);
        QCOMPARE(pair->publicKey[0], std::uint8_t(0x05));
        QCOMPARE(pair->privateKey.size(), kIdentityPrivateKeyBytes);
        auto other = generateIdentityKeyPair();
        QVERIFY(other.hasValue());
        QVERIFY(other->publicKey != pair->publicKey);
        QVERIFY(isValidIdentityPublicKey(pair->publicKey));
    }

    void signsAndVerifies()
    {
        auto pair = generateIdentityKeyPair();
        QVERIFY(pair.hasValue());
        const Bytes challenge = { 1, 2, 3, 4, 5, 6, 7, 8 };
        auto signature = signWithIdentity(pair->privateKey, challenge);
        QVERIFY(signature.hasValue());
        QCOMPARE(signature->size(), kIdentitySignatureBytes);
        QVERIFY(verifyIdentitySignature(pair->publicKey, challenge, *signature));

        Bytes otherMessage = challenge;
        otherMessage[0] ^= 1;
        QVERIFY(!verifyIdentitySignature(pair->publicKey, otherMessage, *signature));
        Bytes badSignature = *signature;
        badSignature[10] ^= 0x40;
        QVERIFY(!verifyIdentitySignature(pair->publicKey, challenge, badSignature));
        auto stranger = generateIdentityKeyPair();
        QVERIFY(stranger.hasValue());
        QVERIFY(!verifyIdentitySignature(stranger->publicKey, challenge, *signature));
    }

    void rejectsMalformedInputWithoutCrashing()
    {
        auto pair = generateIdentityKeyPair();
        QVERIFY(pair.hasValue());
        const Bytes message = { 9 };
        auto signature = signWithIdentity(pair->privateKey, message);
        QVERIFY(signature.hasValue());
        QVERIFY(!verifyIdentitySignature({}, message, *signature));
        QVERIFY(!verifyIdentitySignature(ByteView(pair->publicKey).first(32), message, *signature));
        Bytes wrongType = pair->publicKey;
        wrongType[0] = 0x06;
        QVERIFY(!verifyIdentitySignature(wrongType, message, *signature));
        QVERIFY(!verifyIdentitySignature(pair->publicKey, message, ByteView(*signature).first(63)));
        QVERIFY(!verifyIdentitySignature(pair->publicKey, message, {}));

        auto badSign = signWithIdentity(SecretBytes(std::size_t(5)), message);
        QVERIFY(!badSign.hasValue());
        QCOMPARE(badSign.error().code, CryptoErrorCode::InvalidKey);
    }

    void registrationIdsAreInLibsignalRange()
    {
        for (int i = 0; i < 1000; ++i) {
            const std::uint32_t id = generateRegistrationId();
            QVERIFY(id >= 1 && id <= 16380);
        }
    }
};

QTEST_GUILESS_MAIN(IdentityTest)
#include "IdentityTest.moc"
