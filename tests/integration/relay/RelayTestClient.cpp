// SPDX-License-Identifier: GPL-3.0-or-later
#include "RelayTestClient.h"

#include "tenchat/protocol/Protocol.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QSslConfiguration>
#include <QTimer>

namespace tenchat::testing {

namespace v1 = tenchat::v1;

namespace {
crypto::ByteView view(const std::string& s)
{
    return { reinterpret_cast<const std::uint8_t*>(s.data()), s.size() };
}

// Processes events until `done` or the deadline.
bool spinUntil(const std::function<bool()>& done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 20);
    }
    return true;
}
} // namespace

std::string TestDevice::publicKey() const
{
    return crypto::toString(identity->publicKey);
}

std::string TestDevice::sign(const std::string& payload) const
{
    auto signature = crypto::signWithIdentity(identity->privateKey, view(payload));
    return signature ? crypto::toString(*signature) : std::string();
}

RelayTestClient::RelayTestClient()
{
    QObject::connect(&socket_, &QWebSocket::binaryMessageReceived, [this](const QByteArray& b) { onBinary(b); });
    QObject::connect(&socket_, &QWebSocket::disconnected, [this] { closed_ = true; });
}

RelayTestClient::~RelayTestClient()
{
    socket_.abort();
}

bool RelayTestClient::open(const QUrl& url, int timeoutMs)
{
    closed_ = false;
    socket_.open(url);
    return spinUntil([this] { return socket_.state() == QAbstractSocket::ConnectedState || closed_; }, timeoutMs)
        && socket_.state() == QAbstractSocket::ConnectedState;
}

void RelayTestClient::trust(const QSslCertificate& certificate)
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates({ certificate });
    socket_.setSslConfiguration(ssl);
}

void RelayTestClient::close()
{
    socket_.close();
    spinUntil([this] { return closed_; }, 2000);
}

bool RelayTestClient::isConnected() const
{
    return socket_.state() == QAbstractSocket::ConnectedState;
}

bool RelayTestClient::waitClosed(int timeoutMs)
{
    return spinUntil([this] { return closed_; }, timeoutMs);
}

QWebSocketProtocol::CloseCode RelayTestClient::closeCode() const
{
    return socket_.closeCode();
}

void RelayTestClient::onBinary(const QByteArray& bytes)
{
    v1::Frame frame;
    if (!frame.ParseFromArray(bytes.constData(), static_cast<int>(bytes.size())))
        return;
    anyFrames_.push_back(frame);
    if (frame.has_event())
        events_.push_back(frame.event());
    else if (frame.has_response())
        responses_.push_back(std::move(frame));
}

std::uint64_t RelayTestClient::send(const v1::Request& request)
{
    v1::Frame frame;
    frame.set_request_id(nextRequestId_++);
    *frame.mutable_request() = request;
    sendRaw(QByteArray::fromStdString(frame.SerializeAsString()));
    return frame.request_id();
}

void RelayTestClient::sendRaw(const QByteArray& bytes)
{
    socket_.sendBinaryMessage(bytes);
    socket_.flush();
}

std::optional<v1::Response> RelayTestClient::waitResponse(std::uint64_t requestId, int timeoutMs)
{
    std::optional<v1::Response> found;
    spinUntil(
        [&] {
            for (auto it = responses_.begin(); it != responses_.end(); ++it) {
                if (it->request_id() == requestId) {
                    found = it->response();
                    responses_.erase(it);
                    return true;
                }
            }
            return closed_;
        },
        timeoutMs);
    return found;
}

std::optional<v1::Frame> RelayTestClient::waitAnyFrame(int timeoutMs)
{
    if (!spinUntil([this] { return !anyFrames_.empty() || closed_; }, timeoutMs) || anyFrames_.empty())
        return std::nullopt;
    auto frame = anyFrames_.front();
    anyFrames_.pop_front();
    return frame;
}

std::optional<v1::Response> RelayTestClient::request(const v1::Request& request, int timeoutMs)
{
    return waitResponse(send(request), timeoutMs);
}

std::optional<v1::Event> RelayTestClient::waitEvent(const std::function<bool(const v1::Event&)>& match, int timeoutMs)
{
    std::optional<v1::Event> found;
    spinUntil(
        [&] {
            for (auto it = events_.begin(); it != events_.end(); ++it) {
                if (match(*it)) {
                    found = *it;
                    events_.erase(it);
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

bool RelayTestClient::hello(const std::vector<std::string>& features)
{
    v1::Request request;
    request.mutable_hello()->add_versions(tenchat::protocol::kProtocolVersion);
    request.mutable_hello()->set_client_name("tenchat-integration-test");
    for (const auto& f : features)
        request.mutable_hello()->add_features(f);
    auto response = this->request(request);
    if (!response || response->status() != v1::STATUS_OK)
        return false;
    challenge_ = response->hello().challenge();
    return true;
}

std::optional<TestDevice> RelayTestClient::registerAccount(const std::string& handle)
{
    auto keys = crypto::generateIdentityKeyPair();
    if (!keys)
        return std::nullopt;
    TestDevice device;
    device.handle = handle;
    device.identity = std::make_shared<crypto::IdentityKeyPair>(std::move(*keys));
    v1::Request request;
    auto* r = request.mutable_register_account();
    r->set_handle(handle);
    r->set_identity_key(device.publicKey());
    r->set_registration_id(crypto::generateRegistrationId());
    r->set_device_name("test device");
    r->set_signature(device.sign(tenchat::protocol::registerAccountPayload(handle, device.publicKey())));
    auto response = this->request(request);
    if (!response || response->status() != v1::STATUS_OK)
        return std::nullopt;
    device.userId = response->register_account().user_id();
    device.deviceId = response->register_account().device_id();
    return device;
}

v1::Status RelayTestClient::authenticate(const TestDevice& device)
{
    v1::Request request;
    auto* a = request.mutable_authenticate();
    a->set_user_id(device.userId);
    a->set_device_id(device.deviceId);
    a->set_signature(device.sign(tenchat::protocol::authenticatePayload(challenge_, device.userId, device.deviceId)));
    auto response = this->request(request);
    return response ? response->status() : v1::STATUS_UNSPECIFIED;
}

bool RelayTestClient::login(const QUrl& url, const TestDevice& device, const std::vector<std::string>& features)
{
    return open(url) && hello(features) && authenticate(device) == v1::STATUS_OK;
}

} // namespace tenchat::testing
