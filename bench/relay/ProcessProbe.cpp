// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProcessProbe.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace tenchat::bench {

double residentMiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (pid <= 0 || !status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) {
            const auto kib = line.mid(6).trimmed().split(' ').value(0).toDouble();
            return kib / 1024.0;
        }
    }
    return -1;
}

bool SpawnedRelay::start(const QString& binary, QString& error)
{
    QFile config(dir_.filePath(QStringLiteral("relay.json")));
    if (!config.open(QIODevice::WriteOnly)) {
        error = QStringLiteral("cannot write the relay config");
        return false;
    }
    // The generator registers many accounts at once from one address.
    config.write(R"({"registrationsPerMinute": 1000000, "registrationBurst": 100000,
                    "logLevel": "warning"})");
    config.close();
    process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process_.start(binary,
        { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data"),
            dir_.filePath(QStringLiteral("data")), QStringLiteral("--config"), config.fileName() });
    if (!process_.waitForStarted(5000)) {
        error = process_.errorString();
        return false;
    }
    static const QRegularExpression listening(QStringLiteral("^listening on (ws[s]?://\\S+)"));
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        if (!process_.canReadLine() && !process_.waitForReadyRead(200))
            continue;
        const auto match = listening.match(QString::fromUtf8(process_.readLine()).trimmed());
        if (match.hasMatch()) {
            url_ = QUrl(match.captured(1));
            return true;
        }
    }
    error = QStringLiteral("the relay did not start");
    return false;
}

SpawnedRelay::~SpawnedRelay()
{
    if (process_.state() != QProcess::NotRunning) {
        process_.terminate();
        if (!process_.waitForFinished(5000))
            process_.kill();
        process_.waitForFinished(2000);
    }
}

bool SpawnedMosquitto::start(const QString& binary, QString& error)
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) {
        error = QStringLiteral("no free port");
        return false;
    }
    port_ = probe.serverPort();
    probe.close();
    QFile config(dir_.filePath(QStringLiteral("mosquitto.conf")));
    if (!config.open(QIODevice::WriteOnly)) {
        error = QStringLiteral("cannot write the mosquitto config");
        return false;
    }
    // Persistence on and no queue limit: otherwise mosquitto silently drops.
    config.write(QStringLiteral("listener %1 127.0.0.1\nallow_anonymous true\npersistence true\n"
                                "persistence_location %2/\nmax_queued_messages 0\nmax_inflight_messages 0\n"
                                "log_dest none\n")
                     .arg(port_)
                     .arg(dir_.path())
                     .toUtf8());
    config.close();
    process_.start(binary, { QStringLiteral("-c"), config.fileName() });
    if (!process_.waitForStarted(5000)) {
        error = process_.errorString();
        return false;
    }
    QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired()) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(port_));
        if (socket.waitForConnected(200))
            return true;
        QThread::msleep(50);
    }
    error = QStringLiteral("mosquitto did not start");
    return false;
}

SpawnedMosquitto::~SpawnedMosquitto()
{
    if (process_.state() != QProcess::NotRunning) {
        process_.terminate();
        if (!process_.waitForFinished(5000))
            process_.kill();
        process_.waitForFinished(2000);
    }
}

} // namespace tenchat::bench
