// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat: the desktop client. Thin: argument handling, then the QML UI.
#include "tenchat/ui/AppController.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTimer>
#include <QUrl>
#include <QtQml/QQmlExtensionPlugin>

#include <cstdio>
#include <cstdlib>

Q_IMPORT_QML_PLUGIN(TenChat_UiPlugin)
Q_IMPORT_QML_PLUGIN(TenChatPlugin)

namespace {

QStringList argumentList(int argc, char** argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    return args;
}

bool hasDisplay()
{
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return true;
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

} // namespace

int main(int argc, char** argv)
{
    // Parse before the GUI application exists, so --help and --version work
    // on a machine without a display.
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("TenChat: end-to-end encrypted messenger."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    QCommandLineOption profile(
        QStringLiteral("profile"), QStringLiteral("Profile directory to use."), QStringLiteral("DIR"));
    QCommandLineOption relay(QStringLiteral("relay"), QStringLiteral("Relay URL (default ws://127.0.0.1:8787)."),
        QStringLiteral("URL"), QStringLiteral("ws://127.0.0.1:8787"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window after start-up, then quit (for tests)."), QStringLiteral("FILE"));
    parser.addOption(profile);
    parser.addOption(relay);
    parser.addOption(screenshot);
    if (!parser.parse(argumentList(argc, argv))) {
        std::fprintf(stderr, "tenchat: %s\nTry 'tenchat --help'.\n", qPrintable(parser.errorText()));
        return 1;
    }
    if (parser.isSet(help)) {
        std::printf("%s", qPrintable(parser.helpText()));
        return 0;
    }
    if (parser.isSet(version)) {
        std::printf("tenchat %s\n", TENCHAT_VERSION_STRING);
        return 0;
    }
    if (!hasDisplay()) {
        std::fprintf(stderr,
            "tenchat: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
            "Run it under a virtual display instead:  xvfb-run -a tenchat\n"
            "or render offscreen:                     QT_QPA_PLATFORM=offscreen tenchat\n");
        return 1;
    }
    const QUrl relayUrl(parser.value(relay));
    if (!relayUrl.isValid()
        || (relayUrl.scheme() != QLatin1String("ws") && relayUrl.scheme() != QLatin1String("wss"))) {
        std::fprintf(
            stderr, "tenchat: --relay expects a ws:// or wss:// URL, got '%s'\n", qPrintable(parser.value(relay)));
        return 1;
    }

    // QApplication (not QGuiApplication): the system tray icon of
    // Qt.labs.platform needs the widgets backend on Linux.
    QApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("TenChat"));
    QGuiApplication::setOrganizationName(QStringLiteral("TenChat"));
    QGuiApplication::setApplicationVersion(QStringLiteral(TENCHAT_VERSION_STRING));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.tenchat.TenChat"));
    tenchat::ui::installTranslations(app);
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Basic"));

    tenchat::ui::AppController::setInitialRelayUrl(relayUrl);
    const QString profileDir = parser.isSet(profile)
        ? QDir(parser.value(profile)).absolutePath()
        : QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("profile"));
    tenchat::ui::SessionController session(profileDir);
    tenchat::ui::SessionController::setInstance(&session);
    // "Remember on this device" (a screenshot run stays deterministic without it).
    if (!parser.isSet(screenshot))
        session.setKeychain(tenchat::ui::PassphraseKeychain::createSystem());

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(2); },
        Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/TenChat/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 2;
    if (parser.isSet(screenshot)) {
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
        const QString path = parser.value(screenshot);
        // Give the relay probe time to settle so the picture shows the real state.
        QTimer::singleShot(1500, &app, [window, path] {
            const bool saved = window && window->grabWindow().save(path);
            if (!saved)
                std::fprintf(stderr, "tenchat: could not save screenshot to %s\n", qPrintable(path));
            QCoreApplication::exit(saved ? 0 : 2);
        });
    }
    return app.exec();
}
