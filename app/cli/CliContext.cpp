// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliContext.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTimer>

#include <cstdio>

namespace tenchat::cli {

namespace {

// Options that take a value; every other "--x" is a flag.
const QSet<QString> kValueOptions = { QStringLiteral("profile"), QStringLiteral("passphrase-file"),
    QStringLiteral("relay"), QStringLiteral("handle"), QStringLiteral("count"), QStringLiteral("timeout"),
    QStringLiteral("limit"), QStringLiteral("ttl"), QStringLiteral("reply-to"), QStringLiteral("grant"),
    QStringLiteral("scope"), QStringLiteral("key"), QStringLiteral("publisher"), QStringLiteral("name") };
const QSet<QString> kFlags
    = { QStringLiteral("json"), QStringLiteral("help"), QStringLiteral("remove"), QStringLiteral("channel"),
          QStringLiteral("overwrite"), QStringLiteral("allow-unsigned"), QStringLiteral("accept-publisher") };

} // namespace

int CliContext::parse(const QStringList& arguments)
{
    for (int i = 0; i < arguments.size(); ++i) {
        const QString& arg = arguments[i];
        if (arg == QLatin1String("--")) {
            positionals_ += arguments.mid(i + 1);
            break;
        }
        if (!arg.startsWith(QLatin1String("--")) || arg.size() == 2) {
            positionals_ << arg;
            continue;
        }
        QString name = arg.mid(2);
        QString value;
        const bool inlineValue = name.contains(QLatin1Char('='));
        if (inlineValue) {
            value = name.section(QLatin1Char('='), 1);
            name = name.section(QLatin1Char('='), 0, 0);
        }
        if (kFlags.contains(name) && !inlineValue) {
            options_.insert(name, QStringLiteral("1"));
            continue;
        }
        if (!kValueOptions.contains(name))
            return usage(QStringLiteral("unknown option --%1").arg(name));
        if (!inlineValue) {
            if (i + 1 >= arguments.size())
                return usage(QStringLiteral("--%1 needs a value").arg(name));
            value = arguments[++i];
        }
        options_.insert(name, value);
    }
    json_ = options_.contains(QStringLiteral("json"));
    help_ = options_.contains(QStringLiteral("help"));
    profile_ = options_.value(QStringLiteral("profile"));
    return kExitOk;
}

std::optional<QString> CliContext::option(const QString& name) const
{
    auto it = options_.constFind(name);
    if (it == options_.constEnd())
        return std::nullopt;
    return *it;
}

std::optional<qint64> CliContext::intOption(const QString& name) const
{
    auto value = option(name);
    if (!value)
        return std::nullopt;
    bool ok = false;
    const qint64 n = value->toLongLong(&ok);
    return ok && n >= 0 ? n : -1;
}

int CliContext::usage(const QString& message) const
{
    std::fprintf(stderr, "tenchat-cli: %s. Try 'tenchat-cli --help'.\n", qPrintable(message));
    return kExitUsage;
}

int CliContext::failure(const QString& message) const
{
    QString line = message;
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    std::fprintf(stderr, "tenchat-cli: %s\n", qPrintable(line));
    return kExitFailure;
}

void CliContext::print(const QJsonObject& object, const QString& plain) const
{
    const QByteArray line = json_ ? QJsonDocument(object).toJson(QJsonDocument::Compact) : plain.toUtf8();
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

std::optional<std::string> CliContext::passphrase(QString* error) const
{
    if (auto file = option(QStringLiteral("passphrase-file"))) {
        QFile f(*file);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read passphrase file %1").arg(*file);
            return std::nullopt;
        }
        QByteArray data = f.readAll();
        while (data.endsWith('\n') || data.endsWith('\r'))
            data.chop(1);
        if (data.isEmpty()) {
            *error = QStringLiteral("the passphrase file is empty");
            return std::nullopt;
        }
        return data.toStdString();
    }
    const QByteArray env = qgetenv("TENCHAT_PASSPHRASE");
    if (env.isEmpty()) {
        *error = QStringLiteral("no passphrase: use --passphrase-file FILE or TENCHAT_PASSPHRASE");
        return std::nullopt;
    }
    return env.toStdString();
}

int CliContext::requireProfile(std::string& secret) const
{
    if (profile_.isEmpty())
        return usage(QStringLiteral("--profile DIR is required"));
    QString error;
    auto given = passphrase(&error);
    if (!given)
        return usage(error);
    secret = std::move(*given);
    return kExitOk;
}

int CliContext::openAccount()
{
    std::string secret;
    if (int code = requireProfile(secret); code != kExitOk)
        return code;
    if (!core::store::ProfileStore::exists(profile_))
        return failure(QStringLiteral("no profile in %1 (run init first)").arg(profile_));
    auto account = core::messaging::Account::open(profile_, secret);
    if (!account)
        return failure(QStringLiteral("cannot open the profile: %1").arg(account.error().message));
    if (!(*account)->isRegistered())
        return failure(QStringLiteral("the profile is not registered on a relay (run init again)"));
    account_ = std::move(account).value();
    return kExitOk;
}

int CliContext::openAccountLive(int timeoutMs)
{
    if (int code = openAccount(); code != kExitOk)
        return code;
    if (!goLive(timeoutMs))
        return failure(QStringLiteral("cannot reach the relay"));
    return kExitOk;
}

int CliContext::adoptUnregisteredProfile()
{
    std::string secret;
    if (int code = requireProfile(secret); code != kExitOk)
        return code;
    auto account = core::store::ProfileStore::exists(profile_) ? core::messaging::Account::open(profile_, secret)
                                                               : core::messaging::Account::create(profile_, secret);
    if (!account)
        return failure(QStringLiteral("cannot create the profile: %1").arg(account.error().message));
    if ((*account)->isRegistered())
        return failure(QStringLiteral("the profile is already registered as @%1").arg((*account)->handle()));
    account_ = std::move(account).value();
    return kExitOk;
}

int CliContext::sendQueued(int timeoutMs)
{
    auto& m = messenger();
    int pending = m.outboxSize().valueOr(0);
    if (pending > 0 && goLive(timeoutMs)) {
        auto c = QObject::connect(&m, &core::messaging::Messenger::outboxDrained, [this] { finish(kExitOk); });
        run(timeoutMs);
        QObject::disconnect(c);
        pending = m.outboxSize().valueOr(pending);
    }
    return pending;
}

core::messaging::Messenger& CliContext::messenger()
{
    if (!messenger_)
        messenger_ = std::make_unique<core::messaging::Messenger>(*account_);
    return *messenger_;
}

bool CliContext::goLive(int timeoutMs)
{
    auto& m = messenger();
    m.start();
    if (m.sync().isLive())
        return true;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&m.sync(), &core::messaging::SyncCoordinator::live, &loop, &QEventLoop::quit);
    QObject::connect(&m.sync(), &core::messaging::SyncCoordinator::fatalError, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    loop.exec();
    return m.sync().isLive();
}

int CliContext::run(int timeoutMs)
{
    exitCode_ = -1;
    QEventLoop loop;
    loop_ = &loop;
    QTimer timer;
    if (timeoutMs > 0) {
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(timeoutMs);
    }
    loop.exec();
    loop_ = nullptr;
    const int code = exitCode_;
    exitCode_ = -1;
    return code;
}

void CliContext::finish(int code)
{
    // Outside run() there is nothing to stop: callers check their result
    // before calling run().
    if (!loop_)
        return;
    exitCode_ = code;
    loop_->quit();
}

} // namespace tenchat::cli
