// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/relay/RelayMain.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QStandardPaths>
#include <QTextStream>
#include <QWebSocket>
#include <QWebSocketServer>

#include <csignal>
#include <cstdio>

namespace tenchat::relay {

namespace {
void onTerminate(int)
{
    QCoreApplication::quit();
}
} // namespace

int runRelayMain(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tenchat-relay"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TENCHAT_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("TenChat relay: routes and stores end-to-end encrypted messages."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption listen(QStringLiteral("listen"),
        QStringLiteral("Address to listen on (default 127.0.0.1:8787)."), QStringLiteral("HOST:PORT"),
        QStringLiteral("127.0.0.1:8787"));
    QCommandLineOption data(QStringLiteral("data"), QStringLiteral("Data directory."), QStringLiteral("DIR"));
    parser.addOption(listen);
    parser.addOption(data);
    parser.process(app);

    const QString spec = parser.value(listen);
    const int colon = spec.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const quint16 port = colon > 0 ? spec.mid(colon + 1).toUShort(&portOk) : 0;
    if (colon <= 0 || !portOk) {
        std::fprintf(stderr, "tenchat-relay: --listen expects HOST:PORT, got '%s'\n", qPrintable(spec));
        return 1;
    }
    const QHostAddress host(spec.left(colon));

    QWebSocketServer server(QStringLiteral("tenchat-relay"), QWebSocketServer::NonSecureMode);
    if (!server.listen(host, port)) {
        std::fprintf(
            stderr, "tenchat-relay: cannot listen on %s: %s\n", qPrintable(spec), qPrintable(server.errorString()));
        return 2;
    }
    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&server] {
        while (QWebSocket* socket = server.nextPendingConnection())
            QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    });
    std::signal(SIGTERM, onTerminate);
    std::signal(SIGINT, onTerminate);
    std::printf("listening on ws://%s:%u\n", qPrintable(server.serverAddress().toString()), server.serverPort());
    std::fflush(stdout);
    return app.exec();
}

} // namespace tenchat::relay
