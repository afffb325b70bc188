// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/relay/RelayMain.h"

#include "HttpEndpoint.h"
#include "Logger.h"
#include "RelayConfig.h"
#include "RelayContext.h"
#include "RelayServer.h"
#include "SignalNotifier.h"
#include "SqliteStorage.h"

#include <QCoreApplication>
#include <QDir>

#include <google/protobuf/stubs/logging.h>

#include <cstdio>

namespace tenchat::relay {

int runRelayMain(int argc, char** argv)
{
    // Qt's own poll() event dispatcher rather than GLib's: with hundreds of
    // sockets a GLib main-loop pass costs about twice the CPU, and the relay
    // makes one pass per wake-up (docs/PERFORMANCE.md, Relay). Setting
    // QT_NO_GLIB explicitly (even empty) keeps the operator's choice.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tenchat-relay"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TENCHAT_VERSION_STRING));

    auto config = parseRelayConfig(QCoreApplication::arguments());
    if (!config) {
        std::fprintf(stderr, "tenchat-relay: %s\n", qPrintable(config.error()));
        return 1;
    }
    Logger::instance().configure(Logger::parseLevel(config->logLevel), config->logSalt);
    // protobuf logs malformed input (e.g. invalid UTF-8) to stderr; clients
    // control that input, so it must not reach (or flood) the JSON log.
    google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int, const std::string&) {});
    if (!QDir().mkpath(config->dataDir)) {
        std::fprintf(stderr, "tenchat-relay: cannot create data directory %s\n", qPrintable(config->dataDir));
        return 2;
    }
    auto storage = SqliteStorage::open(
        QDir(config->dataDir).filePath(QStringLiteral("relay.db")).toStdString(), config->synchronousFull);
    if (!storage) {
        std::fprintf(stderr, "tenchat-relay: %s\n", storage.error().message.c_str());
        return 2;
    }
    RelayContext context(*config, **storage);
    SignalNotifier signalNotifier;
    RelayServer server(context);
    if (auto listening = server.listen(); !listening) {
        std::fprintf(stderr, "tenchat-relay: cannot listen on %s:%u: %s\n", qPrintable(config->listenHost.toString()),
            config->listenPort, qPrintable(listening.error()));
        return 2;
    }
    std::unique_ptr<HttpEndpoint> http;
    if (!config->metricsSpec.isEmpty()) {
        http = std::make_unique<HttpEndpoint>([&context] { return !context.shuttingDown; });
        if (!http->listen(config->metricsHost, config->metricsPort)) {
            std::fprintf(stderr, "tenchat-relay: cannot serve metrics on %s: %s\n", qPrintable(config->metricsSpec),
                qPrintable(http->errorString()));
            return 2;
        }
        Logger::instance().info("metrics_listening",
            { { QStringLiteral("address"), config->metricsHost.toString() },
                { QStringLiteral("port"), static_cast<int>(http->port()) } });
    }
    QObject::connect(&signalNotifier, &SignalNotifier::terminationRequested, &server, [&server](int signal) {
        Logger::instance().info("signal", { { QStringLiteral("signal"), signal } });
        server.shutdown();
    });
    QObject::connect(&server, &RelayServer::finished, &app, &QCoreApplication::quit);
    Logger::instance().info(
        "started", { { QStringLiteral("url"), server.url().toString() }, { QStringLiteral("data"), config->dataDir } });
    std::printf("listening on %s\n", qPrintable(server.url().toString()));
    std::fflush(stdout);
    const int code = app.exec();
    Logger::instance().info("stopped");
    return code;
}

} // namespace tenchat::relay
