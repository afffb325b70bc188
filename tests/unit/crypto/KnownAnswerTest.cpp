// SPDX-License-Identifier: GPL-3.0-or-later
// Known answers for the libsodium primitives, computed outside libsodium
// (see generate_kats.py): Argon2id by pyca/cryptography, the secretstream
// rebuilt from its specification, hashes by Python's hashlib, Ed25519 from
// RFC 8032 section 7.1 (test 1).
#include "CryptoTestSupport.h"

#include "tenchat/crypto/Ed25519.h"
#include "tenchat/crypto/Hash.h"
#include "tenchat/crypto/Kdf.h"
#include "tenchat/crypto/SecretStreamDecryptor.h"

#include <QTest>

using namespace tenchat::crypto;
using tenchat::crypto::test::hex;

class KnownAnswerTest : public QObject {
    Q_OBJECT

private slots:
    void argon2id_data()
    {
        QTest::addColumn<QByteArray>("passphrase");
        QTest::addColumn<QByteArray>("salt");
        QTest::addColumn<qulonglong>("ops");
        QTest::addColumn<qulonglong>("memKiB");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("test parameters") << QByteArray("correct horse battery staple")
                                         << QByteArray::fromHex("000102030405060708090a0b0c0d0e0f") << 1ull << 8192ull
                                         << QByteArray::fromHex(
                                                "9aeef75313e585f492c33c5e12d82e9ad253b7dd78632d537e899cd4eddd789c");
        QTest::newRow("interactive defaults, UTF-8")
            << QByteArray::fromHex("54656e43686174207061737370687261736520e29c93") << QByteArray("tenchat-salt-16b")
            << 3ull << 65536ull
            << QByteArray::fromHex("3759466cc68e2b0e8392910b65e5bb9739b00b8b6269170441b53c849d99f19b");
        QTest::newRow("empty passphrase, 64-byte output")
            << QByteArray() << QByteArray(16, char(0xaa)) << 2ull << 8192ull
            << QByteArray::fromHex("be7103a8a99e2036568bf052618aa2792aeb1fa1254940ea3cc3bdb5288899705822664c88be623ce"
                                   "8602dd57477377df9e8836c5c923698d6235478530788ff");
    }

    void argon2id()
    {
        QFETCH(QByteArray, passphrase);
        QFETCH(QByteArray, salt);
        QFETCH(qulonglong, ops);
        QFETCH(qulonglong, memKiB);
        QFETCH(QByteArray, expected);
        const Argon2Params params { ops, memKiB * 1024 };
        QVERIFY(params.withinBounds());
        auto key = deriveKeyArgon2id(std::string_view(passphrase.constData(), std::size_t(passphrase.size())),
            ByteView(reinterpret_cast<const std::uint8_t*>(salt.constData()), std::size_t(salt.size())), params,
            std::size_t(expected.size()));
        QVERIFY(key.hasValue());
        QCOMPARE(
            QByteArray(reinterpret_cast<const char*>(key->data()), qsizetype(key->size())).toHex(), expected.toHex());
    }

    void argon2idDefaultsAreTheDocumentedOnes()
    {
        const Argon2Params params = Argon2Params::interactive();
        QCOMPARE(params.opsLimit, std::uint64_t(3));
        QCOMPARE(params.memLimitBytes, std::uint64_t(64) * 1024 * 1024);
        QCOMPARE(newArgon2Salt().size(), kArgon2SaltBytes);
        QVERIFY(newArgon2Salt() != newArgon2Salt());
        auto badSalt = deriveKeyArgon2id("x", Bytes(8), Argon2Params::forTests());
        QVERIFY(!badSalt.hasValue());
        QCOMPARE(badSalt.error().code, CryptoErrorCode::InvalidKey);
        auto badParams = deriveKeyArgon2id("x", Bytes(16), Argon2Params { 0, 1024 });
        QVERIFY(!badParams.hasValue());
    }

    void secretStreamDecryptsSpecificationVector()
    {
        const SecretBytes key(hex("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"));
        const Bytes header = hex("808182838485868788898a8b8c8d8e8f9091929394959697");
        struct Chunk {
            Bytes plaintext;
            Bytes associatedData;
            Bytes ciphertext;
        };
        Bytes counting(200);
        for (std::size_t i = 0; i < counting.size(); ++i)
            counting[i] = static_cast<std::uint8_t>(i);
        const std::vector<Chunk> chunks = {
            { textOf("first chunk of a media file"), {},
                hex("008c4525ec3aed4d7ca3bc5e2e388c008b58cd4db3699f7743aca1558670c9571c707be78510ed89e9101a3d") },
            { {}, textOf("ad"), hex("368ea5ec2a77be2d07c1aa8893007205ed") },
            { counting, {},
                hex("1aff56799021a8c7605683a3b78730f86b22b96b66c23fec2c1dca72a531bcafd26319a4ef323b39c0cd6e0374d651c0f1"
                    "0a25a70ca32e0b7f30cea97779ec829d07a65a0640003721c8b1be041e1fadbfaf548f6e64488a6ed5b038b1b055e4a6be"
                    "c6c0934c63f792ae896845bb2609a57a42655aaf06c981660f091792d151ccb0465ad7ffd1c48e66b810cc8d3b523d0d05"
                    "4d520fba1430e62add5f1717eb3afafc50cf6facca7e63109793f82381c726742f1123c9442da303b1800d68cb845f66fe"
                    "444222e7fca92aff89892ae3d1c5ecfa58e66019d0") },
            { textOf("last"), textOf("trailer"), hex("f6a2dc17addccdf7c4433aebeb88dd8f349adc1aab") },
        };
        auto decryptor = SecretStreamDecryptor::create(key, header);
        QVERIFY(decryptor.hasValue());
        for (const Chunk& chunk : chunks) {
            QVERIFY(!decryptor->finished());
            auto plaintext = decryptor->pull(chunk.ciphertext, chunk.associatedData);
            QVERIFY2(plaintext.hasValue(), plaintext.hasValue() ? "" : plaintext.error().message.c_str());
            QCOMPARE(toHex(*plaintext), toHex(chunk.plaintext));
        }
        QVERIFY(decryptor->finished());
        QVERIFY(decryptor->finish().hasValue());
    }

    void hashes()
    {
        QCOMPARE(toHex(sha256(textOf("abc"))),
            std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(toHex(*blake2b(textOf("abc"), 64)),
            std::string(
                "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9"
                "518d38aa8dbf1925ab92386edd4009923"));
        QCOMPARE(toHex(*blake2b({})), std::string("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"));
        Bytes key(32);
        for (std::size_t i = 0; i < key.size(); ++i)
            key[i] = static_cast<std::uint8_t>(i);
        QCOMPARE(toHex(*blake2b(textOf("media chunk"), 32, key)),
            std::string("00a8e9bf75e6f42388d7b31c37d3820f576351085a3c587642007a09a70bba7e"));
        QVERIFY(!blake2b(textOf("x"), 8).hasValue());
        QVERIFY(!blake2b(textOf("x"), 32, Bytes(4)).hasValue());
        QVERIFY(constantTimeEquals(textOf("same"), textOf("same")));
        QVERIFY(!constantTimeEquals(textOf("same"), textOf("sane")));
        QVERIFY(!constantTimeEquals(textOf("same"), textOf("same!")));
        QVERIFY(constantTimeEquals({}, {}));
        QCOMPARE(randomBytes(24).size(), std::size_t(24));
        QVERIFY(randomBytes(32) != randomBytes(32));
    }

    void ed25519Rfc8032()
    {
        const SecretBytes seed(hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        auto pair = ed25519KeyPairFromSeed(seed);
        QVERIFY(pair.hasValue());
        QCOMPARE(
            toHex(pair->publicKey), std::string("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        auto signature = signEd25519(pair->secretKey, {});
        QVERIFY(signature.hasValue());
        QCOMPARE(toHex(*signature),
            std::string("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b4"
                        "6bd25bf5f0595bbe24655141438e7a100b"));
        QVERIFY(verifyEd25519(pair->publicKey, {}, *signature));
        Bytes bad = *signature;
        bad[0] ^= 1;
        QVERIFY(!verifyEd25519(pair->publicKey, {}, bad));
        QVERIFY(!verifyEd25519(pair->publicKey, textOf("x"), *signature));
        QVERIFY(!verifyEd25519(Bytes(31), {}, *signature));
        QVERIFY(!verifyEd25519(pair->publicKey, {}, ByteView(*signature).first(63)));
        QVERIFY(!signEd25519(SecretBytes(std::size_t(32)), {}).hasValue());

        const Ed25519KeyPair fresh = generateEd25519KeyPair();
        auto freshSignature = signEd25519(fresh.secretKey, textOf("plugin manifest"));
        QVERIFY(freshSignature.hasValue());
        QVERIFY(verifyEd25519(fresh.publicKey, textOf("plugin manifest"), *freshSignature));
        QVERIFY(!verifyEd25519(pair->publicKey, textOf("plugin manifest"), *freshSignature));
    }

private:
    static Bytes textOf(std::string_view text) { return Bytes(text.begin(), text.end()); }
};

QTEST_GUILESS_MAIN(KnownAnswerTest)
#include "KnownAnswerTest.moc"
