// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Reads a local process's resident memory from /proc, and starts the relay or
// mosquitto for a self-contained run.

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace tenchat::bench {

// VmRSS in MiB, or -1 when /proc/PID/status cannot be read.
double residentMiB(qint64 pid);

class SpawnedRelay {
public:
    // Starts `binary` on 127.0.0.1:0 with a temp data dir and a config that
    // lifts registration limits for the generator. Empty url() on failure.
    bool start(const QString& binary, QString& error);
    QUrl url() const { return url_; }
    qint64 pid() const { return process_.processId(); }
    ~SpawnedRelay();

private:
    QProcess process_;
    QTemporaryDir dir_;
    QUrl url_;
};

class SpawnedMosquitto {
public:
    // mosquitto with persistence and an unbounded queue on a free port.
    bool start(const QString& binary, QString& error);
    int port() const { return port_; }
    qint64 pid() const { return process_.processId(); }
    ~SpawnedMosquitto();

private:
    QProcess process_;
    QTemporaryDir dir_;
    int port_ = 0;
};

} // namespace tenchat::bench
