// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat-cli groups and channels: separate processes and profiles, the real relay.
#include "CliProcess.h"
#include "RelayProcess.h"

#include "tenchat/core/store/ProfileStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using tenchat::testing::CliRun;

class CliGroupTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void usage();
    void groupThroughTheCli();
    void channelReaderRefused();
    void historyShowsWaitingMessages();

private:
    CliRun cli(const QString& profile, const QStringList& args, int timeoutMs = 60000);
    static QJsonObject json(const CliRun& run) { return run.json(); }
    QTemporaryDir dir_;
    tenchat::testing::CliProcess cli_ { dir_.path(), QStringLiteral("cli test passphrase") };
    tenchat::testing::RelayProcess relay_;
};

void CliGroupTest::initTestCase()
{
    const QString missing = cli_.locate();
    QVERIFY2(missing.isEmpty(), qPrintable(missing));
    QVERIFY2(relay_.start(), qPrintable(relay_.error()));
    for (const char* handle : { "gina", "hank", "ivy" })
        QCOMPARE(cli(QString::fromLatin1(handle),
                     { QStringLiteral("init"), QStringLiteral("--relay"), relay_.url().toString(),
                         QStringLiteral("--handle"), QString::fromLatin1(handle) })
                     .exitCode,
            0);
}

CliRun CliGroupTest::cli(const QString& profile, const QStringList& args, int timeoutMs)
{
    return cli_.run(profile, args, timeoutMs);
}

void CliGroupTest::usage()
{
    const QString g = QStringLiteral("group");
    QCOMPARE(cli(QStringLiteral("gina"), { g }).exitCode, 1);
    QCOMPARE(cli(QStringLiteral("gina"), { g, QStringLiteral("frob") }).exitCode, 1);
    QCOMPARE(cli(QStringLiteral("gina"), { g, QStringLiteral("create") }).exitCode, 1);
    QCOMPARE(cli(QStringLiteral("gina"), { g, QStringLiteral("create"), QStringLiteral("x"), QStringLiteral("hank") })
                 .exitCode,
        1); // members need '@'
    QCOMPARE(cli(QStringLiteral("gina"),
                 { g, QStringLiteral("create"), QStringLiteral("x"), QStringLiteral("--ttl"), QStringLiteral("-3") })
                 .exitCode,
        1);
    QCOMPARE(cli(QStringLiteral("gina"), { g, QStringLiteral("add"), QStringLiteral("x") }).exitCode, 1);
    // Unknown group or member: a failure with one line of reason.
    auto unknown
        = cli(QStringLiteral("gina"), { QStringLiteral("send"), QStringLiteral("nogroup"), QStringLiteral("x") });
    QCOMPARE(unknown.exitCode, 2);
    QCOMPARE(unknown.err.count('\n'), 1);
    QCOMPARE(
        cli(QStringLiteral("gina"), { g, QStringLiteral("create"), QStringLiteral("x"), QStringLiteral("@nobody") })
            .exitCode,
        2);
}

void CliGroupTest::groupThroughTheCli()
{
    const QString j = QStringLiteral("--json");
    auto created = cli(QStringLiteral("gina"),
        { j, QStringLiteral("group"), QStringLiteral("create"), QStringLiteral("crew"), QStringLiteral("@hank"),
            QStringLiteral("@ivy") });
    QCOMPARE(created.exitCode, 0);
    const auto group = json(created);
    const QString id = group.value(QStringLiteral("conversation")).toString();
    QCOMPARE(id.size(), 32);
    QCOMPARE(group.value(QStringLiteral("name")).toString(), QStringLiteral("crew"));
    QCOMPARE(group.value(QStringLiteral("kind")).toString(), QStringLiteral("group"));
    QCOMPARE(group.value(QStringLiteral("role")).toString(), QStringLiteral("owner"));
    QCOMPARE(group.value(QStringLiteral("members")).toArray().size(), 3);

    auto sent
        = cli(QStringLiteral("gina"), { j, QStringLiteral("send"), QStringLiteral("crew"), QStringLiteral("hi crew") });
    QCOMPARE(sent.exitCode, 0);
    QCOMPARE(json(sent).value(QStringLiteral("state")).toString(), QStringLiteral("sent"));
    QCOMPARE(json(sent).value(QStringLiteral("conversation")).toString(), id);

    // hank learned the group's name end to end and answers by name.
    auto heard = cli(QStringLiteral("hank"),
        { j, QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("1"), QStringLiteral("--timeout"),
            QStringLiteral("30") });
    QCOMPARE(heard.exitCode, 0);
    const auto first = json(heard);
    QCOMPARE(first.value(QStringLiteral("conversation")).toString(), id);
    QCOMPARE(first.value(QStringLiteral("from")).toString(), QStringLiteral("@gina"));
    QCOMPARE(first.value(QStringLiteral("text")).toString(), QStringLiteral("hi crew"));
    QVERIFY(!first.value(QStringLiteral("messageId")).toString().isEmpty());
    QVERIFY(first.value(QStringLiteral("sentAt")).toDouble() > 0);
    QCOMPARE(cli(QStringLiteral("hank"), { QStringLiteral("send"), QStringLiteral("crew"), QStringLiteral("hi gina") })
                 .exitCode,
        0);

    auto ivy = cli(QStringLiteral("ivy"),
        { j, QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("2"), QStringLiteral("--timeout"),
            QStringLiteral("30") });
    QCOMPARE(ivy.exitCode, 0);
    QCOMPARE(ivy.out.trimmed().split('\n').size(), 2);

    // gina removes ivy; the group lists two members, ivy's history ends.
    auto removed = cli(QStringLiteral("gina"),
        { j, QStringLiteral("group"), QStringLiteral("remove"), QStringLiteral("crew"), QStringLiteral("@ivy") });
    QCOMPARE(removed.exitCode, 0);
    QCOMPARE(json(removed).value(QStringLiteral("members")).toArray().size(), 2);
    QCOMPARE(cli(QStringLiteral("gina"), { QStringLiteral("send"), id, QStringLiteral("without ivy") }).exitCode, 0);
    auto hankHistory = cli(QStringLiteral("hank"),
        { j, QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("1"), QStringLiteral("--timeout"),
            QStringLiteral("30") });
    QCOMPARE(hankHistory.exitCode, 0);
    QCOMPARE(json(hankHistory).value(QStringLiteral("text")).toString(), QStringLiteral("without ivy"));
    auto ivyList = cli(QStringLiteral("ivy"), { j, QStringLiteral("group"), QStringLiteral("list") });
    QCOMPARE(ivyList.exitCode, 0);
    QCOMPARE(json(ivyList).value(QStringLiteral("member")).toBool(), false);
    auto ivyHistory = cli(QStringLiteral("ivy"), { j, QStringLiteral("history"), id });
    QCOMPARE(ivyHistory.exitCode, 0);
    QVERIFY(!ivyHistory.out.contains("without ivy"));
    QCOMPARE(cli(QStringLiteral("ivy"), { QStringLiteral("send"), id, QStringLiteral("let me in") }).exitCode, 2);

    auto history = cli(QStringLiteral("gina"), { j, QStringLiteral("history"), QStringLiteral("crew") });
    QCOMPARE(history.exitCode, 0);
    const auto lines = history.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(
        QJsonDocument::fromJson(lines[1]).object().value(QStringLiteral("from")).toString(), QStringLiteral("@hank"));
}

void CliGroupTest::channelReaderRefused()
{
    const QString j = QStringLiteral("--json");
    auto created = cli(QStringLiteral("gina"),
        { j, QStringLiteral("group"), QStringLiteral("create"), QStringLiteral("news"), QStringLiteral("@hank"),
            QStringLiteral("--channel") });
    QCOMPARE(created.exitCode, 0);
    QCOMPARE(json(created).value(QStringLiteral("kind")).toString(), QStringLiteral("channel"));
    QCOMPARE(cli(QStringLiteral("gina"), { QStringLiteral("send"), QStringLiteral("news"), QStringLiteral("issue 1") })
                 .exitCode,
        0);
    auto refused
        = cli(QStringLiteral("hank"), { QStringLiteral("send"), QStringLiteral("news"), QStringLiteral("me too") });
    QCOMPARE(refused.exitCode, 2);
    QVERIFY(refused.err.contains("channel"));
    auto list = cli(QStringLiteral("hank"), { j, QStringLiteral("group"), QStringLiteral("list") });
    QCOMPARE(list.exitCode, 0);
    bool found = false;
    for (const auto& line : list.out.trimmed().split('\n')) {
        const auto g = QJsonDocument::fromJson(line).object();
        if (g.value(QStringLiteral("name")).toString() == QLatin1String("news")) {
            found = true;
            QCOMPARE(g.value(QStringLiteral("kind")).toString(), QStringLiteral("channel"));
            QCOMPARE(g.value(QStringLiteral("role")).toString(), QStringLiteral("member"));
        }
    }
    QVERIFY(found);

    // Only an owner changes roles; as an admin hank may post.
    QCOMPARE(cli(QStringLiteral("hank"),
                 { QStringLiteral("group"), QStringLiteral("role"), QStringLiteral("news"), QStringLiteral("@hank"),
                     QStringLiteral("admin") })
                 .exitCode,
        2);
    QCOMPARE(cli(QStringLiteral("gina"),
                 { QStringLiteral("group"), QStringLiteral("role"), QStringLiteral("news"), QStringLiteral("@hank"),
                     QStringLiteral("boss") })
                 .exitCode,
        1);
    auto promoted = cli(QStringLiteral("gina"),
        { j, QStringLiteral("group"), QStringLiteral("role"), QStringLiteral("news"), QStringLiteral("@hank"),
            QStringLiteral("admin") });
    QCOMPARE(promoted.exitCode, 0);
    QCOMPARE(
        cli(QStringLiteral("hank"), { QStringLiteral("send"), QStringLiteral("news"), QStringLiteral("now I may") })
            .exitCode,
        0);
}

// kira loses joan's sender key (deleted from her profile, as a restored
// profile would lack it): joan's next message is listed by `history` at its
// place as waiting (JSON and text); once joan is online again she answers
// kira's request and the message takes its place.
void CliGroupTest::historyShowsWaitingMessages()
{
    const QString j = QStringLiteral("--json");
    for (const char* handle : { "joan", "kira" })
        QCOMPARE(cli(QString::fromLatin1(handle),
                     { QStringLiteral("init"), QStringLiteral("--relay"), relay_.url().toString(),
                         QStringLiteral("--handle"), QString::fromLatin1(handle) })
                     .exitCode,
            0);
    auto created = cli(QStringLiteral("joan"),
        { j, QStringLiteral("group"), QStringLiteral("create"), QStringLiteral("book"), QStringLiteral("@kira") });
    QCOMPARE(created.exitCode, 0);
    QCOMPARE(
        cli(QStringLiteral("joan"), { QStringLiteral("send"), QStringLiteral("book"), QStringLiteral("chapter one") })
            .exitCode,
        0);
    const QStringList listenOne { j, QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("1"),
        QStringLiteral("--timeout"), QStringLiteral("60") };
    auto heard = cli(QStringLiteral("kira"), listenOne);
    QCOMPARE(heard.exitCode, 0);
    QCOMPARE(json(heard).value(QStringLiteral("text")).toString(), QStringLiteral("chapter one"));
    {
        auto profile
            = tenchat::core::store::ProfileStore::open(dir_.filePath(QStringLiteral("kira")), "cli test passphrase");
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().message));
        QVERIFY((*profile)->database().exec("DELETE FROM sender_keys"));
    }
    QCOMPARE(
        cli(QStringLiteral("joan"), { QStringLiteral("send"), QStringLiteral("book"), QStringLiteral("chapter two") })
            .exitCode,
        0);

    // kira syncs (joan is offline, so nothing answers) until the entry waits.
    QList<QJsonObject> rows;
    for (int attempt = 0; attempt < 20; ++attempt) {
        QCOMPARE(
            cli(QStringLiteral("kira"), { QStringLiteral("listen"), QStringLiteral("--timeout"), QStringLiteral("2") })
                .exitCode,
            0);
        auto history = cli(QStringLiteral("kira"), { j, QStringLiteral("history"), QStringLiteral("book") });
        QCOMPARE(history.exitCode, 0);
        rows.clear();
        for (const auto& line : history.out.trimmed().split('\n'))
            rows << QJsonDocument::fromJson(line).object();
        if (rows.size() == 2)
            break;
    }
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].value(QStringLiteral("text")).toString(), QStringLiteral("chapter one"));
    QCOMPARE(rows[1].value(QStringLiteral("state")).toString(), QStringLiteral("waiting"));
    QCOMPARE(rows[1].value(QStringLiteral("from")).toString(), QStringLiteral("@joan"));
    QVERIFY(rows[1].value(QStringLiteral("messageId")).isNull());
    QVERIFY(!rows[1].contains(QStringLiteral("text")));
    QVERIFY(rows[1].value(QStringLiteral("seq")).toDouble() > rows[0].value(QStringLiteral("seq")).toDouble());
    auto text = cli(QStringLiteral("kira"), { QStringLiteral("history"), QStringLiteral("book") });
    QCOMPARE(text.exitCode, 0);
    const auto lines = text.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines[1].contains("@joan: (waiting for this message: @joan's device has not shared its key yet)"),
        lines[1].constData());
    // With --limit 1 only the newest row: the waiting one.
    auto newest = cli(QStringLiteral("kira"),
        { j, QStringLiteral("history"), QStringLiteral("book"), QStringLiteral("--limit"), QStringLiteral("1") });
    QCOMPARE(newest.exitCode, 0);
    QCOMPARE(json(newest).value(QStringLiteral("state")).toString(), QStringLiteral("waiting"));

    // joan comes online and answers kira's request: the message appears.
    QProcess joanProcess;
    cli_.start(joanProcess, QStringLiteral("joan"),
        { QStringLiteral("listen"), QStringLiteral("--timeout"), QStringLiteral("90") });
    auto recovered = cli(QStringLiteral("kira"), listenOne, 90000);
    joanProcess.kill();
    joanProcess.waitForFinished();
    QCOMPARE(recovered.exitCode, 0);
    QCOMPARE(json(recovered).value(QStringLiteral("text")).toString(), QStringLiteral("chapter two"));
    auto after = cli(QStringLiteral("kira"), { j, QStringLiteral("history"), QStringLiteral("book") });
    QCOMPARE(after.exitCode, 0);
    QVERIFY(!after.out.contains("waiting"));
    QCOMPARE(after.out.trimmed().split('\n').size(), 2);
}

QTEST_GUILESS_MAIN(CliGroupTest)
#include "CliGroupTest.moc"
