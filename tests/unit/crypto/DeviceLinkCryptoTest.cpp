// SPDX-License-Identifier: GPL-3.0-or-later
// Device-linking primitives: the one-time code, the code key, sealing, and
// the answer key both sides derive.
#include "tenchat/crypto/DeviceLinkCrypto.h"

#include <QTest>

using namespace tenchat::crypto;

namespace {

Argon2Params fast()
{
    return Argon2Params::forTests();
}

} // namespace

class DeviceLinkCryptoTest : public QObject {
    Q_OBJECT

private slots:
    void codeRoundTrips()
    {
        const LinkCode code = newLinkCode();
        const std::string text = formatLinkCode(code);
        QCOMPARE(text.size(), std::size_t(24)); // 20 characters + 4 dashes
        QCOMPARE(text[4], '-');
        auto parsed = parseLinkCode(text);
        QVERIFY(parsed);
        QCOMPARE(parsed->rendezvous, code.rendezvous);
        QVERIFY(parsed->secret.equals(code.secret.view()));
        // Typed sloppily: lower case, spaces, O for 0 and L for 1.
        std::string sloppy;
        for (char c : text)
            sloppy += c == '-' ? ' ' : char(std::tolower(static_cast<unsigned char>(c)));
        for (auto& c : sloppy) {
            if (c == '0')
                c = 'o';
            else if (c == '1')
                c = 'l';
        }
        auto again = parseLinkCode(sloppy);
        QVERIFY(again);
        QCOMPARE(again->rendezvous, code.rendezvous);
        QVERIFY(again->secret.equals(code.secret.view()));
    }

    void codesDiffer() { QVERIFY(formatLinkCode(newLinkCode()) != formatLinkCode(newLinkCode())); }

    void malformedCodesAreRefused()
    {
        QVERIFY(!parseLinkCode(""));
        QVERIFY(!parseLinkCode("ABCD-EFGH"));
        QVERIFY(!parseLinkCode("ABCD-EFGH-JKMN-PQRS-TVWX-YZ"));
        QVERIFY(!parseLinkCode("ABCD-EFGH-JKMN-PQRS-TVW!"));
        QCOMPARE(parseLinkCode("UUUU-EFGH-JKMN-PQRS-TVWX").error().code, CryptoErrorCode::InvalidKey);
        // Non-zero padding bits in the last character: not a code we made.
        std::string padded = formatLinkCode(newLinkCode());
        padded.back() = padded.back() == '1' ? '2' : '1';
        QVERIFY(!parseLinkCode(padded));
    }

    void sealOpensOnlyWithTheKeyAndLabel()
    {
        const LinkCode code = newLinkCode();
        auto key = deriveLinkCodeKey(code, fast());
        QVERIFY(key);
        auto again = deriveLinkCodeKey(code, fast());
        QVERIFY(again && key->equals(again->view()));
        const std::string label = "label";
        const Bytes ad(label.begin(), label.end());
        const std::string plain = "the offer";
        auto sealed = linkSeal(key->view(), ad, asBytes(plain));
        QVERIFY(sealed);
        auto opened = linkOpen(key->view(), ad, *sealed);
        QVERIFY(opened);
        QCOMPARE(toString(*opened), plain);

        LinkCode other = newLinkCode();
        auto wrong = deriveLinkCodeKey(other, fast());
        QVERIFY(wrong);
        QCOMPARE(linkOpen(wrong->view(), ad, *sealed).error().code, CryptoErrorCode::InvalidMessage);
        QVERIFY(!linkOpen(key->view(), asBytes("other label"), *sealed));
        Bytes tampered = *sealed;
        tampered.back() ^= 1;
        QVERIFY(!linkOpen(key->view(), ad, tampered));
        QVERIFY(!linkOpen(key->view(), ad, Bytes(10)));
    }

    void bothSidesDeriveTheSameAnswerKey()
    {
        const LinkCode code = newLinkCode();
        auto codeKey = deriveLinkCodeKey(code, fast());
        QVERIFY(codeKey);
        const LinkKeyPair offer = newLinkKeyPair();
        const LinkKeyPair answer = newLinkKeyPair();
        auto approver = deriveLinkAnswerKey(
            *codeKey, answer.secretKey, offer.publicKey, offer.publicKey, answer.publicKey, code.rendezvous);
        auto requester = deriveLinkAnswerKey(
            *codeKey, offer.secretKey, answer.publicKey, offer.publicKey, answer.publicKey, code.rendezvous);
        QVERIFY(approver && requester);
        QVERIFY(approver->equals(requester->view()));
        // Someone who knows the code but substituted their own key pair gets another key.
        const LinkKeyPair mallory = newLinkKeyPair();
        auto intercepted = deriveLinkAnswerKey(
            *codeKey, mallory.secretKey, answer.publicKey, offer.publicKey, answer.publicKey, code.rendezvous);
        QVERIFY(intercepted);
        QVERIFY(!intercepted->equals(approver->view()));
    }
};

QTEST_GUILESS_MAIN(DeviceLinkCryptoTest)
#include "DeviceLinkCryptoTest.moc"
