// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/PluginListModel.h"

#include <algorithm>

namespace tenchat::ui {

using namespace core::plugins;

PluginListModel::PluginListModel(QObject* parent) : QAbstractListModel(parent)
{ }

void PluginListModel::setPlugins(QList<InstalledPlugin> plugins, const QStringList& running)
{
    std::sort(plugins.begin(), plugins.end(),
        [](const InstalledPlugin& a, const InstalledPlugin& b) { return a.manifest.name < b.manifest.name; });
    const bool sameRows = plugins.size() == plugins_.size()
        && std::equal(plugins.begin(), plugins.end(), plugins_.begin(),
            [](const InstalledPlugin& a, const InstalledPlugin& b) { return a.manifest.name == b.manifest.name; });
    if (sameRows) {
        plugins_ = std::move(plugins);
        running_ = running;
        if (!plugins_.isEmpty())
            emit dataChanged(index(0, 0), index(int(plugins_.size()) - 1, 0));
        return;
    }
    beginResetModel();
    plugins_ = std::move(plugins);
    running_ = running;
    endResetModel();
    emit countChanged();
}

int PluginListModel::rowOfName(const QString& name) const
{
    for (int row = 0; row < plugins_.size(); ++row)
        if (plugins_.at(row).manifest.name == name)
            return row;
    return -1;
}

const InstalledPlugin* PluginListModel::pluginAt(int row) const
{
    return row >= 0 && row < plugins_.size() ? &plugins_.at(row) : nullptr;
}

int PluginListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(plugins_.size());
}

QString PluginListModel::titleOf(const QString& name)
{
    QString last = name.section(QLatin1Char('.'), -1);
    if (!last.isEmpty())
        last[0] = last[0].toUpper();
    return last;
}

QString PluginListModel::describeCapability(Capability capability)
{
    switch (capability) {
    case Capability::ReadMessageMetadata:
        return tr("See who sent which message when, in the conversations it may use (not the text)");
    case Capability::ReadMessageBody: return tr("Read the text of messages in the conversations it may use");
    case Capability::EmitMessage: return tr("Send messages in your name, and edit the ones it sent");
    case Capability::ReceiveCommand: return tr("Receive the slash commands it offers when you or others type them");
    case Capability::React: return tr("Add and remove reactions in your name");
    case Capability::Storage: return tr("Keep its own data in your encrypted profile");
    case Capability::RenderPayload: return tr("Draw its kind of messages as cards with buttons");
    case Capability::Timer: return tr("Run again later on its own (timers)");
    }
    return {};
}

QString PluginListModel::describeScopes(const ResourceScopes& scopes)
{
    if (scopes.all)
        return tr("In every conversation");
    return tr("Only in %n conversation(s)", nullptr, int(scopes.conversations.size()));
}

QVariant PluginListModel::data(const QModelIndex& index, int role) const
{
    const InstalledPlugin* p = index.isValid() ? pluginAt(index.row()) : nullptr;
    if (!p)
        return {};
    const Manifest& m = p->manifest;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return m.name;
    case TitleRole: return titleOf(m.name);
    case VersionRole: return m.version;
    case DescriptionRole: return m.description;
    case PublisherRole: return m.publisherName;
    case SignatureRole: return p->origin;
    case SignatureTextRole:
        if (p->origin == QLatin1String("bundled"))
            return tr("Bundled with TenChat");
        if (p->origin == QLatin1String("signed"))
            return tr("Signed by %1").arg(m.publisherName.isEmpty() ? tr("an unnamed publisher") : m.publisherName);
        return tr("Not signed: nobody vouches for this code");
    case EnabledRole: return p->enabled;
    case RunningRole: return running_.contains(m.name);
    case DisabledReasonRole: // why TenChat stopped it (the watchdog), not the user's own switch
        return p->enabled || p->disabledReason == QLatin1String("disabled by the user") ? QString() : p->disabledReason;
    case CapabilitiesRole: {
        QVariantList out;
        for (Capability c : allCapabilities()) {
            if (!m.has(c))
                continue;
            out << QVariantMap { { QStringLiteral("name"), capabilityName(c) },
                { QStringLiteral("text"), describeCapability(c) },
                { QStringLiteral("granted"), bool(p->grant.capabilities & bit(c)) } };
        }
        return out;
    }
    case CommandsRole: {
        QStringList out;
        for (const PluginCommand& c : m.commands)
            out << QStringLiteral("/%1 — %2").arg(c.name, c.description);
        return out;
    }
    case ScopesTextRole: return describeScopes(p->grant.scopes);
    default: return {};
    }
}

QHash<int, QByteArray> PluginListModel::roleNames() const
{
    return {
        { NameRole, "name" },
        { TitleRole, "title" },
        { VersionRole, "version" },
        { DescriptionRole, "description" },
        { PublisherRole, "publisher" },
        { SignatureRole, "signature" },
        { SignatureTextRole, "signatureText" },
        { EnabledRole, "pluginEnabled" },
        { RunningRole, "pluginRunning" },
        { DisabledReasonRole, "disabledReason" },
        { CapabilitiesRole, "capabilities" },
        { CommandsRole, "commands" },
        { ScopesTextRole, "scopesText" },
    };
}

} // namespace tenchat::ui
