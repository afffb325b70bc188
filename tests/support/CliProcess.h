// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace tenchat::testing {

// What one tenchat-cli invocation printed and returned. exitCode is -1 when
// the process crashed or did not finish in time.
struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    // The single JSON object a `--json` command prints on stdout.
    QJsonObject json() const;
};

// Runs the real tenchat-cli (TENCHAT_CLI_BIN) with a profile below a
// directory the test owns, the passphrase in TENCHAT_PASSPHRASE, for the
// CLI integration tests.
class CliProcess {
public:
    CliProcess(QString profileRoot, QString passphrase);

    // Empty when TENCHAT_CLI_BIN names the executable, else the reason.
    QString locate();
    QString binary() const { return binary_; }

    // "--profile ROOT/profile", or nothing for an empty profile name.
    QStringList profileArgs(const QString& profile) const;
    // Starts without waiting, for long-running commands (listen, bot run).
    void start(QProcess& process, const QString& profile, const QStringList& args) const;
    CliRun run(const QString& profile, const QStringList& args, int timeoutMs = 60000) const;
    // Waits for a started process; kills it when it overruns timeoutMs.
    static CliRun finish(QProcess& process, int timeoutMs);

private:
    QString profileRoot_;
    QString passphrase_;
    QString binary_;
};

} // namespace tenchat::testing
