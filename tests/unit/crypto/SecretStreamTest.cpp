// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/SecretStreamDecryptor.h"
#include "tenchat/crypto/SecretStreamEncryptor.h"

#include <QTest>

#include <random>

using namespace tenchat::crypto;

namespace {

struct Stream {
    Bytes header;
    std::vector<Bytes> chunks;
    std::vector<Bytes> plaintexts;
};

Stream encryptStream(const SecretBytes& key, std::size_t chunkCount, std::size_t chunkSize)
{
    auto encryptor = SecretStreamEncryptor::create(key);
    if (!encryptor)
        throw std::runtime_error("encryptor");
    Stream stream { encryptor->header(), {}, {} };
    std::mt19937 random(static_cast<unsigned>(chunkCount * 31 + chunkSize));
    for (std::size_t i = 0; i < chunkCount; ++i) {
        Bytes plaintext(chunkSize + i % 7);
        for (auto& byte : plaintext)
            byte = static_cast<std::uint8_t>(random());
        auto chunk = encryptor->push(plaintext, i + 1 == chunkCount);
        if (!chunk)
            throw std::runtime_error("push");
        stream.chunks.push_back(std::move(*chunk));
        stream.plaintexts.push_back(std::move(plaintext));
    }
    return stream;
}

// Pulls every chunk; returns the index of the first failure or -1, and
// whether finish() succeeded.
std::pair<int, bool> decryptAll(const SecretBytes& key, const Bytes& header, const std::vector<Bytes>& chunks)
{
    auto decryptor = SecretStreamDecryptor::create(key, header);
    if (!decryptor)
        return { 0, false };
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        auto result = decryptor->pull(chunks[i]);
        if (!result) {
            if (result.error().code != CryptoErrorCode::InvalidMessage)
                throw std::runtime_error("wrong error code");
            return { int(i), false };
        }
    }
    return { -1, decryptor->finish().hasValue() };
}

} // namespace

class SecretStreamTest : public QObject {
    Q_OBJECT

private slots:
    void roundTripsChunkByChunk()
    {
        const SecretBytes key = newSecretStreamKey();
        QCOMPARE(key.size(), kSecretStreamKeyBytes);
        const Stream stream = encryptStream(key, 20, 4096);
        QCOMPARE(stream.header.size(), kSecretStreamHeaderBytes);
        auto decryptor = SecretStreamDecryptor::create(key, stream.header);
        QVERIFY(decryptor.hasValue());
        for (std::size_t i = 0; i < stream.chunks.size(); ++i) {
            QCOMPARE(stream.chunks[i].size(), stream.plaintexts[i].size() + kSecretStreamChunkOverhead);
            auto plaintext = decryptor->pull(stream.chunks[i]);
            QVERIFY(plaintext.hasValue());
            QCOMPARE(*plaintext, stream.plaintexts[i]);
        }
        QVERIFY(decryptor->finish().hasValue());
        // Nothing is accepted after the final chunk.
        auto extra = decryptor->pull(stream.chunks.back());
        QVERIFY(!extra.hasValue());
        QCOMPARE(extra.error().code, CryptoErrorCode::InvalidMessage);
    }

    void truncatedStreamIsRejected()
    {
        const SecretBytes key = newSecretStreamKey();
        Stream stream = encryptStream(key, 5, 100);
        stream.chunks.pop_back(); // lose the final chunk at a chunk boundary
        const auto [failedAt, complete] = decryptAll(key, stream.header, stream.chunks);
        QCOMPARE(failedAt, -1); // every chunk present is authentic...
        QVERIFY(!complete); // ...but the stream is incomplete
        auto decryptor = SecretStreamDecryptor::create(key, stream.header);
        QCOMPARE(decryptor->finish().error().code, CryptoErrorCode::InvalidMessage);

        // A chunk cut short fails outright.
        Stream cut = encryptStream(key, 3, 100);
        cut.chunks[1].resize(cut.chunks[1].size() - 1);
        QCOMPARE(decryptAll(key, cut.header, cut.chunks).first, 1);
        cut.chunks[1].resize(10);
        QCOMPARE(decryptAll(key, cut.header, cut.chunks).first, 1);
    }

    void reorderedDuplicatedOrSplicedChunksAreRejected()
    {
        const SecretBytes key = newSecretStreamKey();
        Stream stream = encryptStream(key, 6, 64);

        std::vector<Bytes> swapped = stream.chunks;
        std::swap(swapped[2], swapped[3]);
        QCOMPARE(decryptAll(key, stream.header, swapped).first, 2);

        std::vector<Bytes> duplicated = stream.chunks;
        duplicated.insert(duplicated.begin() + 2, stream.chunks[1]);
        QCOMPARE(decryptAll(key, stream.header, duplicated).first, 2);

        std::vector<Bytes> dropped = stream.chunks;
        dropped.erase(dropped.begin() + 1);
        QCOMPARE(decryptAll(key, stream.header, dropped).first, 1);

        // A chunk from another stream under the same key.
        Stream other = encryptStream(key, 6, 64);
        std::vector<Bytes> spliced = stream.chunks;
        spliced[3] = other.chunks[3];
        QCOMPARE(decryptAll(key, stream.header, spliced).first, 3);

        // The final chunk moved to the middle: refused, so the stream cannot be
        // "ended early" by an attacker either.
        std::vector<Bytes> finalFirst = { stream.chunks.back() };
        QCOMPARE(decryptAll(key, stream.header, finalFirst).first, 0);
    }

    void tamperingWrongKeyHeaderOrAssociatedDataIsRejected()
    {
        const SecretBytes key = newSecretStreamKey();
        Stream stream = encryptStream(key, 3, 50);
        for (std::size_t bit = 0; bit < stream.chunks[1].size() * 8; bit += 7) {
            std::vector<Bytes> tampered = stream.chunks;
            tampered[1][bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
            QCOMPARE(decryptAll(key, stream.header, tampered).first, 1);
        }
        QCOMPARE(decryptAll(newSecretStreamKey(), stream.header, stream.chunks).first, 0);
        Bytes header = stream.header;
        header[5] ^= 1;
        QCOMPARE(decryptAll(key, header, stream.chunks).first, 0);

        auto encryptor = SecretStreamEncryptor::create(key);
        auto chunk = encryptor->push(asBytes("payload"), true, asBytes("chunk-0"));
        QVERIFY(chunk.hasValue());
        auto decryptor = SecretStreamDecryptor::create(key, encryptor->header());
        QVERIFY(!decryptor->pull(*chunk, asBytes("chunk-1")).hasValue());
        // A failed stream stays failed.
        QVERIFY(!decryptor->pull(*chunk, asBytes("chunk-0")).hasValue());
        auto fresh = SecretStreamDecryptor::create(key, encryptor->header());
        QCOMPARE(toString(*fresh->pull(*chunk, asBytes("chunk-0"))), std::string("payload"));

        QVERIFY(!encryptor->push(asBytes("more"), false).hasValue());
        QVERIFY(!SecretStreamEncryptor::create(SecretBytes(std::size_t(16))).hasValue());
        QVERIFY(!SecretStreamDecryptor::create(key, Bytes(23)).hasValue());
        QVERIFY(!fresh->pull(Bytes(5)).hasValue());
    }
};

QTEST_GUILESS_MAIN(SecretStreamTest)
#include "SecretStreamTest.moc"
