// SPDX-License-Identifier: GPL-3.0-or-later
#include "RelayProcess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

namespace tenchat::testing {

RelayProcess::RelayProcess() = default;

RelayProcess::~RelayProcess()
{
    stop(true);
}

bool RelayProcess::start(const QStringList& extraArgs, int timeoutMs)
{
    const QString binary = qEnvironmentVariable("TENCHAT_RELAY_BIN");
    if (binary.isEmpty()) {
        error_ = QStringLiteral("TENCHAT_RELAY_BIN is not set");
        return false;
    }
    process_.setProcessChannelMode(QProcess::SeparateChannels);
    process_.start(binary,
        QStringList {
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data"), dataDir_.path() }
            + extraArgs);
    if (!process_.waitForStarted(timeoutMs)) {
        error_ = process_.errorString();
        return false;
    }
    static const QRegularExpression listening(QStringLiteral("^listening on (ws[s]?://\\S+)"));
    QDeadlineTimer deadline(timeoutMs);
    QByteArray pending;
    while (!deadline.hasExpired()) {
        if (!process_.canReadLine() && !process_.waitForReadyRead(static_cast<int>(deadline.remainingTime())))
            break;
        while (process_.canReadLine()) {
            const QString line = QString::fromUtf8(process_.readLine()).trimmed();
            const auto match = listening.match(line);
            if (match.hasMatch()) {
                url_ = QUrl(match.captured(1));
                return true;
            }
        }
    }
    error_
        = QStringLiteral("relay did not report 'listening on': ") + QString::fromUtf8(process_.readAllStandardError());
    return false;
}

void RelayProcess::stop(bool crash)
{
    if (process_.state() == QProcess::NotRunning)
        return;
    if (crash)
        process_.kill();
    else
        process_.terminate();
    if (!process_.waitForFinished(10000)) {
        process_.kill();
        process_.waitForFinished(5000);
    }
}

} // namespace tenchat::testing
