// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/DeviceListModel.h"
#include "tenchat/ui/MessagingService.h"
#include "tenchat/ui/PassphraseKeychain.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QQmlEngine;
class QJSEngine;

namespace tenchat::core::store {
class AsyncStore;
}

namespace tenchat::ui {

// The profile's life cycle: first run (choose a handle, relay and
// passphrase; creates the encrypted profile; or links this new device to an
// existing account, showing the one-time code until a device of the account
// approves it), unlock (a wrong passphrase is reported and changes nothing;
// a passphrase remembered in the OS keychain unlocks without asking), then
// the open session with its ChatController and the account's devices.
// Key derivation and migrations run on the store's worker thread; the UI
// shows `busy` meanwhile.
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
    Q_PROPERTY(tenchat::ui::DeviceListModel* devices READ devices CONSTANT)
    // Linking this device: waiting for an approval, and the code to show
    // (groups of four characters, empty until the relay has the offer).
    Q_PROPERTY(bool linking READ linking NOTIFY linkChanged)
    Q_PROPERTY(QStringList linkCodeGroups READ linkCodeGroups NOTIFY linkChanged)
    Q_PROPERTY(QString linkCode READ linkCode NOTIFY linkChanged)
    Q_PROPERTY(QString linkHandle READ linkHandle NOTIFY linkChanged)
    // "Remember on this device": offered only when the OS keychain works.
    Q_PROPERTY(bool rememberAvailable READ rememberAvailable NOTIFY keychainChanged)
    Q_PROPERTY(bool passphraseRemembered READ passphraseRemembered NOTIFY keychainChanged)
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
    // `remember`: keep the passphrase in the OS keychain (or forget it when false).
    Q_INVOKABLE void createProfile(
        const QString& handle, const QString& relayUrl, const QString& passphrase, bool remember = false);
    Q_INVOKABLE void unlock(const QString& passphrase, bool remember = false);
    // First run on a new device of an existing account: creates the local
    // profile with `passphrase`, then requests a link on `relayUrl` and
    // shows the code; becomes Ready once a device of @handle approved it.
    Q_INVOKABLE void linkToAccount(
        const QString& handle, const QString& relayUrl, const QString& passphrase, bool remember = false);
    Q_INVOKABLE void cancelLink();
    // Removes the remembered passphrase from the keychain (nothing else).
    Q_INVOKABLE void forgetPassphrase();

    DeviceListModel* devices() const { return devices_; }
    bool linking() const { return linking_; }
    QString linkCode() const { return linkCode_; }
    QStringList linkCodeGroups() const;
    QString linkHandle() const { return linkHandle_; }
    // Installs the keychain (main() passes the OS one, tests a fake) and
    // looks for a remembered passphrase; when locked, unlocks with it.
    void setKeychain(std::unique_ptr<PassphraseKeychain> keychain);
    bool rememberAvailable() const { return keychain_ && keychainWorks_; }
    bool passphraseRemembered() const { return remembered_; }
    // The error shown on the first-run or unlock screen no longer applies
    // (the user edited the field it was about).
    Q_INVOKABLE void clearError() { setError({}); }

Q_SIGNALS:
    void stateChanged();
    void busyChanged();
    void errorTextChanged();
    // The relay connection of the running engine (see MessagingService::State).
    void connectionStateChanged();
    void linkChanged();
    void keychainChanged();

private:
    void setBusy(bool busy);
    void setError(const QString& text);
    // Starts the engine on the open store (registering `handle` on a first
    // run), then becomes Ready; on failure stays on the first-run screen.
    void startEngine(const QUrl& relayUrl, const QString& handle);
    void becomeReady();
    // Creates the profile (first run) and calls `then` once it is open.
    void createStore(const QString& relayUrl, const QString& passphrase, bool remember, std::function<void()> then);
    void startLink(const QUrl& relayUrl, const QString& handle);
    void openStore(const QString& passphrase, bool remember, bool fromKeychain);
    // Keeps (or forgets) the passphrase in the keychain after it opened the profile.
    void rememberPassphrase(const QString& passphrase, bool remember);
    QString keychainKey() const;

    QString profileDirectory_;
    State state_ = State::Onboarding;
    bool busy_ = false;
    QString errorText_;
    QString handle_;
    std::unique_ptr<core::store::AsyncStore> store_;
    std::unique_ptr<MessagingService> messaging_; // uses store_, destroyed before it
    ChatController* chat_ = nullptr;
    DeviceListModel* devices_ = nullptr;
    bool linking_ = false;
    QString linkCode_;
    QString linkHandle_;
    std::unique_ptr<PassphraseKeychain> keychain_;
    bool keychainWorks_ = false;
    bool remembered_ = false;
};

} // namespace tenchat::ui
