// SPDX-License-Identifier: GPL-3.0-or-later
// group create | add | remove | leave | role | list.
#include "CliCommands.h"
#include "CliContext.h"

#include "tenchat/core/messaging/GroupEngine.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace tenchat::cli {

using core::messaging::GroupEngine;
using core::messaging::GroupInfo;
using core::messaging::MessagingErrorCode;
using core::messaging::MessagingOk;
using core::store::MemberRole;

namespace {

constexpr qint64 kMaxTtlSeconds = 365LL * 24 * 3600;

QString roleName(MemberRole role)
{
    switch (role) {
    case MemberRole::Owner: return QStringLiteral("owner");
    case MemberRole::Admin: return QStringLiteral("admin");
    case MemberRole::Moderator: return QStringLiteral("moderator");
    case MemberRole::Member: return QStringLiteral("member");
    }
    return QStringLiteral("member");
}

QJsonObject groupJson(const GroupInfo& g)
{
    QJsonArray members;
    for (const auto& m : g.members) {
        members.append(
            QJsonObject { { QStringLiteral("handle"), m.handle.isEmpty() ? QString() : QStringLiteral("@") + m.handle },
                { QStringLiteral("userId"), m.userId }, { QStringLiteral("role"), roleName(m.role) } });
    }
    return QJsonObject { { QStringLiteral("conversation"), g.id }, { QStringLiteral("name"), g.title },
        { QStringLiteral("kind"), g.channel ? QStringLiteral("channel") : QStringLiteral("group") },
        { QStringLiteral("ttl"), double(g.ttlSeconds) }, { QStringLiteral("member"), g.member },
        { QStringLiteral("role"), g.member ? roleName(g.ownRole) : QString() },
        { QStringLiteral("members"), members } };
}

QString groupLine(const GroupInfo& g)
{
    QStringList handles;
    for (const auto& m : g.members)
        handles << QStringLiteral("@") + (m.handle.isEmpty() ? m.userId.left(8) : m.handle);
    QString line = QStringLiteral("%1 %2 (%3")
                       .arg(g.id, g.title.isEmpty() ? QStringLiteral("(unnamed)") : g.title,
                           g.channel ? QStringLiteral("channel") : QStringLiteral("group"));
    if (g.ttlSeconds > 0)
        line += QStringLiteral(", ttl %1 s").arg(g.ttlSeconds);
    if (!g.member)
        line += QStringLiteral(", left");
    return line + QStringLiteral("): ") + handles.join(QLatin1Char(' '));
}

// Prints the group as it is after a change.
int printGroup(CliContext& context, GroupEngine& groups, const QString& id)
{
    auto info = groups.info(id);
    if (!info)
        return context.failure(info.error().message);
    context.print(groupJson(*info), groupLine(*info));
    return kExitOk;
}

// The membership and role commands: resolves the group named `target`, runs
// `change(groups, id, done)` on the relay and prints the group after it.
template <class Change> int changeGroup(CliContext& context, const QString& target, Change&& change)
{
    if (int code = context.openAccountLive(); code != kExitOk)
        return code;
    auto& groups = context.messenger().groups();
    auto id = groups.resolve(target);
    if (!id)
        return context.failure(id.error().message);
    auto result = context.await<MessagingOk>([&](auto done) { change(groups, *id, done); });
    if (int code = context.failureOf(result); code != kExitOk)
        return code;
    return printGroup(context, groups, *id);
}

int groupCreate(CliContext& context, const QStringList& args)
{
    if (args.isEmpty() || args[0].isEmpty() || args[0].startsWith(QLatin1Char('@')))
        return context.usage(QStringLiteral("group create needs NAME [@handle ...]"));
    QStringList handles;
    for (const auto& h : args.mid(1)) {
        if (!h.startsWith(QLatin1Char('@')) || h.size() < 2)
            return context.usage(QStringLiteral("members are given as @handle, not '%1'").arg(h));
        handles << stripAt(h);
    }
    const auto ttl = context.intOption(QStringLiteral("ttl"));
    if (ttl && (*ttl < 0 || *ttl > kMaxTtlSeconds))
        return context.usage(QStringLiteral("--ttl takes a number of seconds (0 to one year)"));
    const bool channel = context.option(QStringLiteral("channel")).has_value();
    if (int code = context.openAccountLive(); code != kExitOk)
        return code;
    auto& groups = context.messenger().groups();
    auto id = context.await<core::messaging::MessagingExpected<QString>>(
        [&](auto done) { groups.create(args[0], handles, channel, quint32(ttl.value_or(0)), done); });
    if (int code = context.failureOf(id); code != kExitOk)
        return code;
    return printGroup(context, groups, **id);
}

int groupMembership(CliContext& context, const QString& verb, const QStringList& args)
{
    const bool leave = verb == QLatin1String("leave");
    if (args.size() != (leave ? 1 : 2) || (!leave && !args[1].startsWith(QLatin1Char('@'))))
        return context.usage(leave ? QStringLiteral("group leave needs GROUP")
                                   : QStringLiteral("group %1 needs GROUP and @handle").arg(verb));
    return changeGroup(context, args[0], [&](GroupEngine& groups, const QString& id, auto done) {
        if (verb == QLatin1String("add"))
            groups.addMember(id, stripAt(args[1]), done);
        else if (verb == QLatin1String("remove"))
            groups.removeMember(id, stripAt(args[1]), done);
        else
            groups.leave(id, done);
    });
}

int groupRole(CliContext& context, const QStringList& args)
{
    static const QHash<QString, MemberRole> roles { { QStringLiteral("owner"), MemberRole::Owner },
        { QStringLiteral("admin"), MemberRole::Admin }, { QStringLiteral("member"), MemberRole::Member } };
    if (args.size() != 3 || !args[1].startsWith(QLatin1Char('@')) || !roles.contains(args[2]))
        return context.usage(QStringLiteral("group role needs GROUP @handle owner|admin|member"));
    return changeGroup(context, args[0], [&](GroupEngine& groups, const QString& id, auto done) {
        groups.setRole(id, stripAt(args[1]), roles.value(args[2]), done);
    });
}

int groupList(CliContext& context, const QStringList& args)
{
    if (!args.isEmpty())
        return context.usage(QStringLiteral("group list takes no arguments"));
    if (int code = context.openAccount(); code != kExitOk)
        return code;
    // Take in what happened meanwhile (new groups, members, removals), if
    // the relay is reachable; otherwise list what the store knows.
    if (context.goLive(kNetworkTimeoutMs))
        context.await<MessagingOk>([&](auto done) { context.messenger().groups().reconcile(done); });
    auto groups = context.messenger().groups().list();
    if (!groups)
        return context.failure(groups.error().message);
    for (const auto& g : *groups)
        context.print(groupJson(g), groupLine(g));
    return kExitOk;
}

} // namespace

int runGroup(CliContext& context)
{
    const auto args = context.positionals();
    const QString verb = args.value(0);
    if (verb == QLatin1String("create"))
        return groupCreate(context, args.mid(1));
    if (verb == QLatin1String("add") || verb == QLatin1String("remove") || verb == QLatin1String("leave"))
        return groupMembership(context, verb, args.mid(1));
    if (verb == QLatin1String("role"))
        return groupRole(context, args.mid(1));
    if (verb == QLatin1String("list"))
        return groupList(context, args.mid(1));
    return context.usage(verb.isEmpty() ? QStringLiteral("group needs create, add, remove, leave, role or list")
                                        : QStringLiteral("unknown group command '%1'").arg(verb));
}

} // namespace tenchat::cli
