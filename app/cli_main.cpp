// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat-cli: the command-line client for testers, scripts and bots.
#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tenchat-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TENCHAT_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("TenChat command-line client."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("The command to run."));
    parser.process(app);

    if (parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "tenchat-cli: no command given. Try 'tenchat-cli --help'.\n");
        return 1;
    }
    std::fprintf(stderr, "tenchat-cli: unknown command '%s'. Try 'tenchat-cli --help'.\n",
        qPrintable(parser.positionalArguments().constFirst()));
    return 1;
}
