// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliProcess.h"

#include <QDir>
#include <QJsonDocument>

namespace tenchat::testing {

QJsonObject CliRun::json() const
{
    return QJsonDocument::fromJson(out.trimmed()).object();
}

CliProcess::CliProcess(QString profileRoot, QString passphrase)
    : profileRoot_(std::move(profileRoot)), passphrase_(std::move(passphrase))
{ }

QString CliProcess::locate()
{
    binary_ = qEnvironmentVariable("TENCHAT_CLI_BIN");
    if (binary_.isEmpty())
        return QStringLiteral("TENCHAT_CLI_BIN is not set");
    return {};
}

QStringList CliProcess::profileArgs(const QString& profile) const
{
    if (profile.isEmpty())
        return {};
    return { QStringLiteral("--profile"), QDir(profileRoot_).filePath(profile) };
}

void CliProcess::start(QProcess& process, const QString& profile, const QStringList& args) const
{
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TENCHAT_PASSPHRASE"), passphrase_);
    process.setProcessEnvironment(env);
    process.start(binary_, profileArgs(profile) + args);
}

CliRun CliProcess::run(const QString& profile, const QStringList& args, int timeoutMs) const
{
    QProcess process;
    start(process, profile, args);
    return finish(process, timeoutMs);
}

CliRun CliProcess::finish(QProcess& process, int timeoutMs)
{
    CliRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace tenchat::testing
