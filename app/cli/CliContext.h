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
// How long a command waits for the relay (to connect, or to answer a request).
constexpr int kNetworkTimeoutMs = 20000;

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
    // openAccount(), then goLive(): for commands that need the relay.
    int openAccountLive(int timeoutMs = kNetworkTimeoutMs);
    // For a device about to register (init) or be linked (link request):
    // opens the profile in --profile, or creates it (a profile whose
    // registration failed earlier is used again), and refuses one that is
    // registered already. Exit code.
    int adoptUnregisteredProfile();
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

    // Starts an asynchronous call (`start(callback)`) and runs the event loop
    // until the callback has the result or the timeout: nullopt when it did
    // not answer in time.
    template <class Result, class Start> std::optional<Result> await(Start&& start, int timeoutMs = kNetworkTimeoutMs)
    {
        std::optional<Result> result;
        start([this, &result](Result r) {
            result = std::move(r);
            finish(kExitOk);
        });
        if (!result)
            run(timeoutMs);
        return result;
    }
    // Prints why an awaited call failed (no answer in time, or its error) and
    // returns the exit code; kExitOk when it succeeded.
    template <class Result> int failureOf(const std::optional<Result>& result) const
    {
        if (!result)
            return failure(QStringLiteral("the relay did not answer in time"));
        if (!*result)
            return failure(result->error().message);
        return kExitOk;
    }
    // Sends what is queued (receipts, messages that waited for the user) if
    // the relay is reachable; how many messages are still queued.
    int sendQueued(int timeoutMs = kNetworkTimeoutMs);

private:
    // --profile and its passphrase, both required (exit code).
    int requireProfile(std::string& secret) const;

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
