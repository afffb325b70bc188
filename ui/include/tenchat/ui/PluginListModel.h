// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/PluginRegistry.h"

#include <QAbstractListModel>
#include <QList>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

// The installed plugins of the profile, by name, for the plugins page: what
// each is (name, version, publisher, signature state), whether it is enabled
// and running, and every capability it asked for with whether it is still
// granted. Updates arrive as whole snapshots; rows that stay are changed in
// place (dataChanged), so the page keeps its scroll position and state.
class PluginListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by PluginsController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1, // org.tenchat.poll
        TitleRole, // the last part of the name, capitalised: "Poll"
        VersionRole,
        DescriptionRole,
        PublisherRole, // the publisher's name, or ""
        SignatureRole, // "bundled", "signed" or "unsigned"
        SignatureTextRole, // the signature state in plain words
        EnabledRole,
        RunningRole,
        DisabledReasonRole, // why TenChat disabled it (CPU watchdog), "" otherwise
        CapabilitiesRole, // [{ name, text, granted }] in manifest order
        CommandsRole, // ["/poll — ...", ...]
        ScopesTextRole,
    };
    Q_ENUM(Role)

    explicit PluginListModel(QObject* parent = nullptr);

    void setPlugins(QList<core::plugins::InstalledPlugin> plugins, const QStringList& running);
    int rowOfName(const QString& name) const;
    const core::plugins::InstalledPlugin* pluginAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // A capability in plain words (the review dialog and the page).
    static QString describeCapability(core::plugins::Capability capability);
    static QString describeScopes(const core::plugins::ResourceScopes& scopes);
    static QString titleOf(const QString& name);

Q_SIGNALS:
    void countChanged();

private:
    QList<core::plugins::InstalledPlugin> plugins_;
    QStringList running_;
};

} // namespace tenchat::ui
