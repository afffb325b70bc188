// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/AppController.h"

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
        switch (state) {
        case core::RelayProbe::State::Offline: state_ = ConnectionState::Offline; break;
        case core::RelayProbe::State::Connecting: state_ = ConnectionState::Connecting; break;
        case core::RelayProbe::State::Reachable: state_ = ConnectionState::Live; break;
        }
        emit connectionStateChanged();
    });
    reconnect();
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

void AppController::reconnect()
{
    probe_.probe(relayUrl_);
}

} // namespace tenchat::ui
