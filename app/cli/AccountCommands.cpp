// SPDX-License-Identifier: GPL-3.0-or-later
// init, whoami, verify, trust.
#include "CliCommands.h"
#include "CliContext.h"

#include "tenchat/core/messaging/RelayClient.h"

#include <QJsonObject>
#include <QRegularExpression>

namespace tenchat::cli {

using core::messaging::RelayClient;

int runInit(CliContext& context)
{
    const auto relay = context.option(QStringLiteral("relay"));
    const auto handleOpt = context.option(QStringLiteral("handle"));
    if (!relay || !handleOpt)
        return context.usage(QStringLiteral("init needs --relay URL and --handle NAME"));
    const QUrl url(*relay);
    if (!url.isValid() || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss")))
        return context.usage(QStringLiteral("--relay must be a ws:// or wss:// URL"));
    const QString handle = stripAt(*handleOpt);
    static const QRegularExpression handlePattern(QStringLiteral("^[a-z0-9_.-]{3,32}$"));
    if (!handlePattern.match(handle).hasMatch())
        return context.usage(QStringLiteral("a handle is 3 to 32 of a-z 0-9 _ . -"));
    if (int code = context.adoptUnregisteredProfile(); code != kExitOk)
        return code;

    RelayClient client;
    QObject::connect(&client, &RelayClient::connected, [&] {
        context.account().registerOnRelay(client, url, handle, [&](core::messaging::MessagingOk ok) {
            if (!ok) {
                context.finish(context.failure(QStringLiteral("registration failed: %1").arg(ok.error().message)));
                return;
            }
            context.finish(kExitOk);
        });
    });
    QObject::connect(&client, &RelayClient::disconnected, [&](const QString& reason) {
        context.finish(context.failure(QStringLiteral("cannot reach the relay: %1").arg(reason)));
    });
    client.open(url);
    const int code = context.run(kNetworkTimeoutMs);
    if (code < 0)
        return context.failure(QStringLiteral("the relay did not answer in time"));
    if (code != kExitOk)
        return code;
    auto& a = context.account();
    context.print(QJsonObject { { QStringLiteral("handle"), a.handle() }, { QStringLiteral("userId"), a.userIdHex() },
                      { QStringLiteral("deviceId"), int(a.deviceId()) }, { QStringLiteral("relay"), url.toString() } },
        QStringLiteral("registered @%1 (device %2) on %3").arg(a.handle()).arg(a.deviceId()).arg(url.toString()));
    return kExitOk;
}

int runWhoami(CliContext& context)
{
    if (int code = context.openAccount(); code != kExitOk)
        return code;
    auto& a = context.account();
    const QString fingerprint = QString::fromLatin1(a.identityPublicKey().toHex());
    context.print(
        QJsonObject { { QStringLiteral("handle"), a.handle() }, { QStringLiteral("userId"), a.userIdHex() },
            { QStringLiteral("deviceId"), int(a.deviceId()) }, { QStringLiteral("relay"), a.relayUrl().toString() },
            { QStringLiteral("identityKey"), fingerprint } },
        QStringLiteral("@%1 device %2 on %3\nidentity %4")
            .arg(a.handle())
            .arg(a.deviceId())
            .arg(a.relayUrl().toString(), fingerprint));
    return kExitOk;
}

int runVerify(CliContext& context)
{
    if (context.positionals().size() != 1)
        return context.usage(QStringLiteral("verify needs @handle"));
    if (int code = context.openAccount(); code != kExitOk)
        return code;
    const QString handle = stripAt(context.positionals().constFirst());
    auto& messenger = context.messenger();
    auto number = messenger.safetyNumber(handle);
    if (!number)
        return context.failure(number.error().message);
    auto changed = messenger.identityChanged(handle);
    const bool isChanged = changed && *changed;
    context.print(QJsonObject { { QStringLiteral("handle"), QStringLiteral("@") + handle },
                      { QStringLiteral("safetyNumber"), *number }, { QStringLiteral("identityChanged"), isChanged } },
        QStringLiteral("safety number with @%1: %2%3")
            .arg(handle, *number, isChanged ? QStringLiteral(" (identity changed: run trust to accept)") : QString()));
    return kExitOk;
}

int runTrust(CliContext& context)
{
    if (context.positionals().size() != 1)
        return context.usage(QStringLiteral("trust needs @handle"));
    if (int code = context.openAccount(); code != kExitOk)
        return code;
    const QString handle = stripAt(context.positionals().constFirst());
    auto& messenger = context.messenger();
    if (auto ok = messenger.trust(handle); !ok)
        return context.failure(ok.error().message);
    const int pending = context.sendQueued(); // what waited for this decision
    context.print(QJsonObject { { QStringLiteral("handle"), QStringLiteral("@") + handle },
                      { QStringLiteral("trusted"), true }, { QStringLiteral("queued"), pending } },
        QStringLiteral("trusted @%1%2")
            .arg(handle, pending > 0 ? QStringLiteral(" (%1 message(s) still queued)").arg(pending) : QString()));
    return kExitOk;
}

} // namespace tenchat::cli
