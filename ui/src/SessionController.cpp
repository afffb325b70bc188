// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/SessionController.h"

#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/MediaImageProvider.h"
#include "tenchat/ui/PassphraseMeter.h"
#include "tenchat/ui/SettingsController.h"

#include <QDateTime>
#include <QDir>
#include <QJSEngine>
#include <QPointer>
#include <QQmlEngine>
#include <QRegularExpression>
#include <QSysInfo>
#include <QUrl>

#include <string>

namespace tenchat::ui {

using namespace core::store;

namespace {
SessionController*& currentInstance()
{
    static SessionController* instance = nullptr;
    return instance;
}

const QString kRelaySetting = QStringLiteral("relay.url");

// The passphrase as UTF-8 in a buffer that is wiped when the job is done.
struct PassphraseBytes {
    explicit PassphraseBytes(const QString& text) : bytes(text.toUtf8()) { }
    ~PassphraseBytes() { bytes.fill('\0'); }
    std::string_view view() const { return { bytes.constData(), size_t(bytes.size()) }; }
    QByteArray bytes;
};
} // namespace

SessionController::SessionController(const QString& profileDirectory, QObject* parent)
    : QObject(parent), profileDirectory_(profileDirectory), chat_(new ChatController(this)),
      devices_(new DeviceListModel(this))
{
    state_ = ProfileStore::exists(profileDirectory_) ? State::Locked : State::Onboarding;
    // A passphrase changed in the settings replaces the remembered one.
    connect(chat_->settings(), &SettingsController::passphraseReplaced, this, [this](const QString& next) {
        if (remembered_)
            rememberPassphrase(next, true);
    });
}

SessionController::~SessionController()
{
    delete chat_; // before the engine and the store it reads from
    chat_ = nullptr;
    delete devices_;
    devices_ = nullptr;
    messaging_.reset(); // stops the engine on the store's worker
    store_.reset();
    if (currentInstance() == this)
        currentInstance() = nullptr;
}

void SessionController::setInstance(SessionController* instance)
{
    currentInstance() = instance;
}

SessionController* SessionController::instance()
{
    return currentInstance();
}

SessionController* SessionController::create(QQmlEngine* engine, QJSEngine*)
{
    if (!currentInstance())
        currentInstance() = new SessionController(QDir::home().filePath(QStringLiteral(".tenchat/profile")));
    // Pictures of media messages (image://tenchatmedia/...), from the chat's media controller.
    if (engine && !engine->imageProvider(QLatin1String(MediaImageProvider::kName)))
        engine->addImageProvider(QLatin1String(MediaImageProvider::kName),
            new MediaImageProvider(currentInstance()->chat()->media()->images()));
    QJSEngine::setObjectOwnership(currentInstance(), QJSEngine::CppOwnership);
    return currentInstance();
}

bool SessionController::isValidHandle(const QString& handle)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9._-]{3,32}$"));
    return pattern.match(handle).hasMatch();
}

bool SessionController::isValidRelayUrl(const QString& url)
{
    const QUrl parsed(url, QUrl::StrictMode);
    return parsed.isValid() && !parsed.host().isEmpty()
        && (parsed.scheme() == QLatin1String("ws") || parsed.scheme() == QLatin1String("wss"));
}

void SessionController::setBusy(bool busy)
{
    if (busy_ == busy)
        return;
    busy_ = busy;
    emit busyChanged();
}

void SessionController::setError(const QString& text)
{
    if (errorText_ == text)
        return;
    errorText_ = text;
    emit errorTextChanged();
}

void SessionController::createProfile(
    const QString& handle, const QString& relayUrl, const QString& passphrase, bool remember)
{
    if (busy_ || linking_ || state_ != State::Onboarding)
        return;
    if (!isValidHandle(handle))
        return setError(tr("Choose a handle of 3 to 32 lower-case letters, digits, dots, dashes or underscores."));
    if (!isValidRelayUrl(relayUrl))
        return setError(tr("The relay address must start with ws:// or wss://."));
    if (store_) // created earlier, registration pending: the passphrase is not asked again
        return startEngine(QUrl(relayUrl), handle);
    createStore(relayUrl, passphrase, remember, [this, handle, relayUrl] {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        store_->post([handle, now](ProfileStore& profile) {
            (void)profile.account().setProfile(ProfileInfo { handle, handle, QString(), now });
        });
        startEngine(QUrl(relayUrl), handle);
    });
}

void SessionController::createStore(
    const QString& relayUrl, const QString& passphrase, bool remember, std::function<void()> then)
{
    if (!PassphraseMeter::acceptable(passphrase))
        return setError(tr("This passphrase is too weak. Use a longer one, ideally a few words."));
    setError({});
    setBusy(true);
    const PassphraseBytes secret(passphrase); // AsyncStore::open copies it into zeroizing memory
    AsyncStore::open(profileDirectory_, secret.view(), ProfileOptions {}, true, this,
        [this, relayUrl, passphrase, remember, then = std::move(then)](
            StoreExpected<std::unique_ptr<AsyncStore>> opened) {
            if (!opened) {
                setBusy(false);
                return setError(tr("The profile could not be created: %1").arg(opened.error().message));
            }
            store_ = std::move(*opened);
            store_->post([relayUrl](ProfileStore& profile) {
                (void)profile.keyValues().setSetting(kRelaySetting, relayUrl.toUtf8());
            });
            rememberPassphrase(passphrase, remember);
            emit stateChanged(); // profileOpen
            then();
        });
}

void SessionController::linkToAccount(
    const QString& handle, const QString& relayUrl, const QString& passphrase, bool remember)
{
    if (busy_ || linking_ || state_ != State::Onboarding)
        return;
    if (!isValidHandle(handle))
        return setError(tr("Enter the handle of your account: 3 to 32 lower-case letters, digits, dots, dashes or "
                           "underscores."));
    if (!isValidRelayUrl(relayUrl))
        return setError(tr("The relay address must start with ws:// or wss://."));
    if (store_) // created by an earlier attempt: link it
        return startLink(QUrl(relayUrl), handle);
    createStore(relayUrl, passphrase, remember, [this, handle, relayUrl] { startLink(QUrl(relayUrl), handle); });
}

void SessionController::startLink(const QUrl& relayUrl, const QString& handle)
{
    setError({});
    setBusy(false);
    if (!messaging_) {
        messaging_ = std::make_unique<MessagingService>(store_.get());
        connect(messaging_.get(), &MessagingService::stateChanged, this, &SessionController::connectionStateChanged);
    }
    linking_ = true;
    linkCode_.clear();
    linkHandle_ = handle;
    emit linkChanged();
    const QString deviceName = tr("TenChat on %1").arg(QSysInfo::machineHostName());
    messaging_->startLink(
        relayUrl, deviceName,
        [this](const QString& code, qint64) {
            if (!linking_)
                return;
            linkCode_ = code;
            emit linkChanged();
        },
        [this](const QString& error) {
            if (!linking_)
                return; // cancelled meanwhile
            linking_ = false;
            linkCode_.clear();
            emit linkChanged();
            if (!error.isEmpty())
                return setError(tr("This device could not be linked: %1").arg(error));
            startEngine(QUrl(), QString()); // registered now: the account knows its relay and handle
        });
}

void SessionController::cancelLink()
{
    if (!linking_)
        return;
    if (messaging_)
        messaging_->cancelLink();
    linking_ = false;
    linkCode_.clear();
    emit linkChanged();
}

QStringList SessionController::linkCodeGroups() const
{
    return linkCode_.split(QLatin1Char('-'), Qt::SkipEmptyParts);
}

void SessionController::unlock(const QString& passphrase, bool remember)
{
    if (busy_ || state_ != State::Locked)
        return;
    if (passphrase.isEmpty())
        return setError(tr("Enter your passphrase."));
    openStore(passphrase, remember, false);
}

void SessionController::openStore(const QString& passphrase, bool remember, bool fromKeychain)
{
    setError({});
    setBusy(true);
    const PassphraseBytes secret(passphrase); // AsyncStore::open copies it into zeroizing memory
    AsyncStore::open(profileDirectory_, secret.view(), ProfileOptions {}, false, this,
        [this, passphrase, remember, fromKeychain](StoreExpected<std::unique_ptr<AsyncStore>> opened) {
            if (!opened) {
                setBusy(false);
                if (opened.error().code == StoreErrorCode::WrongPassphrase)
                    return setError(fromKeychain
                            ? tr("The passphrase remembered on this device does not open this profile. Enter it.")
                            : tr("That passphrase is not correct. Try again."));
                return setError(tr("The profile could not be opened: %1").arg(opened.error().message));
            }
            store_ = std::move(*opened);
            if (!fromKeychain)
                rememberPassphrase(passphrase, remember);
            startEngine(QUrl(), QString()); // the account knows its relay
        });
}

void SessionController::setKeychain(std::unique_ptr<PassphraseKeychain> keychain)
{
    keychain_ = std::move(keychain);
    keychainWorks_ = false;
    remembered_ = false;
    emit keychainChanged();
    if (!keychain_)
        return;
    keychain_->read(keychainKey(), [self = QPointer(this)](PassphraseKeychain::Result result, QString secret) {
        if (!self)
            return;
        self->keychainWorks_ = result != PassphraseKeychain::Result::Unavailable;
        self->remembered_ = result == PassphraseKeychain::Result::Ok && !secret.isEmpty();
        emit self->keychainChanged();
        if (self->remembered_ && self->state_ == State::Locked && !self->busy_)
            self->openStore(secret, true, true);
        secret.fill(QChar(0));
    });
}

void SessionController::rememberPassphrase(const QString& passphrase, bool remember)
{
    if (!keychain_ || !keychainWorks_ || (!remember && !remembered_))
        return;
    const auto finished = [self = QPointer(this), remember](PassphraseKeychain::Result result) {
        if (!self)
            return;
        if (result == PassphraseKeychain::Result::Unavailable)
            self->keychainWorks_ = false; // e.g. no Secret Service: stop offering it
        else
            self->remembered_ = remember;
        emit self->keychainChanged();
    };
    if (remember)
        keychain_->write(keychainKey(), passphrase, finished);
    else
        keychain_->remove(keychainKey(), finished);
}

void SessionController::forgetPassphrase()
{
    if (remembered_)
        rememberPassphrase(QString(), false);
}

QString SessionController::keychainKey() const
{
    return QStringLiteral("profile:%1").arg(QDir(profileDirectory_).absolutePath());
}

void SessionController::startEngine(const QUrl& relayUrl, const QString& handle)
{
    setError({});
    setBusy(true);
    if (!messaging_) {
        messaging_ = std::make_unique<MessagingService>(store_.get());
        connect(messaging_.get(), &MessagingService::stateChanged, this, &SessionController::connectionStateChanged);
    }
    messaging_->start(relayUrl, handle, [this](QString error) {
        setBusy(false);
        if (!error.isEmpty()) {
            if (state_ != State::Onboarding) {
                state_ = State::Onboarding; // unlocked, but never registered: finish the first run
                emit stateChanged();
            }
            return setError(error);
        }
        becomeReady();
    });
}

void SessionController::becomeReady()
{
    store_->startExpiryTimer();
    handle_ = messaging_->handle();
    chat_->attach(store_.get(), messaging_.get(), messaging_->userId());
    devices_->attach(messaging_.get());
    state_ = State::Ready;
    setBusy(false);
    emit stateChanged();
    emit connectionStateChanged();
}

} // namespace tenchat::ui
