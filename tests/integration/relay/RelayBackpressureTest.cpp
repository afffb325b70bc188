// SPDX-License-Identifier: GPL-3.0-or-later
// A slow client never stalls others: a member that stops reading gets its
// live pushes dropped (bounded send queue) and is told to sync, while the
// sender and the other members go on at full speed and nothing is lost.
#include "RelayProcess.h"
#include "RelayTestHelpers.h"

#include <QTcpSocket>

#include <QTest>
#include <set>

using namespace tenchat::testing;
namespace v1 = tenchat::v1;
namespace p = tenchat::protocol;

namespace {

// A minimal WebSocket client on a raw TCP socket whose reading the test
// controls (QWebSocket always drains the socket).
class RawWebSocket {
public:
    bool open(const QUrl& url)
    {
        socket_.connectToHost(url.host(), static_cast<quint16>(url.port()));
        if (!socket_.waitForConnected(3000))
            return false;
        socket_.write("GET / HTTP/1.1\r\nHost: " + url.host().toUtf8() + ":" + QByteArray::number(url.port())
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              "Sec-WebSocket-Version: 13\r\n\r\n");
        while (!buffer_.contains("\r\n\r\n")) {
            if (!socket_.waitForReadyRead(3000))
                return false;
            buffer_ += socket_.readAll();
        }
        buffer_.remove(0, buffer_.indexOf("\r\n\r\n") + 4);
        return true;
    }

    // Stops pulling bytes from the kernel once `bytes` are buffered.
    void limitReading(qint64 bytes) { socket_.setReadBufferSize(bytes); }

    void send(std::uint64_t requestId, const v1::Request& request)
    {
        v1::Frame frame;
        frame.set_request_id(requestId);
        *frame.mutable_request() = request;
        const QByteArray payload = QByteArray::fromStdString(frame.SerializeAsString());
        QByteArray out;
        out.append(char(0x82));
        if (payload.size() < 126) {
            out.append(char(0x80 | payload.size()));
        } else {
            out.append(char(0x80 | 126));
            out.append(char((payload.size() >> 8) & 0xff)).append(char(payload.size() & 0xff));
        }
        out.append(QByteArray(4, '\0')); // mask key 0: the payload stays as is
        out.append(payload);
        socket_.write(out);
        socket_.flush();
    }

    // Next binary message, or nullopt after the timeout.
    std::optional<v1::Frame> next(int timeoutMs)
    {
        for (;;) {
            if (auto frame = parse())
                return frame;
            if (!socket_.waitForReadyRead(timeoutMs))
                return std::nullopt;
            buffer_ += socket_.readAll();
        }
    }

    std::optional<v1::Response> response(std::uint64_t requestId)
    {
        while (auto frame = next(5000))
            if (frame->request_id() == requestId && frame->has_response())
                return frame->response();
        return std::nullopt;
    }

private:
    // One WebSocket message; the relay fragments large ones (FIN bit).
    std::optional<v1::Frame> parse()
    {
        for (;;) {
            if (buffer_.size() < 2)
                return std::nullopt;
            const bool fin = (static_cast<unsigned char>(buffer_[0]) & 0x80) != 0;
            qint64 length = static_cast<unsigned char>(buffer_[1]) & 0x7f;
            int header = 2;
            if (length == 126) {
                if (buffer_.size() < 4)
                    return std::nullopt;
                length = (static_cast<unsigned char>(buffer_[2]) << 8) | static_cast<unsigned char>(buffer_[3]);
                header = 4;
            } else if (length == 127) {
                if (buffer_.size() < 10)
                    return std::nullopt;
                length = 0;
                for (int i = 2; i < 10; ++i)
                    length = (length << 8) | static_cast<unsigned char>(buffer_[i]);
                header = 10;
            }
            if (buffer_.size() < header + length)
                return std::nullopt;
            message_.append(buffer_.constData() + header, static_cast<qsizetype>(length));
            buffer_.remove(0, header + static_cast<int>(length));
            if (!fin)
                continue;
            v1::Frame frame;
            frame.ParseFromArray(message_.constData(), static_cast<int>(message_.size()));
            message_.clear();
            return frame;
        }
    }

    QTcpSocket socket_;
    QByteArray buffer_;
    QByteArray message_;
};

} // namespace

class RelayBackpressureTest : public QObject {
    Q_OBJECT

private slots:
    void slowReaderDoesNotStallOthers();
};

void RelayBackpressureTest::slowReaderDoesNotStallOthers()
{
    auto config = writeConfig(QJsonObject {
        { QStringLiteral("sendQueueMaxBytes"), 262144 }, { QStringLiteral("durability"), QStringLiteral("normal") } });
    RelayProcess relay;
    QVERIFY2(relay.start({ QStringLiteral("--config"), config->fileName() }), qPrintable(relay.error()));
    auto sender = registerParticipant(relay.url(), uniqueHandle("ps"));
    auto reader = registerParticipant(relay.url(), uniqueHandle("pr"));
    auto slowUser = registerParticipant(relay.url(), uniqueHandle("pz"));
    QVERIFY(!sender.device.userId.empty() && !reader.device.userId.empty() && !slowUser.device.userId.empty());
    slowUser.client->close();

    // The slow device logs in over a raw socket it will stop reading.
    RawWebSocket slow;
    QVERIFY(slow.open(relay.url()));
    v1::Request hello;
    hello.mutable_hello()->add_versions(p::kProtocolVersion);
    slow.send(1, hello);
    auto response = slow.response(1);
    QVERIFY(response && response->status() == v1::STATUS_OK);
    v1::Request auth;
    auth.mutable_authenticate()->set_user_id(slowUser.device.userId);
    auth.mutable_authenticate()->set_device_id(slowUser.device.deviceId);
    auth.mutable_authenticate()->set_signature(slowUser.device.sign(
        p::authenticatePayload(response->hello().challenge(), slowUser.device.userId, slowUser.device.deviceId)));
    slow.send(2, auth);
    response = slow.response(2);
    QVERIFY(response && response->status() == v1::STATUS_OK);

    response = sender.client->request(
        createConversation(v1::CONVERSATION_KIND_GROUP, { reader.device.userId, slowUser.device.userId }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto id = response->create_conversation().conversation().conversation_id();
    slow.limitReading(1024); // from now on the slow device reads (almost) nothing

    // ~24 MB of pushes for the slow device: far more than kernel buffers,
    // the relay's socket high-water mark and its 256 KiB queue bound.
    constexpr int kCount = 3000;
    const std::string body(8000, 'c');
    std::vector<std::uint64_t> ids;
    for (int i = 0; i < kCount; ++i)
        ids.push_back(sender.client->send(appendSenderKey(id, randomId(), body)));
    for (auto requestId : ids) {
        auto r = sender.client->waitResponse(requestId, 20000);
        QVERIFY(r);
        QCOMPARE(r->status(), v1::STATUS_OK);
    }
    // The attentive member reads along. Whatever its own bounded queue had
    // to drop during the burst, it was told to sync and sync has it all.
    std::set<std::uint64_t> got;
    bool readerTold = false;
    while (auto event = reader.client->waitEvent(
               [](const v1::Event& e) {
                   return e.has_sync_required() || (e.has_entry() && e.entry().has_sender_key_ciphertext());
               },
               1500)) {
        if (event->has_sync_required())
            readerTold = true;
        else
            got.insert(event->entry().seq());
    }
    const std::uint64_t last = static_cast<std::uint64_t>(kCount) + 1;
    if (got.size() < static_cast<std::size_t>(kCount)) {
        QVERIFY(readerTold);
        for (std::uint64_t cursor = 1; cursor < last;) {
            response = reader.client->request(syncRequest(id, cursor, 1000));
            QVERIFY(response && response->status() == v1::STATUS_OK);
            QVERIFY(response->sync().entries_size() > 0);
            for (const auto& e : response->sync().entries()) {
                got.insert(e.seq());
                cursor = e.seq();
            }
        }
    }
    QCOMPARE(got.size(), static_cast<std::size_t>(kCount));
    QCOMPARE(*got.rbegin(), last);

    // The slow device now reads: fewer live entries than were sent, a
    // sync_required, and sync delivers the rest: nothing is lost.
    slow.limitReading(0);
    int live = 0;
    bool told = false;
    std::uint64_t highest = 0;
    while (auto frame = slow.next(1500)) {
        if (frame->event().has_sync_required())
            told = true;
        if (frame->event().has_entry() && frame->event().entry().has_sender_key_ciphertext()) {
            ++live;
            highest = std::max(highest, frame->event().entry().seq());
        }
    }
    QVERIFY(told);
    QVERIFY(live < kCount);
    std::uint64_t cursor = 1;
    int synced = 0;
    for (int page = 0; page < 20 && cursor < last; ++page) {
        v1::Request sync = syncRequest(id, cursor, 1000);
        slow.send(100 + static_cast<std::uint64_t>(page), sync);
        response = slow.response(100 + static_cast<std::uint64_t>(page));
        QVERIFY(response && response->status() == v1::STATUS_OK);
        for (const auto& e : response->sync().entries()) {
            QCOMPARE(e.seq(), cursor + 1);
            cursor = e.seq();
            ++synced;
        }
    }
    QCOMPARE(cursor, last);
    QCOMPARE(synced, kCount);
}

QTEST_GUILESS_MAIN(RelayBackpressureTest)
#include "RelayBackpressureTest.moc"
