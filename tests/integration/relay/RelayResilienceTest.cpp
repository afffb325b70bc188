// SPDX-License-Identifier: GPL-3.0-or-later
// The relay stays up and loses nothing: durability across SIGKILL, bad
// input, garbage senders, rate limits, connection cap, no plaintext at rest,
// graceful shutdown and the metrics endpoint.
#include "RelayProcess.h"
#include "RelayTestHelpers.h"

#include <QDirIterator>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <sodium.h>

using namespace tenchat::testing;
namespace v1 = tenchat::v1;

class RelayResilienceTest : public QObject {
    Q_OBJECT

private slots:
    void acknowledgedAppendsSurviveSigkill();
    void badInputIsAnsweredOrDisconnected();
    void garbageSenderIsDisconnected();
    void rateLimits();
    void connectionCap();
    void noPlaintextAtRest();
    void gracefulShutdownAndMetrics();
    void tlsRelay();
    void authTimeoutAndMaxRetention();

private:
    static bool relayAlive(const QUrl& url);
};

bool RelayResilienceTest::relayAlive(const QUrl& url)
{
    RelayTestClient probe;
    return probe.open(url) && probe.hello();
}

void RelayResilienceTest::acknowledgedAppendsSurviveSigkill()
{
    RelayProcess relay;
    QVERIFY2(relay.start(), qPrintable(relay.error()));
    auto a = registerParticipant(relay.url(), uniqueHandle("ka"));
    auto b = registerParticipant(relay.url(), uniqueHandle("kb"));
    auto response = a.client->request(createConversation(v1::CONVERSATION_KIND_DIRECT, { b.device.userId }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto id = response->create_conversation().conversation().conversation_id();
    // Pipelined so that they are group-committed; every ack must be durable.
    std::vector<std::pair<std::uint64_t, std::string>> sent;
    for (int i = 0; i < 200; ++i) {
        const auto ciphertext = randomId(64 + i);
        sent.emplace_back(a.client->send(appendPerDevice(id, randomId(), { { &b.device, ciphertext } })), ciphertext);
    }
    std::vector<std::pair<std::uint64_t, std::string>> acked;
    for (const auto& [requestId, ciphertext] : sent) {
        auto r = a.client->waitResponse(requestId);
        QVERIFY(r && r->status() == v1::STATUS_OK);
        acked.emplace_back(r->append().seq(), ciphertext);
    }
    relay.stop(true); // SIGKILL right after the last ack
    QVERIFY2(relay.start(), qPrintable(relay.error()));

    RelayTestClient bAgain;
    QVERIFY(bAgain.login(relay.url(), b.device));
    response = bAgain.request(syncRequest(id, 1, 1000));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QCOMPARE(response->sync().entries_size(), static_cast<int>(acked.size()));
    for (int i = 0; i < response->sync().entries_size(); ++i) {
        const auto& e = response->sync().entries(i);
        QCOMPARE(e.seq(), acked[static_cast<std::size_t>(i)].first);
        QCOMPARE(e.device_ciphertext().ciphertext(), acked[static_cast<std::size_t>(i)].second);
        QCOMPARE(e.sender().user_id(), a.device.userId);
    }
    // Sequences continue after the restart.
    RelayTestClient aAgain;
    QVERIFY(aAgain.login(relay.url(), a.device));
    response = aAgain.request(appendPerDevice(id, randomId(), { { &b.device, "after restart" } }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QCOMPARE(response->append().seq(), acked.back().first + 1);
}

void RelayResilienceTest::badInputIsAnsweredOrDisconnected()
{
    auto config = writeConfig(
        QJsonObject { { QStringLiteral("maxFrameBytes"), 65536 }, { QStringLiteral("garbageLimit"), 1000 } });
    RelayProcess relay;
    QVERIFY2(relay.start({ QStringLiteral("--config"), config->fileName() }), qPrintable(relay.error()));
    auto user = registerParticipant(relay.url(), uniqueHandle("bad"));
    QVERIFY(!user.device.userId.empty());

    // Random bytes: each answered with an error (or ignored), never a crash.
    for (int i = 0; i < 50; ++i)
        user.client->sendRaw(QByteArray::fromStdString(randomId(1 + static_cast<std::size_t>(i) * 7)));
    // A truncated valid frame.
    v1::Frame frame;
    frame.set_request_id(77);
    frame.mutable_request()->mutable_sync()->set_limit(10);
    auto bytes = QByteArray::fromStdString(frame.SerializeAsString());
    user.client->sendRaw(bytes.left(bytes.size() - 2));
    // Unknown request type (a field number this relay does not know).
    QByteArray unknown;
    unknown.append(char(0x08)).append(char(0x05)); // request_id = 5
    unknown.append(char(0x12)).append(char(0x04)); // request: 4 bytes
    unknown.append(char(0xa2)).append(char(0x06)).append(char(0x01)).append(char(0x00)); // field 100, len 1
    user.client->sendRaw(unknown);
    auto response = user.client->waitResponse(5);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_UNKNOWN_REQUEST);
    // Huge counts and sizes.
    v1::Request huge;
    huge.mutable_sync()->set_limit(4000000000u);
    response = user.client->request(huge);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_BAD_REQUEST);
    v1::Request bigAck;
    for (int i = 0; i < 5000; ++i)
        bigAck.mutable_ack()->add_to_device_ids(static_cast<std::uint64_t>(i));
    response = user.client->request(bigAck);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_BAD_REQUEST);
    QVERIFY(user.client->isConnected());

    // Oversized frame: the connection is dropped, the relay lives on.
    RelayTestClient big;
    QVERIFY(big.open(relay.url()) && big.hello());
    v1::Request oversized;
    oversized.mutable_append()->set_conversation_id(randomId());
    oversized.mutable_append()->set_message_id(randomId());
    oversized.mutable_append()->set_sender_key_ciphertext(std::string(200000, 'x'));
    const auto requestId = big.send(oversized);
    auto answer = big.waitResponse(requestId, 3000);
    QVERIFY(!answer || answer->status() == v1::STATUS_TOO_LARGE);
    QVERIFY(big.waitClosed(5000) || (answer && answer->status() == v1::STATUS_TOO_LARGE));
    QVERIFY(relayAlive(relay.url()));
}

void RelayResilienceTest::garbageSenderIsDisconnected()
{
    auto config = writeConfig(QJsonObject { { QStringLiteral("garbageLimit"), 5 } });
    RelayProcess relay;
    QVERIFY2(relay.start({ QStringLiteral("--config"), config->fileName() }), qPrintable(relay.error()));
    RelayTestClient garbage;
    QVERIFY(garbage.open(relay.url()));
    for (int i = 0; i < 20 && garbage.isConnected(); ++i) {
        garbage.sendRaw(QByteArray(32, char(0xff)));
        QTest::qWait(20);
    }
    QVERIFY(garbage.waitClosed(5000));
    QCOMPARE(garbage.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QVERIFY(relayAlive(relay.url()));
}

void RelayResilienceTest::rateLimits()
{
    auto config
        = writeConfig(QJsonObject { { QStringLiteral("connectionRate"), 5 }, { QStringLiteral("connectionBurst"), 20 },
            { QStringLiteral("bundleFetchPerMinute"), 2 }, { QStringLiteral("bundleFetchBurst"), 2 } });
    RelayProcess relay;
    QVERIFY2(relay.start({ QStringLiteral("--config"), config->fileName() }), qPrintable(relay.error()));
    auto a = registerParticipant(relay.url(), uniqueHandle("ra"));
    auto b = registerParticipant(relay.url(), uniqueHandle("rb"));
    QVERIFY(!a.device.userId.empty() && !b.device.userId.empty());

    // Bundle fetches: two allowed, the third limited with a retry hint.
    v1::Request fetch;
    fetch.mutable_fetch_bundles()->set_user_id(b.device.userId);
    for (int i = 0; i < 2; ++i) {
        auto response = a.client->request(fetch);
        QVERIFY(response);
        QVERIFY(response->status() != v1::STATUS_RATE_LIMITED);
    }
    auto response = a.client->request(fetch);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_RATE_LIMITED);
    QVERIFY(response->retry_after_ms() > 0);

    // Per-connection bucket: a burst beyond it is limited, nothing else breaks.
    v1::Request list;
    list.mutable_list_conversations();
    std::vector<std::uint64_t> ids;
    for (int i = 0; i < 40; ++i)
        ids.push_back(a.client->send(list));
    int limited = 0;
    for (auto id : ids) {
        auto r = a.client->waitResponse(id);
        QVERIFY(r);
        limited += r->status() == v1::STATUS_RATE_LIMITED ? 1 : 0;
    }
    QVERIFY(limited >= 15);
    QVERIFY(a.client->isConnected());
}

void RelayResilienceTest::connectionCap()
{
    auto config = writeConfig(QJsonObject { { QStringLiteral("maxConnections"), 3 } });
    RelayProcess relay;
    QVERIFY2(relay.start({ QStringLiteral("--config"), config->fileName() }), qPrintable(relay.error()));
    std::vector<std::unique_ptr<RelayTestClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<RelayTestClient>());
        QVERIFY(clients.back()->open(relay.url()) && clients.back()->hello());
    }
    RelayTestClient extra;
    const bool opened = extra.open(relay.url());
    QVERIFY(!opened || extra.waitClosed(5000));
    clients.pop_back();
    QTest::qWait(200);
    QVERIFY(relayAlive(relay.url()));
}

void RelayResilienceTest::noPlaintextAtRest()
{
    QVERIFY(sodium_init() >= 0);
    RelayProcess relay;
    QVERIFY2(relay.start(), qPrintable(relay.error()));
    auto a = registerParticipant(relay.url(), uniqueHandle("pa"));
    auto b = registerParticipant(relay.url(), uniqueHandle("pb"));
    auto response = a.client->request(createConversation(v1::CONVERSATION_KIND_DIRECT, { b.device.userId }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto id = response->create_conversation().conversation().conversation_id();
    const std::string marker = "PLAINTEXT-MARKER-" + std::to_string(randombytes_uniform(1000000)) + "-tenchat";
    // The client encrypts (secretbox stands in for the double ratchet).
    unsigned char key[crypto_secretbox_KEYBYTES];
    unsigned char nonce[crypto_secretbox_NONCEBYTES];
    randombytes_buf(key, sizeof key);
    randombytes_buf(nonce, sizeof nonce);
    std::string ciphertext(marker.size() + crypto_secretbox_MACBYTES, '\0');
    crypto_secretbox_easy(reinterpret_cast<unsigned char*>(ciphertext.data()),
        reinterpret_cast<const unsigned char*>(marker.data()), marker.size(), nonce, key);
    ciphertext.insert(0, reinterpret_cast<const char*>(nonce), sizeof nonce);
    for (int i = 0; i < 20; ++i) {
        response = a.client->request(appendPerDevice(id, randomId(), { { &b.device, ciphertext } }));
        QVERIFY(response && response->status() == v1::STATUS_OK);
    }
    relay.stop(false);
    bool ciphertextFound = false;
    QDirIterator files(relay.dataDir(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    int count = 0;
    while (files.hasNext()) {
        QFile file(files.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        ++count;
        QVERIFY2(!content.contains(QByteArray::fromStdString(marker)), qPrintable(file.fileName()));
        ciphertextFound = ciphertextFound || content.contains(QByteArray::fromStdString(ciphertext));
    }
    QVERIFY(count > 0);
    QVERIFY(ciphertextFound); // the scan did read the stored entries
}

void RelayResilienceTest::gracefulShutdownAndMetrics()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 metricsPort = probe.serverPort();
    probe.close();
    RelayProcess relay;
    QVERIFY2(relay.start({ QStringLiteral("--metrics"), QStringLiteral("127.0.0.1:%1").arg(metricsPort) }),
        qPrintable(relay.error()));
    auto a = registerParticipant(relay.url(), uniqueHandle("ga"));
    QVERIFY(!a.device.userId.empty());

    auto get = [&](const QByteArray& path) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, metricsPort);
        if (!socket.waitForConnected(3000))
            return QByteArray();
        socket.write("GET " + path + " HTTP/1.0\r\n\r\n");
        QByteArray all;
        while (socket.waitForReadyRead(3000))
            all += socket.readAll();
        return all;
    };
    const QByteArray metrics = get("/metrics");
    QVERIFY2(metrics.startsWith("HTTP/1.0 200"), metrics.constData());
    QVERIFY(metrics.contains("tenchat_relay_connections "));
    QVERIFY(metrics.contains("tenchat_relay_auth_success_total"));
    QVERIFY(get("/healthz").contains("ok"));

    relay.stop(false); // SIGTERM
    QVERIFY(a.client->waitEvent([](const v1::Event& e) { return e.has_going_away(); }, 5000));
    QVERIFY(a.client->waitClosed(5000));
    QCOMPARE(a.client->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
}

void RelayResilienceTest::tlsRelay()
{
    const QString dir = QStringLiteral(TENCHAT_RELAY_TEST_DATA);
    auto config = writeConfig(QJsonObject { { QStringLiteral("tls"),
        QJsonObject { { QStringLiteral("certificate"), dir + QStringLiteral("/relay-test.crt") },
            { QStringLiteral("key"), dir + QStringLiteral("/relay-test.key") } } } });
    RelayProcess relay;
    QVERIFY2(relay.start({ QStringLiteral("--config"), config->fileName() }), qPrintable(relay.error()));
    QCOMPARE(relay.url().scheme(), QStringLiteral("wss"));
    QFile certFile(dir + QStringLiteral("/relay-test.crt"));
    QVERIFY(certFile.open(QIODevice::ReadOnly));
    const auto certificates = QSslCertificate::fromData(certFile.readAll());
    QVERIFY(!certificates.isEmpty());
    RelayTestClient client;
    client.trust(certificates.first());
    QVERIFY(client.open(relay.url()));
    QVERIFY(client.hello());
    auto device = client.registerAccount(uniqueHandle("tls"));
    QVERIFY(device);
    QCOMPARE(client.authenticate(*device), v1::STATUS_OK);
    // A client that does not trust the certificate does not get in.
    RelayTestClient untrusting;
    QVERIFY(!untrusting.open(relay.url(), 3000) || !untrusting.hello());
}

void RelayResilienceTest::authTimeoutAndMaxRetention()
{
    auto config = writeConfig(QJsonObject { { QStringLiteral("authTimeoutSeconds"), 2 },
        { QStringLiteral("maxRetentionSeconds"), 1 }, { QStringLiteral("purgeIntervalSeconds"), 1 } });
    RelayProcess relay;
    QVERIFY2(relay.start({ QStringLiteral("--config"), config->fileName() }), qPrintable(relay.error()));
    // A connection that never authenticates is closed.
    RelayTestClient idle;
    QVERIFY(idle.open(relay.url()) && idle.hello());
    QVERIFY(idle.waitClosed(8000));
    QCOMPARE(idle.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);

    // Entries older than the maximum retention are purged.
    auto a = registerParticipant(relay.url(), uniqueHandle("xa"));
    auto b = registerParticipant(relay.url(), uniqueHandle("xb"));
    auto response = a.client->request(createConversation(v1::CONVERSATION_KIND_GROUP, { b.device.userId }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto id = response->create_conversation().conversation().conversation_id();
    response = a.client->request(appendSenderKey(id, randomId(), "old news"));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QTest::qWait(2600);
    response = b.client->request(syncRequest(id, 0));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QCOMPARE(response->sync().entries_size(), 0);
}

QTEST_GUILESS_MAIN(RelayResilienceTest)
#include "RelayResilienceTest.moc"
