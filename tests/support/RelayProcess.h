// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

namespace tenchat::testing {

// Starts the real tenchat-relay executable (TENCHAT_RELAY_BIN) on a free
// loopback port with a temporary data directory, for integration and UI
// tests. The relay is killed when this object goes away.
class RelayProcess {
public:
    RelayProcess();
    ~RelayProcess();
    RelayProcess(const RelayProcess&) = delete;
    RelayProcess& operator=(const RelayProcess&) = delete;

    // Starts and waits for the "listening on ws://..." line. Returns false
    // and fills error() when the relay does not come up in time.
    bool start(const QStringList& extraArgs = {}, int timeoutMs = 10000);
    // Stops with SIGTERM (graceful) or SIGKILL (crash).
    void stop(bool crash = false);

    QUrl url() const { return url_; }
    QString dataDir() const { return dataDir_.path(); }
    QString error() const { return error_; }
    qint64 pid() const { return process_.processId(); }

private:
    QProcess process_;
    QTemporaryDir dataDir_;
    QUrl url_;
    QString error_;
};

} // namespace tenchat::testing
