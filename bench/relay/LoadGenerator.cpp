// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat-loadgen: drives a TenChat relay with N authenticated devices in
// direct conversations and, side by side, mosquitto with the same workload.
// Prints one JSON object on one line.
//
//   tenchat-loadgen --relay ws://HOST:PORT | --spawn-relay PATH
//                   [--relay-pid PID] --devices N --rate R --seconds S --size BYTES
//                   [--mosquitto PATH|auto|none] [--expect-all]
#include "MosquittoLoad.h"
#include "ProcessProbe.h"
#include "RelayLoad.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QThread>

#include <cstdio>

using namespace tenchat::bench;

namespace {

QJsonObject summarize(LoadResult& r, double rssMb)
{
    QJsonObject o;
    o.insert(QStringLiteral("sent"), static_cast<qint64>(r.sent));
    o.insert(QStringLiteral("acked"), static_cast<qint64>(r.acked));
    o.insert(QStringLiteral("delivered"), static_cast<qint64>(r.delivered));
    o.insert(QStringLiteral("errors"), static_cast<qint64>(r.errors));
    o.insert(QStringLiteral("seconds"), r.sendSeconds);
    o.insert(
        QStringLiteral("delivered_per_s"), r.sendSeconds > 0 ? static_cast<double>(r.delivered) / r.sendSeconds : 0);
    o.insert(QStringLiteral("p50_ms"), r.latency.percentile(50));
    o.insert(QStringLiteral("p99_ms"), r.latency.percentile(99));
    o.insert(QStringLiteral("setup_s"), r.setupSeconds);
    if (rssMb >= 0)
        o.insert(QStringLiteral("rss_mb"), rssMb);
    return o;
}

double ratio(double a, double b)
{
    return b > 0 ? a / b : 0;
}

} // namespace

int main(int argc, char** argv)
{
    // As the relay does: Qt's poll() dispatcher is cheaper than GLib's with
    // hundreds of sockets, and the generator shares the cores with the relay.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("TenChat relay load generator"));
    parser.addHelpOption();
    const QCommandLineOption relay(QStringLiteral("relay"), QStringLiteral("Relay URL."), QStringLiteral("URL"));
    const QCommandLineOption spawn(QStringLiteral("spawn-relay"),
        QStringLiteral("Start this tenchat-relay binary on a free port for the run."), QStringLiteral("PATH"));
    const QCommandLineOption relayPid(
        QStringLiteral("relay-pid"), QStringLiteral("PID of a local relay, for relay_rss_mb."), QStringLiteral("PID"));
    const QCommandLineOption devices(
        QStringLiteral("devices"), QStringLiteral("Devices."), QStringLiteral("N"), QStringLiteral("200"));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Messages per second, total."),
        QStringLiteral("R"), QStringLiteral("5000"));
    const QCommandLineOption seconds(
        QStringLiteral("seconds"), QStringLiteral("Duration."), QStringLiteral("S"), QStringLiteral("10"));
    const QCommandLineOption size(
        QStringLiteral("size"), QStringLiteral("Ciphertext bytes."), QStringLiteral("BYTES"), QStringLiteral("1024"));
    const QCommandLineOption mosquitto(QStringLiteral("mosquitto"),
        QStringLiteral("mosquitto binary for the comparison, 'auto' or 'none'."), QStringLiteral("PATH"),
        QStringLiteral("auto"));
    const QCommandLineOption expectAll(
        QStringLiteral("expect-all"), QStringLiteral("Exit 1 unless every message was delivered without error."));
    parser.addOptions({ relay, spawn, relayPid, devices, rate, seconds, size, mosquitto, expectAll });
    parser.process(app);

    LoadOptions options;
    options.devices = parser.value(devices).toInt();
    options.rate = parser.value(rate).toDouble();
    options.seconds = parser.value(seconds).toDouble();
    options.size = parser.value(size).toInt();
    if (options.devices < 2 || options.rate <= 0 || options.seconds <= 0 || options.size < 8) {
        std::fprintf(stderr, "tenchat-loadgen: need --devices >= 2, --rate > 0, --seconds > 0, --size >= 8\n");
        return 1;
    }

    SpawnedRelay spawned;
    QUrl url(parser.value(relay));
    qint64 pid = parser.value(relayPid).toLongLong();
    QString error;
    if (parser.isSet(spawn)) {
        if (!spawned.start(parser.value(spawn), error)) {
            std::fprintf(stderr, "tenchat-loadgen: %s\n", qPrintable(error));
            return 2;
        }
        url = spawned.url();
        pid = spawned.pid();
    }
    if (!url.isValid() || url.isEmpty()) {
        std::fprintf(stderr, "tenchat-loadgen: give --relay URL or --spawn-relay PATH\n");
        return 1;
    }

    double relayRss = -1;
    auto sampleRelay = [&] { relayRss = std::max(relayRss, residentMiB(pid)); };
    LoadResult tenchat;
    {
        RelayLoad load(url, options);
        if (!load.setup(error)) {
            std::fprintf(stderr, "tenchat-loadgen: relay setup: %s\n", qPrintable(error));
            return 2;
        }
        sampleRelay();
        tenchat = load.run(sampleRelay);
    }
    QJsonObject out = summarize(tenchat, relayRss);
    out.remove(QStringLiteral("rss_mb"));
    if (relayRss >= 0)
        out.insert(QStringLiteral("relay_rss_mb"), relayRss);
    out.insert(QStringLiteral("devices"), options.devices);
    out.insert(QStringLiteral("rate"), options.rate);
    out.insert(QStringLiteral("size"), options.size);
    out.insert(QStringLiteral("nproc"), QThread::idealThreadCount());

    QString mosquittoBinary = parser.value(mosquitto);
    if (mosquittoBinary == QStringLiteral("auto"))
        mosquittoBinary = QFileInfo::exists(QStringLiteral("/usr/sbin/mosquitto"))
            ? QStringLiteral("/usr/sbin/mosquitto")
            : QString();
    bool mosquittoOk = true;
    if (!mosquittoBinary.isEmpty() && mosquittoBinary != QStringLiteral("none")) {
        SpawnedMosquitto broker;
        if (!broker.start(mosquittoBinary, error)) {
            out.insert(QStringLiteral("mosquitto_error"), error);
            mosquittoOk = false;
        } else {
            double brokerRss = -1;
            MosquittoLoad load(broker.port(), options);
            if (!load.setup(error)) {
                out.insert(QStringLiteral("mosquitto_error"), error);
                mosquittoOk = false;
            } else {
                auto m = load.run([&] { brokerRss = std::max(brokerRss, residentMiB(broker.pid())); });
                const QJsonObject mo = summarize(m, brokerRss);
                out.insert(QStringLiteral("mosquitto"), mo);
                out.insert(QStringLiteral("ratio_delivered_per_s"),
                    ratio(out.value(QStringLiteral("delivered_per_s")).toDouble(),
                        mo.value(QStringLiteral("delivered_per_s")).toDouble()));
                out.insert(QStringLiteral("ratio_p50_ms"),
                    ratio(
                        out.value(QStringLiteral("p50_ms")).toDouble(), mo.value(QStringLiteral("p50_ms")).toDouble()));
                out.insert(QStringLiteral("ratio_p99_ms"),
                    ratio(
                        out.value(QStringLiteral("p99_ms")).toDouble(), mo.value(QStringLiteral("p99_ms")).toDouble()));
                if (relayRss >= 0 && brokerRss > 0)
                    out.insert(QStringLiteral("ratio_rss"), relayRss / brokerRss);
                mosquittoOk = m.delivered == m.sent;
            }
        }
    }
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    if (parser.isSet(expectAll) && (tenchat.delivered != tenchat.sent || tenchat.errors != 0 || !mosquittoOk))
        return 1;
    return 0;
}
