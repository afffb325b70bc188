// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat-cli device commands end to end (separate processes, the real
// relay): link request / link approve, devices, devices revoke, settings,
// read; wrong and expired codes fail with exit code 2 and a clear reason.
#include "CliProcess.h"
#include "RelayProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using tenchat::testing::CliRun;

class CliDeviceTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void linkListRevoke();
    void wrongAndExpiredCodes();
    void settingsAndRead();

private:
    CliRun cli(const QString& profile, const QStringList& args, int timeoutMs = 60000);
    QTemporaryDir dir_;
    tenchat::testing::CliProcess cli_ { dir_.path(), QStringLiteral("cli test passphrase") };
    tenchat::testing::RelayProcess relay_;
};

void CliDeviceTest::initTestCase()
{
    const QString missing = cli_.locate();
    QVERIFY2(missing.isEmpty(), qPrintable(missing));
    QVERIFY2(relay_.start(), qPrintable(relay_.error()));
    const QString url = relay_.url().toString();
    for (const auto& h : { QStringLiteral("erin"), QStringLiteral("frank") })
        QCOMPARE(
            cli(h, { QStringLiteral("init"), QStringLiteral("--relay"), url, QStringLiteral("--handle"), h }).exitCode,
            0);
}

CliRun CliDeviceTest::cli(const QString& profile, const QStringList& args, int timeoutMs)
{
    return cli_.run(profile, args, timeoutMs);
}

void CliDeviceTest::linkListRevoke()
{
    const QString url = relay_.url().toString();
    QProcess request;
    cli_.start(request, QStringLiteral("erin2"),
        { QStringLiteral("--json"), QStringLiteral("link"), QStringLiteral("request"), QStringLiteral("--relay"), url,
            QStringLiteral("--name"), QStringLiteral("laptop"), QStringLiteral("--timeout"), QStringLiteral("120") });
    QVERIFY(QTest::qWaitFor([&] { return request.canReadLine(); }, 60000));
    const auto offer = QJsonDocument::fromJson(request.readLine()).object();
    const QString code = offer.value(QStringLiteral("code")).toString();
    QCOMPARE(code.size(), 24);
    QVERIFY(offer.value(QStringLiteral("expiresAt")).toDouble() > 0);

    auto approve = cli(
        QStringLiteral("erin"), { QStringLiteral("--json"), QStringLiteral("link"), QStringLiteral("approve"), code });
    QCOMPARE(approve.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(approve.out).object().value(QStringLiteral("deviceId")).toInt(), 2);
    QVERIFY(request.waitForFinished(60000));
    QCOMPARE(request.exitCode(), 0);
    const auto linked = QJsonDocument::fromJson(request.readAllStandardOutput().trimmed()).object();
    QCOMPARE(linked.value(QStringLiteral("handle")).toString(), QStringLiteral("erin"));
    QCOMPARE(linked.value(QStringLiteral("deviceId")).toInt(), 2);

    // The new device sends as erin; frank sees it from @erin.
    QCOMPARE(cli(QStringLiteral("erin2"),
                 { QStringLiteral("send"), QStringLiteral("@frank"), QStringLiteral("from the laptop") })
                 .exitCode,
        0);
    auto listen = cli(QStringLiteral("frank"),
        { QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("1"),
            QStringLiteral("--timeout"), QStringLiteral("30") });
    QCOMPARE(listen.exitCode, 0);
    const auto heard = QJsonDocument::fromJson(listen.out.trimmed()).object();
    QCOMPARE(heard.value(QStringLiteral("from")).toString(), QStringLiteral("@erin"));
    QCOMPARE(heard.value(QStringLiteral("text")).toString(), QStringLiteral("from the laptop"));

    auto devices = cli(QStringLiteral("erin2"), { QStringLiteral("--json"), QStringLiteral("devices") });
    QCOMPARE(devices.exitCode, 0);
    const auto lines = devices.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const auto second = QJsonDocument::fromJson(lines[1]).object();
    QCOMPARE(second.value(QStringLiteral("id")).toInt(), 2);
    QCOMPARE(second.value(QStringLiteral("name")).toString(), QStringLiteral("laptop"));
    QVERIFY(second.value(QStringLiteral("current")).toBool());
    QVERIFY(second.value(QStringLiteral("created")).toDouble() > 0);
    QVERIFY(!QJsonDocument::fromJson(lines[0]).object().value(QStringLiteral("current")).toBool());

    QCOMPARE(cli(QStringLiteral("erin"), { QStringLiteral("devices"), QStringLiteral("revoke"), QStringLiteral("x") })
                 .exitCode,
        1);
    auto revoke = cli(QStringLiteral("erin"),
        { QStringLiteral("--json"), QStringLiteral("devices"), QStringLiteral("revoke"), QStringLiteral("2") });
    QCOMPARE(revoke.exitCode, 0);
    // The revoked device is refused from now on.
    auto refused = cli(QStringLiteral("erin2"), { QStringLiteral("devices") });
    QCOMPARE(refused.exitCode, 2);
    auto after = cli(QStringLiteral("erin"), { QStringLiteral("--json"), QStringLiteral("devices") });
    QCOMPARE(after.exitCode, 0);
    QVERIFY(QJsonDocument::fromJson(after.out.trimmed().split('\n').value(1))
                .object()
                .value(QStringLiteral("revoked"))
                .toBool());
}

void CliDeviceTest::wrongAndExpiredCodes()
{
    auto garbage = cli(
        QStringLiteral("erin"), { QStringLiteral("link"), QStringLiteral("approve"), QStringLiteral("nonsense") });
    QCOMPARE(garbage.exitCode, 2);
    QVERIFY(garbage.err.contains("not a link code"));
    auto unknown = cli(QStringLiteral("erin"),
        { QStringLiteral("link"), QStringLiteral("approve"), QStringLiteral("ABCD-EFGH-JKMN-PQRS-TVW0") });
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("wrong code, or it expired"), unknown.err.constData());
    QCOMPARE(unknown.err.count('\n'), 1);

    auto expired = cli(QStringLiteral("erin3"),
        { QStringLiteral("link"), QStringLiteral("request"), QStringLiteral("--relay"), relay_.url().toString(),
            QStringLiteral("--timeout"), QStringLiteral("1") });
    QCOMPARE(expired.exitCode, 2);
    QVERIFY2(expired.err.contains("expired"), expired.err.constData());
    QCOMPARE(cli(QStringLiteral("erin3"), { QStringLiteral("link"), QStringLiteral("request") }).exitCode, 1);
}

void CliDeviceTest::settingsAndRead()
{
    auto off = cli(QStringLiteral("frank"),
        { QStringLiteral("--json"), QStringLiteral("settings"), QStringLiteral("read-receipts"),
            QStringLiteral("off") });
    QCOMPARE(off.exitCode, 0);
    const auto settings = QJsonDocument::fromJson(off.out).object();
    QCOMPARE(settings.value(QStringLiteral("read-receipts")).toBool(true), false);
    QCOMPARE(settings.value(QStringLiteral("typing")).toBool(false), true);
    QCOMPARE(
        cli(QStringLiteral("frank"), { QStringLiteral("settings"), QStringLiteral("colour"), QStringLiteral("on") })
            .exitCode,
        1);
    // frank answers erin, whose second device was revoked meanwhile: the
    // relay reports it stale, frank drops it and the message goes through.
    auto answer = cli(QStringLiteral("frank"),
        { QStringLiteral("--json"), QStringLiteral("send"), QStringLiteral("@erin"), QStringLiteral("hi erin") });
    QCOMPARE(answer.exitCode, 0);
    QCOMPARE(
        QJsonDocument::fromJson(answer.out).object().value(QStringLiteral("state")).toString(), QStringLiteral("sent"));
    auto read
        = cli(QStringLiteral("frank"), { QStringLiteral("--json"), QStringLiteral("read"), QStringLiteral("@erin") });
    QCOMPARE(read.exitCode, 0);
    const auto marked = QJsonDocument::fromJson(read.out).object();
    QCOMPARE(marked.value(QStringLiteral("marked")).toInt(), 1); // "from the laptop"
    QCOMPARE(marked.value(QStringLiteral("readReceipts")).toBool(true), false);
    QCOMPARE(cli(QStringLiteral("frank"), { QStringLiteral("read"), QStringLiteral("@nobody") }).exitCode, 2);
}

QTEST_GUILESS_MAIN(CliDeviceTest)
#include "CliDeviceTest.moc"
