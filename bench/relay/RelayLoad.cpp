// SPDX-License-Identifier: GPL-3.0-or-later
#include "RelayLoad.h"

#include "tenchat/protocol/Protocol.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTimer>

#include <chrono>
#include <cstring>

namespace tenchat::bench {

namespace v1 = tenchat::v1;
namespace p = tenchat::protocol;

namespace {

std::int64_t steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

crypto::ByteView view(const std::string& s)
{
    return { reinterpret_cast<const std::uint8_t*>(s.data()), s.size() };
}

std::string sign(const crypto::IdentityKeyPair& identity, const std::string& payload)
{
    auto signature = crypto::signWithIdentity(identity.privateKey, view(payload));
    return signature ? crypto::toString(*signature) : std::string();
}

std::string randomBytes(std::size_t size)
{
    std::string out(size, '\0');
    QRandomGenerator::global()->generate(
        reinterpret_cast<quint32*>(out.data()), reinterpret_cast<quint32*>(out.data()) + size / sizeof(quint32));
    return out;
}

bool spinUntil(const std::function<bool()>& done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 10);
    }
    return true;
}

} // namespace

RelayLoad::RelayLoad(QUrl relay, LoadOptions options) : relay_(std::move(relay)), options_(options)
{ }

RelayLoad::~RelayLoad()
{
    for (auto& d : devices_)
        if (d.socket)
            d.socket->abort();
}

void RelayLoad::send(Device& device, const v1::Request& request)
{
    v1::Frame frame;
    frame.set_request_id(device.nextRequestId++);
    *frame.mutable_request() = request;
    QByteArray bytes(static_cast<qsizetype>(frame.ByteSizeLong()), Qt::Uninitialized);
    frame.SerializeToArray(bytes.data(), static_cast<int>(bytes.size()));
    device.socket->sendBinaryMessage(bytes);
}

void RelayLoad::onMessage(std::size_t index, const QByteArray& bytes)
{
    v1::Frame frame;
    if (!frame.ParseFromArray(bytes.constData(), static_cast<int>(bytes.size())))
        return;
    auto& device = devices_[index];
    if (frame.has_response()) {
        if (!running_) {
            device.lastResponse = frame.response();
            return;
        }
        if (frame.response().has_append() && frame.response().status() == v1::STATUS_OK)
            ++result_.acked;
        else if (frame.response().status() != v1::STATUS_OK)
            ++result_.errors;
        return;
    }
    if (!frame.has_event() || !frame.event().has_entry())
        return;
    const auto& entry = frame.event().entry();
    if (!entry.has_device_ciphertext())
        return;
    const auto& ciphertext = entry.device_ciphertext().ciphertext();
    if (ciphertext.size() >= sizeof(std::int64_t)) {
        std::int64_t sentNs = 0;
        std::memcpy(&sentNs, ciphertext.data(), sizeof sentNs);
        if (sentNs > 0) {
            ++result_.delivered;
            result_.latency.add(static_cast<double>(steadyNs() - sentNs) / 1e6);
        }
    }
    auto& slot = device.pendingAcks[entry.conversation_id()];
    slot = std::max(slot, entry.seq());
}

bool RelayLoad::roundTrip(const std::vector<std::size_t>& which,
    const std::function<std::optional<v1::Request>(std::size_t)>& build, QString& error)
{
    std::vector<std::size_t> sent;
    for (auto i : which) {
        auto request = build(i);
        if (!request)
            continue;
        devices_[i].lastResponse.reset();
        send(devices_[i], *request);
        sent.push_back(i);
    }
    const bool done = spinUntil(
        [&] {
            for (auto i : sent)
                if (!devices_[i].lastResponse)
                    return false;
            return true;
        },
        60000);
    if (!done) {
        error = QStringLiteral("timeout waiting for responses during setup");
        return false;
    }
    for (auto i : sent) {
        if (devices_[i].lastResponse->status() != v1::STATUS_OK) {
            error = QStringLiteral("setup refused: %1").arg(QString::fromStdString(devices_[i].lastResponse->reason()));
            return false;
        }
    }
    return true;
}

bool RelayLoad::setup(QString& error)
{
    QElapsedTimer timer;
    timer.start();
    const int n = std::max(2, options_.devices - options_.devices % 2);
    devices_.resize(static_cast<std::size_t>(n));
    std::vector<std::size_t> all;
    for (std::size_t i = 0; i < devices_.size(); ++i) {
        auto& d = devices_[i];
        auto keys = crypto::generateIdentityKeyPair();
        if (!keys) {
            error = QStringLiteral("identity key generation failed");
            return false;
        }
        d.identity = std::move(*keys);
        d.peer = i ^ 1u;
        d.socket = std::make_unique<QWebSocket>();
        d.socket->setParent(nullptr);
        connect(d.socket.get(), &QWebSocket::binaryMessageReceived, this,
            [this, i](const QByteArray& bytes) { onMessage(i, bytes); });
        connect(d.socket.get(), &QWebSocket::disconnected, this, [this, i] { devices_[i].closed = true; });
        d.socket->open(relay_);
        all.push_back(i);
    }
    if (!spinUntil(
            [&] {
                for (auto& d : devices_)
                    if (d.socket->state() != QAbstractSocket::ConnectedState)
                        return false;
                return true;
            },
            60000)) {
        error = QStringLiteral("could not open %1 connections").arg(n);
        return false;
    }
    const std::string prefix = "lg" + std::to_string(QRandomGenerator::global()->bounded(100000000));
    if (!roundTrip(
            all,
            [](std::size_t) {
                v1::Request r;
                r.mutable_hello()->add_versions(p::kProtocolVersion);
                r.mutable_hello()->set_client_name("tenchat-loadgen");
                return std::optional<v1::Request>(r);
            },
            error))
        return false;
    if (!roundTrip(
            all,
            [&](std::size_t i) {
                auto& d = devices_[i];
                const std::string handle = prefix + "_" + std::to_string(i);
                const std::string key = crypto::toString(d.identity.publicKey);
                v1::Request r;
                auto* reg = r.mutable_register_account();
                reg->set_handle(handle);
                reg->set_identity_key(key);
                reg->set_registration_id(crypto::generateRegistrationId());
                reg->set_signature(sign(d.identity, p::registerAccountPayload(handle, key)));
                return std::optional<v1::Request>(r);
            },
            error))
        return false;
    for (auto& d : devices_)
        d.userId = d.lastResponse->register_account().user_id();
    // The hello challenge was kept in the hello response; ask a fresh one.
    if (!roundTrip(
            all,
            [](std::size_t) {
                v1::Request r;
                r.mutable_challenge();
                return std::optional<v1::Request>(r);
            },
            error))
        return false;
    if (!roundTrip(
            all,
            [&](std::size_t i) {
                auto& d = devices_[i];
                const auto challenge = d.lastResponse->challenge().challenge();
                v1::Request r;
                r.mutable_authenticate()->set_user_id(d.userId);
                r.mutable_authenticate()->set_device_id(1);
                r.mutable_authenticate()->set_signature(
                    sign(d.identity, p::authenticatePayload(challenge, d.userId, 1)));
                return std::optional<v1::Request>(r);
            },
            error))
        return false;
    std::vector<std::size_t> creators;
    for (std::size_t i = 0; i < devices_.size(); i += 2)
        creators.push_back(i);
    if (!roundTrip(
            creators,
            [&](std::size_t i) {
                v1::Request r;
                r.mutable_create_conversation()->set_kind(v1::CONVERSATION_KIND_DIRECT);
                r.mutable_create_conversation()->add_member_user_ids(devices_[devices_[i].peer].userId);
                return std::optional<v1::Request>(r);
            },
            error))
        return false;
    for (auto i : creators) {
        const auto id = devices_[i].lastResponse->create_conversation().conversation().conversation_id();
        devices_[i].conversationId = id;
        devices_[devices_[i].peer].conversationId = id;
    }
    result_.setupSeconds = static_cast<double>(timer.elapsed()) / 1000.0;
    return true;
}

void RelayLoad::flushAcks()
{
    for (auto& d : devices_) {
        if (d.pendingAcks.empty() || d.closed)
            continue;
        v1::Request r;
        for (const auto& [conversation, seq] : d.pendingAcks) {
            auto* c = r.mutable_ack()->add_entries();
            c->set_conversation_id(conversation);
            c->set_after_seq(seq);
        }
        d.pendingAcks.clear();
        send(d, r);
    }
}

LoadResult RelayLoad::run(const std::function<void()>& sample)
{
    running_ = true;
    // Frames are built once per device; the loop only patches them, so the
    // generator spends its share of the two cores on the sockets.
    const std::string filler = randomBytes(static_cast<std::size_t>(std::max(options_.size, 8)));
    const std::string runId = randomBytes(8);
    std::uint64_t messageCounter = 0;
    for (auto& d : devices_) {
        d.append = std::make_unique<v1::Frame>();
        auto* a = d.append->mutable_request()->mutable_append();
        a->set_conversation_id(d.conversationId);
        a->set_message_id(runId + std::string(8, '\0'));
        auto* c = a->mutable_device_ciphertexts()->add_ciphertexts();
        c->mutable_device()->set_user_id(devices_[d.peer].userId);
        c->mutable_device()->set_device_id(1);
        c->set_type(2);
        c->set_ciphertext(filler);
    }
    std::size_t next = 0;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.start(1);
    QElapsedTimer clock;
    clock.start();
    qint64 lastAck = 0;
    qint64 lastSample = 0;
    const qint64 durationMs = static_cast<qint64>(options_.seconds * 1000);
    while (clock.elapsed() < durationMs) {
        const auto due = static_cast<std::uint64_t>(options_.rate * static_cast<double>(clock.nsecsElapsed()) / 1e9);
        // At most one 10 ms slice at once, so a stall does not cause a burst.
        std::uint64_t budget = std::min<std::uint64_t>(
            due - std::min(due, result_.sent), static_cast<std::uint64_t>(std::max(1.0, options_.rate / 100.0)));
        while (budget-- > 0) {
            auto& d = devices_[next];
            next = (next + 1) % devices_.size();
            if (d.closed)
                continue;
            auto* a = d.append->mutable_request()->mutable_append();
            ++messageCounter;
            std::memcpy(a->mutable_message_id()->data() + 8, &messageCounter, sizeof messageCounter);
            d.append->set_request_id(d.nextRequestId++);
            const std::int64_t now = steadyNs();
            std::memcpy(a->mutable_device_ciphertexts()->mutable_ciphertexts(0)->mutable_ciphertext()->data(), &now,
                sizeof now);
            d.wire.resize(static_cast<qsizetype>(d.append->ByteSizeLong()));
            d.append->SerializeToArray(d.wire.data(), static_cast<int>(d.wire.size()));
            d.socket->sendBinaryMessage(d.wire);
            ++result_.sent;
        }
        if (clock.elapsed() - lastAck >= 100) {
            flushAcks();
            lastAck = clock.elapsed();
        }
        if (clock.elapsed() - lastSample >= 250) {
            sample();
            lastSample = clock.elapsed();
        }
        // Sleep until network input or the next 1 ms tick: a spinning
        // generator would steal the CPU the relay needs.
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 1);
    }
    // Drain: let in-flight deliveries arrive; the time counts, so a relay
    // that falls behind shows a lower rate.
    spinUntil([this] { return result_.delivered >= result_.sent; }, 5000);
    result_.sendSeconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    sample();
    flushAcks();
    running_ = false;
    return result_;
}

} // namespace tenchat::bench
