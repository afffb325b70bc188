// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat-cli: the command-line client for testers, scripts and bots.
// The commands live in app/cli/.
#include "cli/CliCommands.h"
#include "cli/CliContext.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tenchat-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TENCHAT_VERSION_STRING));

    QStringList arguments = app.arguments().mid(1);
    if (arguments.contains(QStringLiteral("--version"))) {
        std::printf("tenchat-cli %s\n", TENCHAT_VERSION_STRING);
        return 0;
    }
    tenchat::cli::CliContext context;
    if (int code = context.parse(arguments); code != 0)
        return code;
    return tenchat::cli::runCommand(context);
}
