// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The tenchat-cli commands. Each returns the process exit code.

#include <QString>

#include <optional>

namespace tenchat::cli {

class CliContext;

// "@alice" -> "alice"; anything else unchanged.
QString stripAt(const QString& handle);
// The local conversation TARGET names: @handle (a known direct chat), a
// group's name or id, or a conversation id. On failure `error` says why.
std::optional<QString> localConversation(CliContext& context, const QString& target, QString& error);
// localConversation() for commands that read a conversation: it must also be
// in the local store ("no conversation TARGET" otherwise).
std::optional<QString> storedConversation(CliContext& context, const QString& target, QString& error);

void printHelp();
int runCommand(CliContext& context);

// Account and trust (AccountCommands.cpp).
int runInit(CliContext& context);
int runWhoami(CliContext& context);
int runVerify(CliContext& context);
int runTrust(CliContext& context);

// Messages (MessageCommands.cpp).
int runSend(CliContext& context);
int runListen(CliContext& context);
int runHistory(CliContext& context);
int runSearch(CliContext& context);
int runModify(CliContext& context); // react, edit, delete

// Groups and channels (GroupCommands.cpp).
int runGroup(CliContext& context); // create, add, remove, leave, role, list

// Files (MediaCommands.cpp).
int runSendFile(CliContext& context);
int runFetch(CliContext& context);

// Plugins (BotCommands.cpp): bot run|verify|keygen|sign.
int runBot(CliContext& context);

// Devices, receipts and preferences (DeviceCommands.cpp).
int runLink(CliContext& context); // link request, link approve CODE
int runDevices(CliContext& context); // devices, devices revoke ID
int runRead(CliContext& context);
int runSettings(CliContext& context);

} // namespace tenchat::cli
