// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat-cli end to end: separate processes and profiles, the real relay.
#include "CliProcess.h"
#include "RelayProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

using tenchat::testing::CliRun;

class CliTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void usageAndFailureExitCodes();
    void chatThroughTheCli();
    void senderKilledMidSend();

private:
    CliRun cli(const QString& profile, const QStringList& args, int timeoutMs = 60000);
    QTemporaryDir dir_;
    tenchat::testing::CliProcess cli_ { dir_.path(), QStringLiteral("cli test passphrase") };
    tenchat::testing::RelayProcess relay_;
};

void CliTest::initTestCase()
{
    const QString missing = cli_.locate();
    QVERIFY2(missing.isEmpty(), qPrintable(missing));
    QVERIFY2(relay_.start(), qPrintable(relay_.error()));
}

CliRun CliTest::cli(const QString& profile, const QStringList& args, int timeoutMs)
{
    return cli_.run(profile, args, timeoutMs);
}

void CliTest::usageAndFailureExitCodes()
{
    QCOMPARE(cli({}, {}).exitCode, 1);
    QCOMPARE(cli({}, { QStringLiteral("frobnicate") }).exitCode, 1);
    QCOMPARE(cli(QStringLiteral("x"), { QStringLiteral("send"), QStringLiteral("@bob") }).exitCode, 1);
    QCOMPARE(
        cli(QStringLiteral("x"), { QStringLiteral("init"), QStringLiteral("--handle"), QStringLiteral("x1") }).exitCode,
        1);
    // No such profile: a failure with one line of reason.
    auto missing = cli(QStringLiteral("missing"), { QStringLiteral("whoami") });
    QCOMPARE(missing.exitCode, 2);
    QCOMPARE(missing.err.count('\n'), 1);
    QVERIFY(missing.err.startsWith("tenchat-cli: "));
}

void CliTest::chatThroughTheCli()
{
    const QString url = relay_.url().toString();
    auto init = cli(QStringLiteral("carol"),
        { QStringLiteral("--json"), QStringLiteral("init"), QStringLiteral("--relay"), url, QStringLiteral("--handle"),
            QStringLiteral("carol") });
    QCOMPARE(init.exitCode, 0);
    QCOMPARE(
        QJsonDocument::fromJson(init.out).object().value(QStringLiteral("handle")).toString(), QStringLiteral("carol"));
    QCOMPARE(cli(QStringLiteral("dave"),
                 { QStringLiteral("init"), QStringLiteral("--relay"), url, QStringLiteral("--handle"),
                     QStringLiteral("dave") })
                 .exitCode,
        0);
    // The handle is taken now.
    auto taken = cli(QStringLiteral("other"),
        { QStringLiteral("init"), QStringLiteral("--relay"), url, QStringLiteral("--handle"), QStringLiteral("dave") });
    QCOMPARE(taken.exitCode, 2);

    auto sent = cli(QStringLiteral("carol"),
        { QStringLiteral("--json"), QStringLiteral("send"), QStringLiteral("@dave"), QStringLiteral("hello dave") });
    QCOMPARE(sent.exitCode, 0);
    const auto sentJson = QJsonDocument::fromJson(sent.out).object();
    QCOMPARE(sentJson.value(QStringLiteral("state")).toString(), QStringLiteral("sent"));
    QVERIFY(cli(QStringLiteral("carol"), { QStringLiteral("send"), QStringLiteral("@dave"), QStringLiteral("second") })
                .exitCode
        == 0);
    // Unknown recipient.
    QCOMPARE(cli(QStringLiteral("carol"), { QStringLiteral("send"), QStringLiteral("@nobody"), QStringLiteral("x") })
                 .exitCode,
        2);

    auto listen = cli(QStringLiteral("dave"),
        { QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("2"),
            QStringLiteral("--timeout"), QStringLiteral("30") });
    QCOMPARE(listen.exitCode, 0);
    const auto lines = listen.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const auto first = QJsonDocument::fromJson(lines[0]).object();
    const auto second = QJsonDocument::fromJson(lines[1]).object();
    QCOMPARE(first.value(QStringLiteral("from")).toString(), QStringLiteral("@carol"));
    QCOMPARE(first.value(QStringLiteral("text")).toString(), QStringLiteral("hello dave"));
    QCOMPARE(
        first.value(QStringLiteral("messageId")).toString(), sentJson.value(QStringLiteral("messageId")).toString());
    QCOMPARE(first.value(QStringLiteral("conversation")).toString(),
        sentJson.value(QStringLiteral("conversation")).toString());
    QVERIFY(first.value(QStringLiteral("sentAt")).toDouble() > 0);
    QCOMPARE(second.value(QStringLiteral("text")).toString(), QStringLiteral("second"));

    // Nothing more is pending: a short listen for one more times out (exit 2).
    QCOMPARE(cli(QStringLiteral("dave"),
                 { QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("1"),
                     QStringLiteral("--timeout"), QStringLiteral("2") })
                 .exitCode,
        2);

    // Dave answers; both histories and search work offline from the store.
    QCOMPARE(
        cli(QStringLiteral("dave"), { QStringLiteral("send"), QStringLiteral("@carol"), QStringLiteral("hi carol") })
            .exitCode,
        0);
    auto carolListen = cli(QStringLiteral("carol"),
        { QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("1"),
            QStringLiteral("--timeout"), QStringLiteral("30") });
    QCOMPARE(carolListen.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(carolListen.out).object().value(QStringLiteral("from")).toString(),
        QStringLiteral("@dave"));
    auto history = cli(
        QStringLiteral("dave"), { QStringLiteral("--json"), QStringLiteral("history"), QStringLiteral("@carol") });
    QCOMPARE(history.exitCode, 0);
    const auto historyLines = history.out.trimmed().split('\n');
    QCOMPARE(historyLines.size(), 3);
    QCOMPARE(QJsonDocument::fromJson(historyLines[2]).object().value(QStringLiteral("text")).toString(),
        QStringLiteral("hi carol"));
    auto search
        = cli(QStringLiteral("dave"), { QStringLiteral("--json"), QStringLiteral("search"), QStringLiteral("second") });
    QCOMPARE(search.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(search.out.trimmed()).object().value(QStringLiteral("text")).toString(),
        QStringLiteral("second"));

    // Both sides compute the same safety number.
    auto carolVerify
        = cli(QStringLiteral("carol"), { QStringLiteral("--json"), QStringLiteral("verify"), QStringLiteral("@dave") });
    auto daveVerify
        = cli(QStringLiteral("dave"), { QStringLiteral("--json"), QStringLiteral("verify"), QStringLiteral("@carol") });
    QCOMPARE(carolVerify.exitCode, 0);
    QCOMPARE(daveVerify.exitCode, 0);
    QString number = QJsonDocument::fromJson(carolVerify.out).object().value(QStringLiteral("safetyNumber")).toString();
    QCOMPARE(number.remove(QLatin1Char(' ')).size(), 60);
    QCOMPARE(QJsonDocument::fromJson(daveVerify.out)
                 .object()
                 .value(QStringLiteral("safetyNumber"))
                 .toString()
                 .remove(QLatin1Char(' ')),
        number);
}

void CliTest::senderKilledMidSend()
{
    // Runs after chatThroughTheCli (carol and dave exist). A sender killed
    // with SIGKILL at various moments of `send`: whatever it committed is
    // delivered exactly once and in order by the next run; nothing else is.
    for (int i = 0; i < 5; ++i) {
        QProcess p;
        cli_.start(p, QStringLiteral("carol"),
            { QStringLiteral("send"), QStringLiteral("@dave"), QStringLiteral("killed %1").arg(i) });
        QVERIFY(p.waitForStarted());
        // The moment of the kill varies; it is not an assertion.
        p.waitForFinished(40 + 60 * i);
        p.kill();
        p.waitForFinished();
    }
    // The next send drains what the killed runs left in the outbox first.
    QCOMPARE(cli(QStringLiteral("carol"), { QStringLiteral("send"), QStringLiteral("@dave"), QStringLiteral("final") })
                 .exitCode,
        0);
    auto history = cli(QStringLiteral("carol"),
        { QStringLiteral("--json"), QStringLiteral("history"), QStringLiteral("@dave"), QStringLiteral("--limit"),
            QStringLiteral("100") });
    QCOMPARE(history.exitCode, 0);
    QStringList committed;
    for (const auto& line : history.out.trimmed().split('\n')) {
        const auto o = QJsonDocument::fromJson(line).object();
        const QString text = o.value(QStringLiteral("text")).toString();
        if (text.startsWith(QLatin1String("killed ")) || text == QLatin1String("final")) {
            committed << text;
            QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("sent"));
        }
    }
    QVERIFY(committed.contains(QStringLiteral("final")));
    qInfo("%lld of 5 killed sends had committed their message", qlonglong(committed.size() - 1));
    auto listen = cli(QStringLiteral("dave"),
        { QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"),
            QString::number(committed.size()), QStringLiteral("--timeout"), QStringLiteral("30") });
    QCOMPARE(listen.exitCode, 0);
    QStringList received;
    for (const auto& line : listen.out.trimmed().split('\n'))
        received << QJsonDocument::fromJson(line).object().value(QStringLiteral("text")).toString();
    QCOMPARE(received, committed);
    // Nothing more (no duplicates) arrives afterwards.
    QCOMPARE(cli(QStringLiteral("dave"),
                 { QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("1"),
                     QStringLiteral("--timeout"), QStringLiteral("2") })
                 .exitCode,
        2);
}

} // namespace

QTEST_GUILESS_MAIN(CliTest)
#include "CliTest.moc"
