// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/RelayProbe.h"

#include <QObject>
#include <QString>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

// Application-wide state exposed to QML: versions, the relay the client
// talks to and whether it is reachable.
class AppController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString version READ version CONSTANT)
    Q_PROPERTY(QUrl relayUrl READ relayUrl NOTIFY relayUrlChanged)
    Q_PROPERTY(ConnectionState connectionState READ connectionState NOTIFY connectionStateChanged)
    Q_PROPERTY(QString connectionError READ connectionError NOTIFY connectionStateChanged)
    // Light or dark palette (Theme.qml reads it); starts from the system palette.
    Q_PROPERTY(bool darkTheme READ darkTheme WRITE setDarkTheme NOTIFY darkThemeChanged)
    // The tray icon needs the widgets backend (QApplication, as desktop_main creates).
    Q_PROPERTY(bool trayAvailable READ trayAvailable CONSTANT)
public:
    // Before the profile is open: whether the relay answers (a probe). Once
    // the engine runs: its sync state (Syncing while catching up).
    enum class ConnectionState { Offline, Connecting, Syncing, Live };
    Q_ENUM(ConnectionState)

    explicit AppController(QObject* parent = nullptr);

    // The relay URL is set once by main() before QML is loaded.
    static void setInitialRelayUrl(const QUrl& url);

    QString version() const;
    QUrl relayUrl() const { return relayUrl_; }
    ConnectionState connectionState() const { return state_; }
    QString connectionError() const { return probe_.lastError(); }

    bool darkTheme() const { return darkTheme_; }
    bool trayAvailable() const;
    void setDarkTheme(bool dark);

    Q_INVOKABLE void reconnect();
    // "JD" for "Jane Doe", "A" for "alice": the one rule for every avatar.
    Q_INVOKABLE static QString initials(const QString& name);

signals:
    void relayUrlChanged();
    void connectionStateChanged();
    void darkThemeChanged();

private:
    void followSession();

    core::RelayProbe probe_;
    QUrl relayUrl_;
    ConnectionState state_ = ConnectionState::Offline;
    bool darkTheme_ = false;
};

} // namespace tenchat::ui
