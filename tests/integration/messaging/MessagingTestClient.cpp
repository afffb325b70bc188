// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessagingTestClient.h"

#include "tenchat/core/messaging/RelayClient.h"

#include <QTest>

namespace tenchat::testing {

using namespace core::messaging;

std::unique_ptr<MessagingTestClient> MessagingTestClient::create(
    const QUrl& relay, const QString& handle, QString* error)
{
    std::unique_ptr<MessagingTestClient> client(new MessagingTestClient);
    core::store::ProfileOptions options;
    options.kdf = crypto::Argon2Params::forTests();
    auto account = Account::create(client->dir_.path() + QStringLiteral("/profile"), "test passphrase", options);
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
    client->messenger_ = std::make_unique<Messenger>(*client->account_);
    // Quick reconnects: the tests restart the relay.
    client->messenger_->sync().setBackoff(Backoff(100, 1000));
    auto* c = client.get();
    QObject::connect(c->messenger_.get(), &Messenger::messageReceived,
        [c](const core::store::Message& message, const QString& from) {
            c->received << message;
            c->receivedFrom << from;
        });
    return client;
}

bool MessagingTestClient::waitLive(int timeoutMs)
{
    return QTest::qWaitFor([this] { return messenger_->sync().isLive(); }, timeoutMs);
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
