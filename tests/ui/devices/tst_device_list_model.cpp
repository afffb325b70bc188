// SPDX-License-Identifier: GPL-3.0-or-later
// DeviceListModel: ordering (this device first, revoked last), roles, in-place
// updates without resets, checked by QAbstractItemModelTester; approve and
// revoke without an engine report errors instead of doing anything.
#include "tenchat/ui/DeviceListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using tenchat::core::messaging::OwnDevice;
using tenchat::ui::DeviceListModel;

namespace {
OwnDevice device(quint32 id, const QString& name, bool current = false, bool revoked = false)
{
    OwnDevice d;
    d.id = id;
    d.name = name;
    d.current = current;
    d.revoked = revoked;
    d.createdAt = 1'790'000'000'000 + id;
    d.revokedAt = revoked ? 1'795'000'000'000 : 0;
    d.lastSeenAt = current ? 1'796'000'000'000 : 0;
    return d;
}

QString nameAt(const DeviceListModel& model, int row)
{
    return model.index(row).data(DeviceListModel::NameRole).toString();
}
} // namespace

class DeviceListModelTest : public QObject {
    Q_OBJECT
private slots:
    void sortsAndExposesRoles();
    void updatesInPlace();
    void approveAndRevokeWithoutEngineReportErrors();
};

void DeviceListModelTest::sortsAndExposesRoles()
{
    DeviceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy count(&model, &DeviceListModel::countChanged);
    model.setDevices({ device(3, QStringLiteral("old laptop"), false, true), device(4, QStringLiteral("phone")),
        device(2, QStringLiteral("desktop"), true), device(5, QString()) });
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(count.count(), 1);
    QCOMPARE(nameAt(model, 0), QStringLiteral("desktop")); // this device first
    QCOMPARE(nameAt(model, 1), QStringLiteral("phone"));
    QCOMPARE(nameAt(model, 2), QStringLiteral("Device 5")); // no name: its number
    QCOMPARE(nameAt(model, 3), QStringLiteral("old laptop")); // revoked last

    const QModelIndex self = model.index(0);
    QVERIFY(self.data(DeviceListModel::CurrentRole).toBool());
    QCOMPARE(self.data(DeviceListModel::DeviceIdRole).toInt(), 2);
    QCOMPARE(self.data(DeviceListModel::LastSeenTextRole).toString(), QStringLiteral("This device"));
    QVERIFY(self.data(DeviceListModel::CreatedTextRole).toString().startsWith(QStringLiteral("Linked ")));
    const QModelIndex revoked = model.index(3);
    QVERIFY(revoked.data(DeviceListModel::RevokedRole).toBool());
    QVERIFY(revoked.data(DeviceListModel::CreatedTextRole).toString().startsWith(QStringLiteral("Revoked ")));
    // The relay keeps no last-seen time for other devices: nothing is made up.
    QCOMPARE(model.index(1).data(DeviceListModel::LastSeenTextRole).toString(), QString());
    QCOMPARE(model.index(1).data(Qt::DisplayRole), model.index(1).data(DeviceListModel::NameRole));
    QVERIFY(!model.index(0).data(Qt::DecorationRole).isValid());
    const auto roles = model.roleNames();
    for (const char* name : { "name", "deviceId", "current", "revoked", "createdText", "lastSeenText" })
        QVERIFY2(roles.values().contains(QByteArray(name)), name);
}

void DeviceListModelTest::updatesInPlace()
{
    DeviceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDevices({ device(1, QStringLiteral("desktop"), true), device(2, QStringLiteral("phone")) });
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // The same list again: no signal at all.
    model.setDevices({ device(2, QStringLiteral("phone")), device(1, QStringLiteral("desktop"), true) });
    QCOMPARE(changed.count(), 0);
    QCOMPARE(inserted.count(), 0);

    // A new device is appended.
    model.setDevices({ device(1, QStringLiteral("desktop"), true), device(2, QStringLiteral("phone")),
        device(3, QStringLiteral("tablet")) });
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(nameAt(model, 2), QStringLiteral("tablet"));

    // The phone is revoked: it moves to the end, rows change in place.
    model.setDevices({ device(1, QStringLiteral("desktop"), true), device(2, QStringLiteral("phone"), false, true),
        device(3, QStringLiteral("tablet")) });
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(nameAt(model, 1), QStringLiteral("tablet"));
    QCOMPARE(nameAt(model, 2), QStringLiteral("phone"));
    QCOMPARE(changed.count(), 2);

    // Fewer devices: the tail is removed.
    model.setDevices({ device(1, QStringLiteral("desktop"), true) });
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    model.setDevices({});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(resets.count(), 0);
}

void DeviceListModelTest::approveAndRevokeWithoutEngineReportErrors()
{
    DeviceListModel model;
    model.setDevices({ device(1, QStringLiteral("desktop"), true), device(2, QStringLiteral("phone")) });
    QSignalSpy status(&model, &DeviceListModel::statusChanged);
    model.approve(QStringLiteral("ABCD-EFGH-JKMN-PQRS-TVWX"));
    QCOMPARE(model.statusKind(), DeviceListModel::StatusKind::Error);
    QVERIFY(!model.busy());
    model.clearStatus();
    QCOMPARE(model.statusKind(), DeviceListModel::StatusKind::None);
    QVERIFY(model.status().isEmpty());
    model.revoke(2);
    QCOMPARE(model.statusKind(), DeviceListModel::StatusKind::Error);
    QCOMPARE(model.rowCount(), 2); // nothing changed
    QVERIFY(status.count() >= 3);
    model.refresh(); // no engine: nothing happens, nothing crashes
    QCOMPARE(model.rowCount(), 2);
}

QTEST_GUILESS_MAIN(DeviceListModelTest)
#include "tst_device_list_model.moc"
