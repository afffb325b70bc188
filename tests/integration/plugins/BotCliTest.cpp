// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat-cli bot: verify/keygen/sign, the confirmations of bot run, and the
// echo bot running headless on one profile while another chats with it
// through the real relay.
#include "CliProcess.h"
#include "RelayProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

QString examplesDir()
{
    return QDir(QStringLiteral(TENCHAT_TEST_DATA_DIR)).absoluteFilePath(QStringLiteral("../../resources/plugins"));
}

bool copyFolder(const QString& from, const QString& to)
{
    QDir().mkpath(to);
    for (const QString& name : QDir(from).entryList(QDir::Files))
        if (!QFile::copy(QDir(from).filePath(name), QDir(to).filePath(name)))
            return false;
    return true;
}

} // namespace

using tenchat::testing::CliRun;

class BotCliTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void verifyKeygenSign();
    void echoBotRunsHeadless();

private:
    CliRun cli(const QString& profile, const QStringList& args, int timeoutMs = 60000);
    QTemporaryDir dir_;
    tenchat::testing::CliProcess cli_ { dir_.path(), QStringLiteral("bot test passphrase") };
    tenchat::testing::RelayProcess relay_;
};

void BotCliTest::initTestCase()
{
    const QString missing = cli_.locate();
    QVERIFY2(missing.isEmpty(), qPrintable(missing));
    QVERIFY2(relay_.start(), qPrintable(relay_.error()));
}

CliRun BotCliTest::cli(const QString& profile, const QStringList& args, int timeoutMs)
{
    return cli_.run(profile, args, timeoutMs);
}

void BotCliTest::verifyKeygenSign()
{
    const QString echo = QDir(examplesDir()).filePath(QStringLiteral("echo"));
    auto verified = cli({}, { QStringLiteral("bot"), QStringLiteral("verify"), echo });
    QCOMPARE(verified.exitCode, 0);
    QVERIFY2(verified.out.contains("org.tenchat.echo") && verified.out.contains("signature: unsigned"), verified.out);

    const QString key = dir_.filePath(QStringLiteral("publisher.key"));
    auto keygen = cli({}, { QStringLiteral("--json"), QStringLiteral("bot"), QStringLiteral("keygen"), key });
    QCOMPARE(keygen.exitCode, 0);
    const QString publicKey
        = QJsonDocument::fromJson(keygen.out).object().value(QStringLiteral("publicKey")).toString();
    QCOMPARE(QByteArray::fromBase64(publicKey.toLatin1()).size(), 32);
    // The secret key is readable by its owner only.
    const auto permissions = QFile::permissions(key);
    QVERIFY(permissions.testFlag(QFileDevice::ReadOwner));
    QVERIFY(!(permissions
        & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther)));
    QCOMPARE(cli({}, { QStringLiteral("bot"), QStringLiteral("keygen"), key }).exitCode, 2); // never overwritten

    const QString copy = dir_.filePath(QStringLiteral("echo-signed"));
    QVERIFY(copyFolder(echo, copy));
    QCOMPARE(cli({},
                 { QStringLiteral("bot"), QStringLiteral("sign"), copy, QStringLiteral("--key"), key,
                     QStringLiteral("--publisher"), QStringLiteral("Test Publisher") })
                 .exitCode,
        0);
    auto signedVerify = cli({}, { QStringLiteral("--json"), QStringLiteral("bot"), QStringLiteral("verify"), copy });
    QCOMPARE(signedVerify.exitCode, 0);
    QVERIFY2(QJsonDocument::fromJson(signedVerify.out)
                 .object()
                 .value(QStringLiteral("signature"))
                 .toString()
                 .startsWith(QStringLiteral("valid, publisher 'Test Publisher' key ") + publicKey),
        signedVerify.out);

    // Tampered after signing: verify fails, run refuses even with the confirmations.
    QFile main(QDir(copy).filePath(QStringLiteral("main.js")));
    QVERIFY(main.open(QIODevice::Append));
    main.write("\n// changed\n");
    main.close();
    auto tampered = cli({}, { QStringLiteral("bot"), QStringLiteral("verify"), copy });
    QCOMPARE(tampered.exitCode, 2);
    QVERIFY2(tampered.out.contains("INVALID"), tampered.out);
    auto run = cli(QStringLiteral("nobody"),
        { QStringLiteral("bot"), QStringLiteral("run"), copy, QStringLiteral("--allow-unsigned"),
            QStringLiteral("--accept-publisher") });
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("SignatureInvalid"), run.err);
}

void BotCliTest::echoBotRunsHeadless()
{
    const QString url = relay_.url().toString();
    for (const char* handle : { "echobot", "pat" })
        QCOMPARE(cli(QString::fromLatin1(handle),
                     { QStringLiteral("init"), QStringLiteral("--relay"), url, QStringLiteral("--handle"),
                         QString::fromLatin1(handle) })
                     .exitCode,
            0);
    const QString echo = QDir(examplesDir()).filePath(QStringLiteral("echo"));
    // Unsigned needs the explicit confirmation; a grant beyond the manifest is refused.
    auto refused = cli(QStringLiteral("echobot"), { QStringLiteral("bot"), QStringLiteral("run"), echo });
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("--allow-unsigned"), refused.err);
    QCOMPARE(cli(QStringLiteral("echobot"),
                 { QStringLiteral("bot"), QStringLiteral("run"), echo, QStringLiteral("--allow-unsigned"),
                     QStringLiteral("--grant"), QStringLiteral("emit.message,timer") })
                 .exitCode,
        1);

    QProcess bot;
    cli_.start(bot, QStringLiteral("echobot"),
        { QStringLiteral("--json"), QStringLiteral("bot"), QStringLiteral("run"), echo,
            QStringLiteral("--allow-unsigned") });
    QByteArray botOut;
    QVERIFY(QTest::qWaitFor(
        [&] {
            botOut += bot.readAllStandardOutput();
            return botOut.contains("\"event\":\"started\"") || bot.state() == QProcess::NotRunning;
        },
        60000));
    QVERIFY2(botOut.contains("\"event\":\"started\""), botOut + bot.readAllStandardError());

    QCOMPARE(
        cli(QStringLiteral("pat"), { QStringLiteral("send"), QStringLiteral("@echobot"), QStringLiteral("hello bot") })
            .exitCode,
        0);
    auto listen = cli(QStringLiteral("pat"),
        { QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("1"),
            QStringLiteral("--timeout"), QStringLiteral("60") },
        90000);
    QCOMPARE(listen.exitCode, 0);
    const auto reply = QJsonDocument::fromJson(listen.out.trimmed()).object();
    QCOMPARE(reply.value(QStringLiteral("text")).toString(), QStringLiteral("echo: hello bot"));
    QCOMPARE(reply.value(QStringLiteral("from")).toString(), QStringLiteral("@echobot"));

    QVERIFY(QTest::qWaitFor(
        [&] {
            botOut += bot.readAllStandardOutput();
            return botOut.contains("\"action\":\"send\"");
        },
        30000));
    bot.terminate(); // SIGTERM: a clean stop
    QVERIFY(bot.waitForFinished(30000));
    QCOMPARE(bot.exitStatus(), QProcess::NormalExit);
    QCOMPARE(bot.exitCode(), 0);
}

QTEST_GUILESS_MAIN(BotCliTest)
#include "BotCliTest.moc"
