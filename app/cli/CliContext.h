// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/Messenger.h"

#include <QEventLoop>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QStringList>

#include <memory>
#include <optional>

namespace tenchat::cli {

// Exit codes of every command.
constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitFailure = 2;

// Parsed command line, the opened account and the output conventions shared
// by all commands: --json prints one JSON object per line, otherwise plain
// text; failures print one line "tenchat-cli: reason" on stderr.
class CliContext {
public:
    // Parses argv (without the program name). Returns kExitUsage on errors
    // (printed already), or kExitOk.
    int parse(const QStringList& arguments);

    QString command() const { return positionals_.value(0); }
    QStringList positionals() const { return positionals_.mid(1); }
    bool json() const { return json_; }
    bool help() const { return help_; }
    std::optional<QString> option(const QString& name) const;
    // A non-negative integer option; nullopt when absent, -1 when malformed.
    std::optional<qint64> intOption(const QString& name) const;

    int usage(const QString& message) const;
    int failure(const QString& message) const;
    void print(const QJsonObject& object, const QString& plain) const;

    // The passphrase from --passphrase-file or TENCHAT_PASSPHRASE.
    std::optional<std::string> passphrase(QString* error) const;
    QString profileDir() const { return profile_; }

    // Opens the profile (exit code on failure, 0 on success).
    int openAccount();
    core::messaging::Account& account() { return *account_; }
    void adoptAccount(std::unique_ptr<core::messaging::Account> account) { account_ = std::move(account); }

    // Starts the messenger and waits until the sync coordinator is live.
    // Returns false on timeout (the messenger keeps trying in the background).
    core::messaging::Messenger& messenger();
    bool goLive(int timeoutMs);
    // Runs the event loop until finish() or the timeout (then returns -1).
    // finish() outside run() is ignored.
    int run(int timeoutMs);
    void finish(int code);

private:
    QStringList positionals_;
    QHash<QString, QString> options_;
    bool json_ = false;
    bool help_ = false;
    QString profile_;
    std::unique_ptr<core::messaging::Account> account_;
    std::unique_ptr<core::messaging::Messenger> messenger_;
    QEventLoop* loop_ = nullptr;
    int exitCode_ = -1;
};

} // namespace tenchat::cli
