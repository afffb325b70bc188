// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/MessagingService.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QQmlEngine;
class QJSEngine;

namespace tenchat::core::store {
class AsyncStore;
}

namespace tenchat::ui {

// The profile's life cycle: first run (choose a handle, relay and
// passphrase; creates the encrypted profile), unlock (a wrong passphrase is
// reported and changes nothing), then the open session with its
// ChatController. Key derivation and migrations run on the store's worker
// thread; the UI shows `busy` meanwhile.
class SessionController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(QString handle READ handle NOTIFY stateChanged)
    Q_PROPERTY(QString profileDirectory READ profileDirectory CONSTANT)
    Q_PROPERTY(tenchat::ui::ChatController* chat READ chat CONSTANT)
    // The profile is open but not registered on a relay yet (an earlier
    // first run could not reach it): onboarding asks for handle and relay only.
    Q_PROPERTY(bool profileOpen READ profileOpen NOTIFY stateChanged)
public:
    enum class State { Onboarding, Locked, Ready };
    Q_ENUM(State)

    explicit SessionController(const QString& profileDirectory, QObject* parent = nullptr);
    ~SessionController() override;

    // main() (or a test) creates the one instance before QML is loaded; QML
    // gets it through create().
    static void setInstance(SessionController* instance);
    static SessionController* instance();
    static SessionController* create(QQmlEngine*, QJSEngine*);

    State state() const { return state_; }
    bool busy() const { return busy_; }
    QString errorText() const { return errorText_; }
    QString handle() const { return handle_; }
    QString profileDirectory() const { return profileDirectory_; }
    ChatController* chat() const { return chat_; }
    bool profileOpen() const { return store_ != nullptr; }
    // The running engine, or null before the session is ready.
    MessagingService* messaging() const { return messaging_.get(); }

    // A handle is 3 to 32 characters: lower-case letters, digits, '.', '_', '-'.
    Q_INVOKABLE static bool isValidHandle(const QString& handle);
    Q_INVOKABLE static bool isValidRelayUrl(const QString& url);
    Q_INVOKABLE void createProfile(const QString& handle, const QString& relayUrl, const QString& passphrase);
    Q_INVOKABLE void unlock(const QString& passphrase);
    // The error shown on the first-run or unlock screen no longer applies
    // (the user edited the field it was about).
    Q_INVOKABLE void clearError() { setError({}); }

Q_SIGNALS:
    void stateChanged();
    void busyChanged();
    void errorTextChanged();
    // The relay connection of the running engine (see MessagingService::State).
    void connectionStateChanged();

private:
    void setBusy(bool busy);
    void setError(const QString& text);
    // Starts the engine on the open store (registering `handle` on a first
    // run), then becomes Ready; on failure stays on the first-run screen.
    void startEngine(const QUrl& relayUrl, const QString& handle);
    void becomeReady();

    QString profileDirectory_;
    State state_ = State::Onboarding;
    bool busy_ = false;
    QString errorText_;
    QString handle_;
    std::unique_ptr<core::store::AsyncStore> store_;
    std::unique_ptr<MessagingService> messaging_; // uses store_, destroyed before it
    ChatController* chat_ = nullptr;
};

} // namespace tenchat::ui
