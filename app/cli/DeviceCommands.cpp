// SPDX-License-Identifier: GPL-3.0-or-later
// link request / link approve, devices, devices revoke, read, settings.
#include "CliCommands.h"
#include "CliContext.h"

#include "tenchat/core/messaging/LinkRequest.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

namespace tenchat::cli {

using core::messaging::MessagingExpected;
using core::messaging::MessagingOk;
using core::messaging::Messenger;
using core::messaging::OwnDevice;

namespace {

QString isoTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(Qt::ISODate) : QStringLiteral("-");
}

int runLinkRequest(CliContext& context)
{
    const auto relay = context.option(QStringLiteral("relay"));
    if (!relay)
        return context.usage(QStringLiteral("link request needs --relay URL"));
    const QUrl url(*relay);
    if (!url.isValid() || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss")))
        return context.usage(QStringLiteral("--relay must be a ws:// or wss:// URL"));
    const auto timeout = context.intOption(QStringLiteral("timeout"));
    if (timeout && (*timeout < 1 || *timeout > 600))
        return context.usage(QStringLiteral("--timeout takes 1..600 seconds"));
    if (int code = context.adoptUnregisteredProfile(); code != kExitOk)
        return code;

    const int ttl = int(timeout.value_or(600));
    const QString name = context.option(QStringLiteral("name")).value_or(QStringLiteral("tenchat-cli"));
    core::messaging::LinkRequest request(context.account());
    request.start(
        url, name, ttl,
        [&](const QString& code, qint64 expiresAt) {
            context.print(
                QJsonObject { { QStringLiteral("code"), code }, { QStringLiteral("expiresAt"), double(expiresAt) } },
                QStringLiteral("On a device of your account run:  tenchat-cli link approve %1\n(valid until %2)")
                    .arg(code, isoTime(expiresAt)));
        },
        [&](MessagingOk ok) {
            context.finish(
                ok ? kExitOk : context.failure(QStringLiteral("linking failed: %1").arg(ok.error().message)));
        });
    const int code = context.run(ttl * 1000 + kNetworkTimeoutMs);
    if (code < 0)
        return context.failure(QStringLiteral("linking timed out"));
    if (code != kExitOk)
        return code;
    auto& a = context.account();
    context.print(QJsonObject { { QStringLiteral("linked"), true }, { QStringLiteral("handle"), a.handle() },
                      { QStringLiteral("userId"), a.userIdHex() }, { QStringLiteral("deviceId"), int(a.deviceId()) } },
        QStringLiteral("linked as @%1 (device %2)").arg(a.handle()).arg(a.deviceId()));
    return kExitOk;
}

int runLinkApprove(CliContext& context, const QString& code)
{
    if (int rc = context.openAccountLive(); rc != kExitOk)
        return rc;
    auto result
        = context.await<MessagingExpected<quint32>>([&](auto done) { context.messenger().approveLink(code, done); });
    if (!result)
        return context.failure(QStringLiteral("the relay did not answer in time"));
    if (!*result)
        return context.failure(QStringLiteral("link approve: %1").arg(result->error().message));
    context.print(QJsonObject { { QStringLiteral("approved"), true }, { QStringLiteral("deviceId"), int(**result) } },
        QStringLiteral("approved: the new device is device %1").arg(**result));
    return kExitOk;
}

} // namespace

int runLink(CliContext& context)
{
    const auto args = context.positionals();
    if (args.size() == 1 && args[0] == QLatin1String("request"))
        return runLinkRequest(context);
    if (args.size() == 2 && args[0] == QLatin1String("approve"))
        return runLinkApprove(context, args[1]);
    return context.usage(QStringLiteral("use 'link request --relay URL' or 'link approve CODE'"));
}

int runDevices(CliContext& context)
{
    const auto args = context.positionals();
    const bool revoke = args.size() == 2 && args[0] == QLatin1String("revoke");
    if (!args.isEmpty() && !revoke)
        return context.usage(QStringLiteral("use 'devices' or 'devices revoke ID'"));
    bool numeric = true;
    const quint32 target = revoke ? args[1].toUInt(&numeric) : 0;
    if (revoke && (!numeric || target == 0))
        return context.usage(QStringLiteral("a device id is a positive number"));
    if (int rc = context.openAccountLive(); rc != kExitOk)
        return rc;
    auto& messenger = context.messenger();
    if (revoke) {
        auto result = context.await<MessagingOk>([&](auto done) { messenger.revokeDevice(target, done); });
        if (int code = context.failureOf(result); code != kExitOk)
            return code;
        context.print(QJsonObject { { QStringLiteral("revoked"), int(target) } },
            QStringLiteral("device %1 revoked").arg(target));
        return kExitOk;
    }
    auto result = context.await<MessagingExpected<QList<OwnDevice>>>([&](auto done) { messenger.listDevices(done); });
    if (int code = context.failureOf(result); code != kExitOk)
        return code;
    for (const auto& d : **result) {
        QJsonObject o { { QStringLiteral("id"), int(d.id) }, { QStringLiteral("name"), d.name },
            { QStringLiteral("created"), double(d.createdAt) }, { QStringLiteral("current"), d.current },
            { QStringLiteral("revoked"), d.revoked } };
        if (d.lastSeenAt > 0)
            o.insert(QStringLiteral("lastSeen"), double(d.lastSeenAt));
        context.print(o,
            QStringLiteral("%1%2  %3  created %4  last seen %5%6")
                .arg(d.current ? QStringLiteral("* ") : QStringLiteral("  "))
                .arg(d.id)
                .arg(d.name, isoTime(d.createdAt), d.current ? QStringLiteral("now") : QStringLiteral("unknown"),
                    d.revoked ? QStringLiteral("  (revoked %1)").arg(isoTime(d.revokedAt)) : QString()));
    }
    return kExitOk;
}

int runRead(CliContext& context)
{
    if (context.positionals().size() != 1)
        return context.usage(QStringLiteral("read needs @handle or a conversation id"));
    if (int rc = context.openAccount(); rc != kExitOk)
        return rc;
    auto& messenger = context.messenger();
    const QString target = context.positionals().constFirst();
    QString error;
    const auto resolved = storedConversation(context, target, error);
    if (!resolved)
        return context.failure(error);
    const QString conversationId = *resolved;
    auto marked = messenger.markRead(conversationId);
    if (!marked)
        return context.failure(marked.error().message);
    const int pending = context.sendQueued(); // the read receipt, and anything else queued
    context.print(
        QJsonObject { { QStringLiteral("conversation"), conversationId }, { QStringLiteral("marked"), *marked },
            { QStringLiteral("readReceipts"), messenger.preference(Messenger::Preference::ReadReceipts) },
            { QStringLiteral("queued"), pending } },
        QStringLiteral("marked %1 message(s) read").arg(*marked));
    return kExitOk;
}

int runSettings(CliContext& context)
{
    const auto args = context.positionals();
    static const QList<QPair<QString, Messenger::Preference>> names {
        { QStringLiteral("read-receipts"), Messenger::Preference::ReadReceipts },
        { QStringLiteral("typing"), Messenger::Preference::Typing },
        { QStringLiteral("presence"), Messenger::Preference::Presence },
    };
    if (args.size() != 0 && args.size() != 2)
        return context.usage(QStringLiteral("use 'settings' or 'settings NAME on|off'"));
    if (args.size() == 2) {
        auto it = std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == args[0]; });
        if (it == names.end())
            return context.usage(QStringLiteral("settings are read-receipts, typing, presence"));
        if (args[1] != QLatin1String("on") && args[1] != QLatin1String("off"))
            return context.usage(QStringLiteral("a setting is on or off"));
    }
    if (int rc = context.openAccount(); rc != kExitOk)
        return rc;
    auto& messenger = context.messenger();
    if (args.size() == 2) {
        auto it = std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == args[0]; });
        if (auto ok = messenger.setPreference(it->second, args[1] == QLatin1String("on")); !ok)
            return context.failure(ok.error().message);
    }
    QJsonObject o;
    QStringList lines;
    for (const auto& [name, preference] : names) {
        const bool on = messenger.preference(preference);
        o.insert(name, on);
        lines << QStringLiteral("%1: %2").arg(name, on ? QStringLiteral("on") : QStringLiteral("off"));
    }
    context.print(o, lines.join(QLatin1Char('\n')));
    return kExitOk;
}

} // namespace tenchat::cli
