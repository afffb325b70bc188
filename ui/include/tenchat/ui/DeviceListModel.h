// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/OwnDevice.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

class MessagingService;

// This account's devices for the settings page: this device first (marked),
// then the others, revoked ones last. Linking a new device (this device
// enters the code the new one shows) and revoking one go through the
// running engine; `status` and `statusKind` report progress, success or
// the error. Rows are updated in place (no reset when the list is reloaded).
class DeviceListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by SessionController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY statusChanged)
    Q_PROPERTY(QString status READ status NOTIFY statusChanged)
    Q_PROPERTY(StatusKind statusKind READ statusKind NOTIFY statusChanged)
public:
    enum Role {
        DeviceIdRole = Qt::UserRole + 1,
        NameRole,
        CurrentRole,
        RevokedRole,
        CreatedTextRole, // "Linked 3 Nov 2026"
        LastSeenTextRole, // "Active now", or "" when not known
    };
    Q_ENUM(Role)
    enum class StatusKind { None, Progress, Success, Error };
    Q_ENUM(StatusKind)

    explicit DeviceListModel(QObject* parent = nullptr);

    // The engine of the open session (null: nothing can be loaded).
    void attach(MessagingService* messaging);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool busy() const { return statusKind_ == StatusKind::Progress; }
    QString status() const { return status_; }
    StatusKind statusKind() const { return statusKind_; }

    // Replaces the rows with `devices` (sorted: current, active, revoked),
    // with row inserts/removes/changes rather than a reset.
    void setDevices(QList<core::messaging::OwnDevice> devices);
    const QList<core::messaging::OwnDevice>& devices() const { return devices_; }

    Q_INVOKABLE void refresh();
    // Approves the new device that shows `code` (spaces and dashes ignored).
    Q_INVOKABLE void approve(const QString& code);
    Q_INVOKABLE void revoke(int deviceId);
    Q_INVOKABLE void clearStatus() { setStatus(StatusKind::None, {}); }

Q_SIGNALS:
    void countChanged();
    void statusChanged();

private:
    void setStatus(StatusKind kind, const QString& text);

    QPointer<MessagingService> messaging_;
    QList<core::messaging::OwnDevice> devices_;
    StatusKind statusKind_ = StatusKind::None;
    QString status_;
};

} // namespace tenchat::ui
