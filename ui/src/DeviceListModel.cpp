// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/DeviceListModel.h"

#include "tenchat/ui/MessagingService.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>

namespace tenchat::ui {

using core::messaging::OwnDevice;

namespace {
bool before(const OwnDevice& a, const OwnDevice& b)
{
    if (a.current != b.current)
        return a.current;
    if (a.revoked != b.revoked)
        return !a.revoked;
    return a.id < b.id;
}

bool sameRow(const OwnDevice& a, const OwnDevice& b)
{
    return a.id == b.id && a.name == b.name && a.current == b.current && a.revoked == b.revoked
        && a.createdAt == b.createdAt && a.lastSeenAt == b.lastSeenAt && a.revokedAt == b.revokedAt;
}
} // namespace

DeviceListModel::DeviceListModel(QObject* parent) : QAbstractListModel(parent)
{ }

void DeviceListModel::attach(MessagingService* messaging)
{
    if (messaging_)
        disconnect(messaging_, nullptr, this, nullptr);
    messaging_ = messaging;
    if (!messaging_)
        return;
    // (Re)connected: the list may have changed meanwhile.
    connect(messaging_, &MessagingService::stateChanged, this, [this] {
        if (messaging_ && messaging_->state() == MessagingService::State::Live)
            refresh();
    });
}

int DeviceListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(devices_.size());
}

QVariant DeviceListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const OwnDevice& d = devices_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return d.name.isEmpty() ? tr("Device %1").arg(d.id) : d.name;
    case DeviceIdRole: return int(d.id);
    case CurrentRole: return d.current;
    case RevokedRole: return d.revoked;
    case CreatedTextRole:
        if (d.revoked && d.revokedAt > 0)
            return tr("Revoked %1")
                .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(d.revokedAt).date(), QLocale::ShortFormat));
        return d.createdAt > 0
            ? tr("Linked %1")
                  .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(d.createdAt).date(), QLocale::ShortFormat))
            : QString();
    case LastSeenTextRole:
        if (d.current)
            return tr("This device");
        if (d.lastSeenAt <= 0)
            return QString();
        return tr("Last seen %1")
            .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(d.lastSeenAt), QLocale::ShortFormat));
    default: return {};
    }
}

QHash<int, QByteArray> DeviceListModel::roleNames() const
{
    return {
        { NameRole, "name" },
        { DeviceIdRole, "deviceId" },
        { CurrentRole, "current" },
        { RevokedRole, "revoked" },
        { CreatedTextRole, "createdText" },
        { LastSeenTextRole, "lastSeenText" },
    };
}

void DeviceListModel::setDevices(QList<OwnDevice> devices)
{
    std::sort(devices.begin(), devices.end(), before);
    const int oldCount = int(devices_.size());
    // Rows present in both lists change in place; the tail is inserted or removed.
    const int common = std::min(oldCount, int(devices.size()));
    for (int row = 0; row < common; ++row) {
        if (sameRow(devices_.at(row), devices.at(row)))
            continue;
        devices_[row] = devices.at(row);
        emit dataChanged(index(row), index(row));
    }
    if (devices.size() > oldCount) {
        beginInsertRows({}, oldCount, int(devices.size()) - 1);
        for (int row = oldCount; row < devices.size(); ++row)
            devices_.append(devices.at(row));
        endInsertRows();
    } else if (devices.size() < oldCount) {
        beginRemoveRows({}, int(devices.size()), oldCount - 1);
        devices_.resize(devices.size());
        endRemoveRows();
    }
    if (oldCount != devices_.size())
        emit countChanged();
}

void DeviceListModel::setStatus(StatusKind kind, const QString& text)
{
    if (kind == statusKind_ && text == status_)
        return;
    statusKind_ = kind;
    status_ = text;
    emit statusChanged();
}

void DeviceListModel::refresh()
{
    if (!messaging_)
        return;
    messaging_->listDevices([self = QPointer(this)](QList<OwnDevice> devices, QString error) {
        if (!self)
            return;
        if (!error.isEmpty()) {
            // Offline with nothing listed yet: the page says the list comes
            // once connected; otherwise the rows shown may be stale.
            if (!self->busy() && !self->devices_.isEmpty())
                self->setStatus(StatusKind::Error, tr("The list of devices could not be updated: %1").arg(error));
            return;
        }
        self->setDevices(std::move(devices));
    });
}

void DeviceListModel::approve(const QString& code)
{
    if (busy())
        return;
    if (!messaging_)
        return setStatus(StatusKind::Error, tr("Not connected yet."));
    QString cleaned = code.trimmed().toUpper();
    cleaned.remove(QLatin1Char(' '));
    if (cleaned.isEmpty())
        return setStatus(StatusKind::Error, tr("Enter the code the new device shows."));
    setStatus(StatusKind::Progress, tr("Linking the new device…"));
    messaging_->approveLink(cleaned, [self = QPointer(this)](QString id, QString error) {
        if (!self)
            return;
        if (!error.isEmpty())
            return self->setStatus(StatusKind::Error, tr("The device could not be linked: %1").arg(error));
        self->setStatus(StatusKind::Success, tr("Linked: the new device is device %1.").arg(id));
        self->refresh();
    });
}

void DeviceListModel::revoke(int deviceId)
{
    if (busy())
        return;
    if (!messaging_)
        return setStatus(StatusKind::Error, tr("Not connected yet."));
    const auto it = std::find_if(
        devices_.cbegin(), devices_.cend(), [deviceId](const OwnDevice& d) { return int(d.id) == deviceId; });
    if (it != devices_.cend() && it->current)
        return setStatus(StatusKind::Error, tr("This device cannot revoke itself."));
    setStatus(StatusKind::Progress, tr("Revoking device %1…").arg(deviceId));
    messaging_->revokeDevice(quint32(deviceId), [self = QPointer(this), deviceId](QString error) {
        if (!self)
            return;
        if (!error.isEmpty())
            return self->setStatus(StatusKind::Error, tr("The device could not be revoked: %1").arg(error));
        self->setStatus(StatusKind::Success, tr("Device %1 is revoked.").arg(deviceId));
        self->refresh();
    });
}

} // namespace tenchat::ui
