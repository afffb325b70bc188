// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/PluginsController.h"

#include "tenchat/ui/PluginService.h"

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>
#include <QUrl>

namespace tenchat::ui {

using namespace core::plugins;

namespace {
constexpr int kMaxSuggestions = 6;

QString commandName(const QString& text)
{
    static const QRegularExpression space(QStringLiteral("\\s"));
    return text.mid(1).section(space, 0, 0);
}

// What giving `c` back lets the plugin do, with the limits that bound it.
QString grantDetails(const Manifest& m, Capability c)
{
    const PluginLimits& l = m.limits;
    QStringList commands;
    for (const PluginCommand& command : m.commands)
        commands << QStringLiteral("/") + command.name;
    switch (c) {
    case Capability::EmitMessage:
        return PluginsController::tr(
            "It can send messages in your name, at most %1 a minute, and edit the ones it sent.")
            .arg(l.messagesPerMinute);
    case Capability::React:
        return PluginsController::tr("It can add and remove reactions in your name, at most %1 a minute.")
            .arg(l.messagesPerMinute);
    case Capability::Storage:
        return PluginsController::tr("It can keep up to %1 of its own data in your encrypted profile.")
            .arg(QLocale().formattedDataSize(l.storageBytes, 0));
    case Capability::Timer:
        return PluginsController::tr("It can run again later on its own, with up to %1 timers pending.").arg(l.timers);
    case Capability::ReadMessageBody:
        return PluginsController::tr("It can read the text of every message in the conversations it may use.");
    case Capability::ReadMessageMetadata:
        return PluginsController::tr("It learns who sent which message when, but not the text.");
    case Capability::ReceiveCommand:
        return PluginsController::tr("It receives its slash commands: %1.").arg(commands.join(QStringLiteral(", ")));
    case Capability::RenderPayload:
        return PluginsController::tr("It draws messages of its kinds (%1) as cards with buttons; TenChat draws them.")
            .arg(m.contentTypes.join(QStringLiteral(", ")));
    }
    return {};
}

QVariantMap logEntry(qint64 at, const QString& level, const QString& text)
{
    return { { QStringLiteral("time"), QDateTime::fromMSecsSinceEpoch(at).toString(QStringLiteral("HH:mm:ss")) },
        { QStringLiteral("level"), level }, { QStringLiteral("text"), text } };
}
} // namespace

PluginsController::PluginsController(QObject* parent)
    : QObject(parent), model_(new PluginListModel(this)), cards_(new PluginCardCache(this))
{ }

PluginsController::~PluginsController()
{
    cards_->setService(nullptr);
    delete service_; // stops the plugins before the messenger goes
    service_ = nullptr;
}

void PluginsController::attach(core::store::AsyncStore* store, MessagingService* messaging)
{
    if (service_ || !store || !messaging)
        return;
    service_ = new PluginService(store, messaging, this);
    cards_->setService(service_);
    connect(service_, &PluginService::pluginsChanged, this, [this] {
        cards_->invalidate(); // another set of renderers may be running now
        refresh();
    });
    connect(service_, &PluginService::commandsChanged, this, &PluginsController::commandsChanged);
    connect(service_, &PluginService::logAppended, this,
        [this](const QString& plugin, const QString& level, const QString& text) {
            if (plugin != logPlugin_)
                return;
            logEntries_.append(logEntry(QDateTime::currentMSecsSinceEpoch(), level, text));
            while (logEntries_.size() > core::plugins::PluginHost::kMaxLogEntries)
                logEntries_.removeFirst();
            emit logChanged();
        });
    service_->start();
}

QStringList PluginsController::commandNames() const
{
    QStringList out;
    if (service_)
        for (const PluginService::Command& c : service_->commands())
            out << c.name;
    return out;
}

void PluginsController::begin()
{
    if (++busy_ == 1)
        emit busyChanged();
}

void PluginsController::end()
{
    if (--busy_ == 0)
        emit busyChanged();
}

void PluginsController::setStatus(const QString& error, const QString& status)
{
    errorText_ = error;
    statusText_ = status;
    emit statusChanged();
}

std::function<void(QString)> PluginsController::finisher(const QString& success)
{
    begin();
    return [this, success](const QString& error) {
        end();
        if (error.isEmpty())
            setStatus({}, success);
        else
            setStatus(error);
        refresh();
        if (!logPlugin_.isEmpty())
            showLog(logPlugin_);
    };
}

void PluginsController::refresh()
{
    if (!service_)
        return;
    begin();
    service_->snapshot([this](PluginService::Snapshot s) {
        end();
        if (!s.error.isEmpty())
            return setStatus(tr("The installed plugins could not be read: %1").arg(s.error));
        model_->setPlugins(s.plugins, s.running);
    });
}

void PluginsController::reviewPackage(const QString& pathOrUrl)
{
    const QUrl url(pathOrUrl);
    const QString path = url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
    review_.clear();
    emit reviewChanged();
    if (!service_)
        return setStatus(tr("The plugin container is not running."));
    setStatus({});
    begin();
    service_->review(path, [this, path](PluginService::Review r) {
        end();
        if (r.error) {
            setStatus(tr("This package cannot be installed. %1").arg(r.error->describe()));
            emit reviewFailed();
            return;
        }
        const Manifest& m = r.manifest;
        QVariantList capabilities;
        for (Capability c : allCapabilities())
            if (m.has(c))
                capabilities << QVariantMap { { QStringLiteral("name"), capabilityName(c) },
                    { QStringLiteral("text"), PluginListModel::describeCapability(c) } };
        QStringList commands;
        for (const PluginCommand& c : m.commands)
            commands << QStringLiteral("/%1 — %2").arg(c.name, c.description);
        const QString key = QString::fromLatin1(m.publisherKey.toBase64());
        QString signatureText = tr("Not signed");
        QString confirmation = tr("This package is not signed: nobody vouches for its code. Install it only if you "
                                  "trust where it came from.");
        if (r.signedPackage && r.publisherTrusted) {
            signatureText = tr("Signed by %1, a publisher you trust").arg(m.publisherName);
            confirmation.clear();
        } else if (r.signedPackage) {
            signatureText = tr("Signed by %1, a publisher you have not trusted before").arg(m.publisherName);
            confirmation = tr("The package is signed by \"%1\" (key %2…), a publisher you have not trusted before. "
                              "Installing it trusts this key from now on.")
                               .arg(m.publisherName, key.left(12));
        }
        review_ = { { QStringLiteral("path"), path }, { QStringLiteral("name"), m.name },
            { QStringLiteral("title"), PluginListModel::titleOf(m.name) }, { QStringLiteral("version"), m.version },
            { QStringLiteral("description"), m.description }, { QStringLiteral("publisher"), m.publisherName },
            { QStringLiteral("signature"), r.signedPackage ? QStringLiteral("signed") : QStringLiteral("unsigned") },
            { QStringLiteral("signatureText"), signatureText },
            { QStringLiteral("needsConfirmation"), !confirmation.isEmpty() },
            { QStringLiteral("confirmationText"), confirmation }, { QStringLiteral("capabilities"), capabilities },
            { QStringLiteral("scopesText"), PluginListModel::describeScopes(m.scopes) },
            { QStringLiteral("commands"), commands }, { QStringLiteral("contentTypes"), m.contentTypes } };
        emit reviewChanged();
        emit reviewReady();
    });
}

bool PluginsController::confirmInstall(bool extraConfirmed)
{
    if (review_.isEmpty() || !service_)
        return false;
    const bool needsConfirmation = review_.value(QStringLiteral("needsConfirmation")).toBool();
    if (needsConfirmation && !extraConfirmed) {
        setStatus(review_.value(QStringLiteral("signature")) == QLatin1String("unsigned")
                ? tr("Unsigned: confirm that you want to install a package nobody signed.")
                : tr("UnknownPublisher: confirm that you trust this publisher."));
        return false;
    }
    const bool isSigned = review_.value(QStringLiteral("signature")) == QLatin1String("signed");
    InstallOptions options;
    options.allowUnsigned = !isSigned && extraConfirmed;
    options.acceptUnknownPublisher = isSigned && extraConfirmed;
    const QString name = review_.value(QStringLiteral("name")).toString();
    const QString title = review_.value(QStringLiteral("title")).toString();
    begin();
    service_->install(review_.value(QStringLiteral("path")).toString(), options, [this, name, title](QString error) {
        end();
        if (!error.isEmpty()) {
            setStatus(tr("%1 was not installed. %2").arg(title, error));
            return;
        }
        review_.clear();
        emit reviewChanged();
        setStatus({}, tr("%1 is installed and enabled.").arg(title));
        refresh();
        emit installed(name);
    });
    return true;
}

void PluginsController::cancelReview()
{
    review_.clear();
    emit reviewChanged();
}

void PluginsController::setEnabled(const QString& name, bool enabled)
{
    if (!service_)
        return;
    const QString title = PluginListModel::titleOf(name);
    service_->setEnabled(
        name, enabled, finisher(enabled ? tr("%1 is enabled.").arg(title) : tr("%1 is disabled.").arg(title)));
}

void PluginsController::revoke(const QString& name, const QString& capability)
{
    const auto c = capabilityFromName(capability);
    if (!service_ || !c)
        return;
    service_->revoke(name, *c,
        finisher(
            tr("%1 can no longer: %2.").arg(PluginListModel::titleOf(name), PluginListModel::describeCapability(*c))));
}

void PluginsController::reviewGrant(const QString& name, const QString& capability)
{
    const auto c = capabilityFromName(capability);
    const InstalledPlugin* p = model_->pluginAt(model_->rowOfName(name));
    grantReview_.clear();
    emit grantReviewChanged();
    if (!service_ || !p || !c)
        return setStatus(tr("There is no such plugin or capability."));
    const QString title = PluginListModel::titleOf(name);
    if (!p->manifest.has(*c))
        return setStatus(tr("GrantNotRequested: %1 did not ask for this.").arg(title));
    if (p->grant.capabilities & bit(*c))
        return setStatus({}, tr("%1 has this already.").arg(title));
    setStatus({});
    const QString text = PluginListModel::describeCapability(*c);
    grantReview_ = { { QStringLiteral("name"), name }, { QStringLiteral("title"), title },
        { QStringLiteral("capability"), capability }, { QStringLiteral("text"), text },
        { QStringLiteral("details"), grantDetails(p->manifest, *c) },
        { QStringLiteral("scopesText"), PluginListModel::describeScopes(p->grant.scopes) },
        { QStringLiteral("signatureText"),
            model_->data(model_->index(model_->rowOfName(name), 0), PluginListModel::SignatureTextRole) },
        { QStringLiteral("confirmationText"),
            tr("I allow %1 to do this again. I can revoke it at any time.").arg(title) } };
    emit grantReviewChanged();
    emit grantReviewReady();
}

bool PluginsController::confirmGrant(bool confirmed)
{
    if (grantReview_.isEmpty() || !service_)
        return false;
    const QString name = grantReview_.value(QStringLiteral("name")).toString();
    const QString capability = grantReview_.value(QStringLiteral("capability")).toString();
    if (!confirmed) {
        setStatus(tr("Confirm that you allow %1 to do this again.").arg(PluginListModel::titleOf(name)));
        return false;
    }
    const auto c = capabilityFromName(capability);
    const QString success
        = tr("%1 can again: %2.")
              .arg(PluginListModel::titleOf(name), grantReview_.value(QStringLiteral("text")).toString());
    grantReview_.clear();
    emit grantReviewChanged();
    auto finish = finisher(success);
    service_->grant(name, *c, [this, finish, name, capability](const QString& error) {
        finish(error);
        if (error.isEmpty())
            emit granted(name, capability);
    });
    return true;
}

void PluginsController::cancelGrant()
{
    grantReview_.clear();
    emit grantReviewChanged();
}

void PluginsController::remove(const QString& name)
{
    if (!service_)
        return;
    if (logPlugin_ == name) {
        logPlugin_.clear();
        logEntries_.clear();
        emit logChanged();
    }
    service_->remove(name, finisher(tr("%1 is removed, with its data.").arg(PluginListModel::titleOf(name))));
}

void PluginsController::showLog(const QString& name)
{
    if (!service_)
        return;
    logPlugin_ = name;
    service_->log(name, [this, name](QList<PluginLogEntry> entries) {
        if (name != logPlugin_)
            return;
        logEntries_.clear();
        for (const PluginLogEntry& e : entries)
            logEntries_ << logEntry(e.at, e.level, e.text);
        emit logChanged();
    });
}

void PluginsController::cardAction(
    const QString& plugin, const QString& conversationId, const QString& messageId, const QString& action)
{
    if (!service_ || plugin.isEmpty())
        return;
    service_->cardAction(plugin, conversationId, messageId, action, [this, plugin](QString error) {
        if (!error.isEmpty())
            setCommandHint(tr("%1 could not take the button press: %2").arg(PluginListModel::titleOf(plugin), error));
    });
}

QVariantList PluginsController::commandSuggestions(const QString& prefix) const
{
    QVariantList out;
    if (!service_ || !prefix.startsWith(QLatin1Char('/')) || prefix.contains(QLatin1Char(' ')))
        return out;
    const QString typed = prefix.mid(1);
    for (const PluginService::Command& c : service_->commands()) {
        if (!c.name.startsWith(typed) || out.size() >= kMaxSuggestions)
            continue;
        out << QVariantMap { { QStringLiteral("command"), QStringLiteral("/") + c.name },
            { QStringLiteral("description"), c.description } };
    }
    return out;
}

void PluginsController::setCommandHint(const QString& hint)
{
    if (commandHint_ == hint)
        return;
    commandHint_ = hint;
    emit commandHintChanged();
}

void PluginsController::clearCommandHint()
{
    setCommandHint({});
}

bool PluginsController::runCommand(const QString& conversationId, const QString& text)
{
    const QString name = commandName(text);
    const QStringList known = commandNames();
    const QString escape = tr("To send text that starts with “/”, begin it with “//”.");
    if (!known.contains(name)) {
        setCommandHint(known.isEmpty()
                ? tr("No enabled plugin has the command /%1. Plugins are in Settings → Plugins. %2").arg(name, escape)
                : tr("No enabled plugin has the command /%1. Available: %2. %3")
                      .arg(name, QStringLiteral("/") + known.join(QStringLiteral(", /")), escape));
        return false;
    }
    setCommandHint({});
    service_->submitCommand(conversationId, text, [this, name](bool taken) {
        if (!taken)
            setCommandHint(tr("/%1 was not handed to its plugin: the plugin is not allowed in this conversation or "
                              "has just stopped.")
                               .arg(name));
    });
    return true;
}

} // namespace tenchat::ui
