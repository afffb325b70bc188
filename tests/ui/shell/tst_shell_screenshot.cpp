// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop client starts against the real relay, renders its window and
// shows the relay as reachable; the screenshot is kept under the build tree.
#include "RelayProcess.h"

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

class ShellScreenshotTest : public QObject {
    Q_OBJECT
private slots:
    void rendersAndReachesRelay();
    void reportsUnreachableRelay();

private:
    QImage screenshot(const QString& relayUrl, const QString& name);
};

QImage ShellScreenshotTest::screenshot(const QString& relayUrl, const QString& name)
{
    const QString dir = qEnvironmentVariable("TENCHAT_BINARY_DIR") + QStringLiteral("/screenshots");
    QDir().mkpath(dir);
    const QString path = dir + QLatin1Char('/') + name;
    QFile::remove(path);
    QTemporaryDir profile; // a fresh profile: the first-run screen, never the user's own profile
    QProcess app;
    app.start(qEnvironmentVariable("TENCHAT_DESKTOP_BIN"),
        { QStringLiteral("--profile"), profile.filePath(QStringLiteral("p")), QStringLiteral("--relay"), relayUrl,
            QStringLiteral("--screenshot"), path });
    if (!app.waitForFinished(30000)) {
        app.kill();
        return {};
    }
    if (app.exitCode() != 0)
        qWarning() << app.readAllStandardError();
    return QImage(path);
}

static int distinctColours(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    return colours.size();
}

// The connection dot is green (#2e7d32) when the relay answered.
static bool containsColour(const QImage& image, QRgb wanted)
{
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if ((image.pixel(x, y) & 0xffffff) == (wanted & 0xffffff))
                return true;
    return false;
}

void ShellScreenshotTest::rendersAndReachesRelay()
{
    tenchat::testing::RelayProcess relay;
    QVERIFY2(relay.start(), qPrintable(relay.error()));
    const QImage image = screenshot(relay.url().toString(), QStringLiteral("shell-welcome.png"));
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 480 && image.height() >= 360);
    QVERIFY2(distinctColours(image) > 8, "the window rendered nearly blank");
    QVERIFY2(containsColour(image, qRgb(0x2e, 0x7d, 0x32)), "the relay is not shown as reachable");
}

void ShellScreenshotTest::reportsUnreachableRelay()
{
    // Port 9 (discard) on loopback: nothing listens there.
    const QImage image = screenshot(QStringLiteral("ws://127.0.0.1:9"), QStringLiteral("shell-offline.png"));
    QVERIFY(!image.isNull());
    QVERIFY(!containsColour(image, qRgb(0x2e, 0x7d, 0x32)));
}

QTEST_GUILESS_MAIN(ShellScreenshotTest)
#include "tst_shell_screenshot.moc"
