// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/SettingsController.h"

#include "tenchat/core/LibraryVersions.h"
#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/ui/PassphraseMeter.h"

#include <QGuiApplication>
#include <QHash>
#include <QPalette>
#include <QVariantMap>

#include <cmark.h>
#include <qrencode.h>

namespace tenchat::ui {

using namespace core::store;

SettingsController::SettingsController(QObject* parent) : QObject(parent)
{ }

bool SettingsController::systemIsDark()
{
    // Without a GUI application (tests, headless hosts) there is no system palette.
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        return false;
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

void SettingsController::attach(AsyncStore* store)
{
    store_ = store;
    using Values = QHash<QString, QByteArray>;
    store->query<Values>(
        [](ProfileStore& profile) {
            Values values;
            for (const char* key : { kTheme, kReadReceipts, kTyping, kPresence, kPreviews }) {
                auto value = profile.keyValues().setting(QString::fromLatin1(key));
                if (value && *value)
                    values.insert(QString::fromLatin1(key), **value);
            }
            // Earlier builds kept the privacy switches under keys the engine
            // never read: a choice made there still holds.
            const std::pair<const char*, const char*> legacy[] = { { "privacy.readReceipts", kReadReceipts },
                { "privacy.typingIndicators", kTyping }, { "privacy.presence", kPresence } };
            for (const auto& [oldKey, key] : legacy) {
                auto old = profile.keyValues().setting(QString::fromLatin1(oldKey));
                if (!old || !*old)
                    continue;
                if (!values.contains(QString::fromLatin1(key))
                    && profile.keyValues().setSetting(QString::fromLatin1(key), **old))
                    values.insert(QString::fromLatin1(key), **old);
            }
            return values;
        },
        this,
        [this](Values values) {
            const auto flag = [&](const char* key, bool fallback) {
                const QByteArray v = values.value(QString::fromLatin1(key));
                return v.isEmpty() ? fallback : v == "1";
            };
            readReceipts_ = flag(kReadReceipts, true);
            typing_ = flag(kTyping, true);
            presence_ = flag(kPresence, true);
            previews_ = flag(kPreviews, true);
            const int theme = values.value(QString::fromLatin1(kTheme)).toInt();
            themeMode_ = ThemeMode(qBound(0, theme, 2));
            emit changed();
            emit darkChanged(themeMode_ == ThemeMode::Dark || (themeMode_ == ThemeMode::System && systemIsDark()));
        });
}

void SettingsController::setThemeMode(ThemeMode mode)
{
    if (mode == themeMode_)
        return;
    themeMode_ = mode;
    save(kTheme, QByteArray::number(int(mode)));
    emit changed();
    emit darkChanged(mode == ThemeMode::Dark || (mode == ThemeMode::System && systemIsDark()));
}

void SettingsController::setFlag(bool& flag, bool on, const char* key)
{
    if (flag == on)
        return;
    flag = on;
    save(key, on ? "1" : "0");
    emit changed();
}

void SettingsController::save(const char* key, const QByteArray& value)
{
    if (!store_)
        return;
    store_->post([key = QString::fromLatin1(key), value](
                     ProfileStore& profile) { (void)profile.keyValues().setSetting(key, value); });
}

void SettingsController::changePassphrase(const QString& current, const QString& next, const QString& repeated)
{
    if (!store_ || passphraseBusy_)
        return;
    const auto finish = [this](bool ok, const QString& status) {
        passphraseBusy_ = false;
        passphraseOk_ = ok;
        passphraseStatus_ = status;
        emit passphraseStatusChanged();
    };
    if (next != repeated)
        return finish(false, tr("The new passphrases do not match."));
    if (!PassphraseMeter::acceptable(next))
        return finish(false, tr("The new passphrase is too weak. Use a longer one, ideally a few words."));
    passphraseBusy_ = true;
    passphraseStatus_ = tr("Changing the passphrase…");
    emit passphraseStatusChanged();
    // The secrets travel to the worker in byte arrays that are wiped there.
    store_->query<QString>(
        [oldBytes = current.toUtf8(), newBytes = next.toUtf8()](ProfileStore& profile) mutable {
            auto ok = profile.changePassphrase(std::string_view(oldBytes.constData(), size_t(oldBytes.size())),
                std::string_view(newBytes.constData(), size_t(newBytes.size())));
            oldBytes.fill('\0');
            newBytes.fill('\0');
            if (ok)
                return QString();
            return ok.error().code == StoreErrorCode::WrongPassphrase ? QStringLiteral("wrong") : ok.error().message;
        },
        this,
        [this, finish, next](QString error) {
            if (error.isEmpty()) {
                finish(true, tr("Passphrase changed."));
                emit passphraseReplaced(next);
                return;
            }
            if (error == QLatin1String("wrong"))
                return finish(false, tr("The current passphrase is not correct."));
            finish(false, tr("The passphrase could not be changed: %1").arg(error));
        });
}

QVariantList SettingsController::versions() const
{
    QVariantList out;
    const auto add = [&out](const QString& name, const QString& version) {
        out.append(QVariantMap { { QStringLiteral("name"), name }, { QStringLiteral("version"), version } });
    };
    add(QStringLiteral("TenChat"), QStringLiteral(TENCHAT_VERSION_STRING));
    add(QStringLiteral("Qt"), QString::fromLatin1(qVersion()));
    for (const auto& [name, version] : core::libraryVersions())
        add(name, version);
    add(QStringLiteral("cmark"), QString::fromLatin1(cmark_version_string()));
    int qrMajor = 0, qrMinor = 0, qrMicro = 0;
    QRcode_APIVersion(&qrMajor, &qrMinor, &qrMicro);
    add(QStringLiteral("libqrencode"), QStringLiteral("%1.%2.%3").arg(qrMajor).arg(qrMinor).arg(qrMicro));
    return out;
}

} // namespace tenchat::ui
