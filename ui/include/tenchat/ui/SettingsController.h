// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/PreferenceKeys.h"
#include "tenchat/core/store/AsyncStore.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

// The settings page: appearance, privacy switches (kept in the profile's
// settings, read by the engine), notifications, passphrase change (on the
// store's worker: Argon2id and the re-key never block the window) and the
// About section's versions.
class SettingsController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(ThemeMode themeMode READ themeMode WRITE setThemeMode NOTIFY changed)
    Q_PROPERTY(bool readReceipts READ readReceipts WRITE setReadReceipts NOTIFY changed)
    Q_PROPERTY(bool typingIndicators READ typingIndicators WRITE setTypingIndicators NOTIFY changed)
    Q_PROPERTY(bool presence READ presence WRITE setPresence NOTIFY changed)
    Q_PROPERTY(bool notificationPreviews READ notificationPreviews WRITE setNotificationPreviews NOTIFY changed)
    Q_PROPERTY(bool passphraseBusy READ passphraseBusy NOTIFY passphraseStatusChanged)
    Q_PROPERTY(QString passphraseStatus READ passphraseStatus NOTIFY passphraseStatusChanged)
    Q_PROPERTY(bool passphraseOk READ passphraseOk NOTIFY passphraseStatusChanged)
    // [{name, version}] of Qt and each crypto/storage library.
    Q_PROPERTY(QVariantList versions READ versions CONSTANT)
public:
    enum class ThemeMode { System, Light, Dark };
    Q_ENUM(ThemeMode)

    explicit SettingsController(QObject* parent = nullptr);
    void attach(core::store::AsyncStore* store);

    ThemeMode themeMode() const { return themeMode_; }
    void setThemeMode(ThemeMode mode);
    bool readReceipts() const { return readReceipts_; }
    void setReadReceipts(bool on) { setFlag(readReceipts_, on, kReadReceipts); }
    bool typingIndicators() const { return typing_; }
    void setTypingIndicators(bool on) { setFlag(typing_, on, kTyping); }
    bool presence() const { return presence_; }
    void setPresence(bool on)
    {
        const bool was = presence_;
        setFlag(presence_, on, kPresence);
        if (was != on)
            emit presenceSharingChanged(on);
    }
    bool notificationPreviews() const { return previews_; }
    void setNotificationPreviews(bool on) { setFlag(previews_, on, kPreviews); }

    bool passphraseBusy() const { return passphraseBusy_; }
    QString passphraseStatus() const { return passphraseStatus_; }
    bool passphraseOk() const { return passphraseOk_; }
    Q_INVOKABLE void changePassphrase(const QString& current, const QString& next, const QString& repeated);

    QVariantList versions() const;
    // Whether the system palette is dark (for "follow system").
    static bool systemIsDark();

    static constexpr const char* kTheme = "ui.theme";
    // The engine's own keys: it reads them before each receipt, typing or
    // presence message.
    static constexpr const char* kReadReceipts = core::messaging::PreferenceKeys::kReadReceipts;
    static constexpr const char* kTyping = core::messaging::PreferenceKeys::kTyping;
    static constexpr const char* kPresence = core::messaging::PreferenceKeys::kPresence;
    static constexpr const char* kPreviews = "notifications.previews";

Q_SIGNALS:
    void changed();
    // The effective palette: AppController follows it.
    void darkChanged(bool dark);
    void passphraseStatusChanged();
    // The profile now opens with `next` (a remembered passphrase follows it).
    void passphraseReplaced(const QString& next);
    // Presence switched on or off: contacts are told at once (ChatController).
    void presenceSharingChanged(bool on);

private:
    void setFlag(bool& flag, bool on, const char* key);
    void save(const char* key, const QByteArray& value);

    QPointer<core::store::AsyncStore> store_;
    ThemeMode themeMode_ = ThemeMode::System;
    bool readReceipts_ = true;
    bool typing_ = true;
    bool presence_ = true;
    bool previews_ = true;
    bool passphraseBusy_ = false;
    bool passphraseOk_ = false;
    QString passphraseStatus_;
};

} // namespace tenchat::ui
