// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessagingTestClient.h"

#include "tenchat/core/messaging/LinkRequest.h"
#include "tenchat/core/messaging/RelayClient.h"

#include <QTest>

namespace tenchat::testing {

using namespace core::messaging;

std::unique_ptr<MessagingTestClient> MessagingTestClient::create(
    const QUrl& relay, const QString& handle, QString* error)
{
    std::unique_ptr<MessagingTestClient> client(new MessagingTestClient);
    auto account = Account::create(client->profilePath(), kPassphrase, profileOptions());
    if (!account) {
        *error = account.error().message;
        return nullptr;
    }
    client->account_ = std::move(account).value();

    RelayClient registration;
    std::optional<MessagingOk> result;
    QObject::connect(&registration, &RelayClient::connected,
        [&] { client->account_->registerOnRelay(registration, relay, handle, [&](MessagingOk ok) { result = ok; }); });
    registration.open(relay);
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000) || !*result) {
        *error = result ? result->error().message : QStringLiteral("registration timed out");
        return nullptr;
    }
    client->attachMessenger();
    return client;
}

core::store::ProfileOptions MessagingTestClient::profileOptions()
{
    core::store::ProfileOptions options;
    options.kdf = crypto::Argon2Params::forTests();
    return options;
}

void MessagingTestClient::closeProfile()
{
    if (messenger_)
        messenger_->stop();
    messenger_.reset();
    account_.reset();
}

bool MessagingTestClient::reopenProfile(QString* error)
{
    auto account = Account::open(profilePath(), kPassphrase, profileOptions());
    if (!account) {
        *error = account.error().message;
        return false;
    }
    account_ = std::move(account).value();
    attachMessenger();
    return true;
}

void MessagingTestClient::attachMessenger()
{
    messenger_ = std::make_unique<Messenger>(*account_);
    // Quick reconnects: the tests restart the relay.
    messenger_->sync().setBackoff(Backoff(100, 1000));
    auto* c = this;
    QObject::connect(
        messenger_.get(), &Messenger::messageReceived, [c](const core::store::Message& message, const QString& from) {
            c->received << message;
            c->receivedFrom << from;
        });
    QObject::connect(messenger_.get(), &Messenger::deliveryChanged,
        [c](const QString& id, core::store::DeliveryState state) { c->delivery[id] = state; });
    QObject::connect(messenger_.get(), &Messenger::typingChanged,
        [c](const QString& conversation, const QString& from, bool typing) {
            c->typing << QStringLiteral("%1:%2:%3").arg(conversation, from).arg(typing ? 1 : 0);
        });
    QObject::connect(
        messenger_.get(), &Messenger::presenceChanged, [c](const QString& from, Messenger::Presence state) {
            c->presence << QStringLiteral("%1:%2").arg(from).arg(int(state));
        });
}

std::unique_ptr<MessagingTestClient> MessagingTestClient::createUnregistered(QString* error)
{
    std::unique_ptr<MessagingTestClient> client(new MessagingTestClient);
    auto account = Account::create(client->profilePath(), kPassphrase, profileOptions());
    if (!account) {
        *error = account.error().message;
        return nullptr;
    }
    client->account_ = std::move(account).value();
    return client;
}

std::unique_ptr<MessagingTestClient> MessagingTestClient::createLinked(
    const QUrl& relay, MessagingTestClient& approver, QString* error)
{
    auto client = createUnregistered(error);
    if (!client)
        return nullptr;
    LinkRequest request(client->account());
    request.setPollIntervalMs(100);
    std::optional<MessagingOk> linked;
    std::optional<MessagingExpected<quint32>> approved;
    request.start(
        relay, QStringLiteral("second"), 120,
        [&](const QString& code, qint64) {
            approver.messenger().approveLink(code, [&](MessagingExpected<quint32> r) { approved = std::move(r); });
        },
        [&](MessagingOk ok) { linked = std::move(ok); });
    if (!QTest::qWaitFor([&] { return linked.has_value(); }, 60000)) {
        *error = QStringLiteral("linking timed out");
        return nullptr;
    }
    if (!*linked) {
        *error = linked->error().message;
        if (approved && !*approved)
            *error += QStringLiteral(" / approver: ") + approved->error().message;
        return nullptr;
    }
    client->attachMessenger();
    return client;
}

void MessagingTestClient::dropToDevice(std::function<bool(const tenchat::v1::ToDeviceMessage&)> drop)
{
    auto& sync = messenger_->sync();
    sync.setToDeviceHandler([drop = std::move(drop), next = sync.toDeviceHandler()](
                                const std::vector<tenchat::v1::ToDeviceMessage>& messages) {
        std::vector<tenchat::v1::ToDeviceMessage> kept;
        std::vector<std::uint64_t> acked;
        for (const auto& message : messages) {
            if (drop(message))
                acked.push_back(message.id());
            else
                kept.push_back(message);
        }
        if (!kept.empty() && next) {
            const auto processed = next(kept);
            acked.insert(acked.end(), processed.begin(), processed.end());
        }
        return acked;
    });
}

bool MessagingTestClient::waitLive(int timeoutMs)
{
    return QTest::qWaitFor([this] { return messenger_->sync().isLive(); }, timeoutMs);
}

bool MessagingTestClient::hasReceived(const QString& text) const
{
    for (const auto& m : received)
        if (m.body == text)
            return true;
    return false;
}

bool MessagingTestClient::waitReceived(const QString& text, int timeoutMs)
{
    return QTest::qWaitFor([&] { return hasReceived(text); }, timeoutMs);
}

bool MessagingTestClient::startAll(std::initializer_list<MessagingTestClient*> clients, int timeoutMs)
{
    for (auto* client : clients)
        client->start();
    for (auto* client : clients)
        if (!client->waitLive(timeoutMs))
            return false;
    return true;
}

std::optional<MessagingExpected<tenchat::v1::Response>> MessagingTestClient::relayRequest(
    const tenchat::v1::Request& request, int timeoutMs)
{
    std::optional<MessagingExpected<tenchat::v1::Response>> result;
    messenger_->sync().client().request(
        request, [&](MessagingExpected<tenchat::v1::Response> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs))
        return std::nullopt;
    return result;
}

QString MessagingTestClient::openDirect(const QString& handle, int timeoutMs)
{
    std::optional<MessagingExpected<QString>> result;
    messenger_->openDirect(handle, [&](MessagingExpected<QString> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs) || !*result)
        return {};
    return **result;
}

} // namespace tenchat::testing
