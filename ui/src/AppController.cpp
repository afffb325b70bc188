// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/AppController.h"

#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/SessionController.h"

#include <QGuiApplication>
#include <QPalette>

namespace tenchat::ui {

namespace {
QUrl& initialRelayUrl()
{
    static QUrl url(QStringLiteral("ws://127.0.0.1:8787"));
    return url;
}
} // namespace

void AppController::setInitialRelayUrl(const QUrl& url)
{
    initialRelayUrl() = url;
}

AppController::AppController(QObject* parent)
    : QObject(parent), relayUrl_(initialRelayUrl()),
      darkTheme_(QGuiApplication::palette().color(QPalette::Window).lightness() < 128)
{
    connect(&probe_, &core::RelayProbe::stateChanged, this, [this](core::RelayProbe::State state) {
        if (auto* session = SessionController::instance();
            session && session->messaging() && session->messaging()->isStarted())
            return; // the engine's state wins
        switch (state) {
        case core::RelayProbe::State::Offline: state_ = ConnectionState::Offline; break;
        case core::RelayProbe::State::Connecting: state_ = ConnectionState::Connecting; break;
        case core::RelayProbe::State::Reachable: state_ = ConnectionState::Live; break;
        }
        emit connectionStateChanged();
    });
    followSession();
    reconnect();
}

void AppController::followSession()
{
    SessionController* session = SessionController::instance();
    if (!session)
        return;
    // The profile's theme setting (light, dark, follow system) decides the palette.
    connect(session->chat()->settings(), &SettingsController::darkChanged, this, &AppController::setDarkTheme);
    connect(session, &SessionController::connectionStateChanged, this, [this, session] {
        MessagingService* engine = session->messaging();
        if (!engine || !engine->isStarted())
            return;
        switch (engine->state()) {
        case MessagingService::State::Offline: state_ = ConnectionState::Offline; break;
        case MessagingService::State::Connecting: state_ = ConnectionState::Connecting; break;
        case MessagingService::State::Syncing: state_ = ConnectionState::Syncing; break;
        case MessagingService::State::Live: state_ = ConnectionState::Live; break;
        }
        emit connectionStateChanged();
    });
}

QString AppController::version() const
{
    return QStringLiteral(TENCHAT_VERSION_STRING);
}

void AppController::setDarkTheme(bool dark)
{
    if (dark == darkTheme_)
        return;
    darkTheme_ = dark;
    emit darkThemeChanged();
}

bool AppController::trayAvailable() const
{
    return QCoreApplication::instance() && QCoreApplication::instance()->inherits("QApplication");
}

QString AppController::initials(const QString& name)
{
    return ConversationFilterModel::initialsOf(name);
}

void AppController::reconnect()
{
    if (auto* session = SessionController::instance();
        session && session->messaging() && session->messaging()->isStarted())
        return; // the engine reconnects by itself, with back-off
    probe_.probe(relayUrl_);
}

} // namespace tenchat::ui
