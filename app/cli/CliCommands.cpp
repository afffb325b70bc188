// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommands.h"
#include "CliContext.h"

#include "tenchat/core/messaging/GroupEngine.h"

#include <cstdio>

namespace tenchat::cli {

QString stripAt(const QString& handle)
{
    return handle.startsWith(QLatin1Char('@')) ? handle.mid(1) : handle;
}

std::optional<QString> localConversation(CliContext& context, const QString& target, QString& error)
{
    auto& messenger = context.messenger();
    if (target.startsWith(QLatin1Char('@'))) {
        auto known = messenger.knownDirect(stripAt(target));
        if (!known) {
            error = known.error().message;
            return std::nullopt;
        }
        return *known;
    }
    if (auto group = messenger.groups().resolve(target))
        return *group; // a group's name (or id)
    return target;
}

std::optional<QString> storedConversation(CliContext& context, const QString& target, QString& error)
{
    auto id = localConversation(context, target, error);
    if (!id)
        return std::nullopt;
    auto stored = context.account().store().conversations().get(*id);
    if (!stored || !stored->has_value()) {
        error = QStringLiteral("no conversation %1").arg(target);
        return std::nullopt;
    }
    return id;
}

void printHelp()
{
    std::fputs("Usage: tenchat-cli [--profile DIR] [--passphrase-file FILE] [--json] COMMAND ...\n"
               "The passphrase comes from --passphrase-file or TENCHAT_PASSPHRASE.\n\n"
               "Commands:\n"
               "  init --relay URL --handle NAME   create the profile and register it\n"
               "  whoami                           show this account and device\n"
               "  send @handle TEXT [--reply-to ID] send a message (queued when offline)\n"
               "  send GROUP TEXT [--reply-to ID]  send to a group or channel (its name or id)\n"
               "  listen [--count N] [--timeout S] print incoming messages, one per line\n"
               "  history TARGET [--limit N]       messages of @handle, a group's name or a conversation id\n"
               "  search TEXT [--limit N]          full-text search in the local store\n"
               "  verify @handle                   show the safety number with a contact\n"
               "  trust @handle                    accept a contact's changed identity\n"
               "  react ID EMOJI [--remove]        add or remove a reaction\n"
               "  edit ID TEXT                     edit one of your messages\n"
               "  delete ID                        delete one of your messages for everyone\n"
               "  group create NAME [@handle ...] [--channel] [--ttl SECONDS]\n"
               "                                   create a group (or a channel: only owners and\n"
               "                                   admins post); --ttl makes messages vanish\n"
               "  group add GROUP @handle          add a member (owners and admins)\n"
               "  group remove GROUP @handle       remove a member; the others rotate their keys\n"
               "  group leave GROUP                leave a group or channel\n"
               "  group role GROUP @handle ROLE    make a member owner, admin or member (owners)\n"
               "  group list                       groups and channels with members and roles\n"
               "  send-file TARGET PATH            upload PATH encrypted, send it to @handle or GROUP\n"
               "                                   (an interrupted upload resumes when sent again)\n"
               "  fetch ID DEST [--overwrite]      download the file of message ID to DEST\n"
               "                                   (a file path or an existing folder)\n"
               "  bot run PLUGIN [--allow-unsigned] [--accept-publisher] [--grant CAPS] [--scope SCOPES]\n"
               "                                   run a plugin (folder or .zip) on this profile\n"
               "  bot verify PLUGIN                validate a package and show its signature\n"
               "  bot keygen FILE                  create a publisher signing key\n"
               "  bot sign DIR --key FILE --publisher NAME  sign a plugin folder\n"
               "  read TARGET                      mark @handle or a conversation read (sends a\n"
               "                                   read receipt unless read-receipts is off)\n"
               "  link request --relay URL [--name NAME] [--timeout S]\n"
               "                                   on a NEW device: show a one-time code, wait\n"
               "                                   for approval, then join the account\n"
               "  link approve CODE                on a device of the account: approve it\n"
               "  devices                          list this account's devices\n"
               "  devices revoke ID                revoke a device (it receives nothing new)\n"
               "  settings [NAME on|off]           read-receipts, typing, presence (default on)\n\n"
               "Options:\n"
               "  --profile DIR                    profile folder (required)\n"
               "  --passphrase-file FILE           read the profile passphrase from FILE\n"
               "  --json                           machine-readable output\n"
               "  --help                           show this help and exit\n"
               "  --version                        show the version and exit\n\n"
               "Exit codes: 0 success, 1 usage error, 2 any other failure.\n",
        stdout);
}

int runCommand(CliContext& context)
{
    const QString command = context.command();
    if (context.help() || command == QLatin1String("help")) {
        printHelp();
        return kExitOk;
    }
    if (command.isEmpty())
        return context.usage(QStringLiteral("no command given"));
    if (command == QLatin1String("init"))
        return runInit(context);
    if (command == QLatin1String("whoami"))
        return runWhoami(context);
    if (command == QLatin1String("verify"))
        return runVerify(context);
    if (command == QLatin1String("trust"))
        return runTrust(context);
    if (command == QLatin1String("send"))
        return runSend(context);
    if (command == QLatin1String("listen"))
        return runListen(context);
    if (command == QLatin1String("history"))
        return runHistory(context);
    if (command == QLatin1String("search"))
        return runSearch(context);
    if (command == QLatin1String("group"))
        return runGroup(context);
    if (command == QLatin1String("send-file"))
        return runSendFile(context);
    if (command == QLatin1String("fetch"))
        return runFetch(context);
    if (command == QLatin1String("react") || command == QLatin1String("edit") || command == QLatin1String("delete"))
        return runModify(context);
    if (command == QLatin1String("bot"))
        return runBot(context);
    if (command == QLatin1String("link"))
        return runLink(context);
    if (command == QLatin1String("devices"))
        return runDevices(context);
    if (command == QLatin1String("read"))
        return runRead(context);
    if (command == QLatin1String("settings"))
        return runSettings(context);
    return context.usage(QStringLiteral("unknown command '%1'").arg(command));
}

} // namespace tenchat::cli
