// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/ContactController.h"

#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/ui/MessagingService.h"

namespace tenchat::ui {

using namespace core::store;

ContactController::ContactController(QObject* parent) : QObject(parent)
{ }

void ContactController::attach(AsyncStore* store, MessagingService* messaging)
{
    store_ = store;
    messaging_ = messaging;
    if (messaging)
        connect(messaging, &MessagingService::identityChangeDetected, this, &ContactController::noteIdentityChanged);
}

void ContactController::setPeer(const QString& userId, const QString& handle)
{
    if (userId == userId_ && handle == handle_)
        return;
    userId_ = userId;
    handle_ = handle;
    trust_ = Trust::Unverified;
    safetyNumber_.clear();
    safetyNumberError_.clear();
    emit changed();
    emit safetyNumberChanged();
    clearError(); // another contact's page
    reloadTrust();
}

void ContactController::noteIdentityChanged(const QString& handle)
{
    if (handle == handle_)
        reloadTrust();
}

QString ContactController::qrPayload() const
{
    if (safetyNumber_.isEmpty())
        return {};
    QString digits = safetyNumber_;
    digits.remove(QLatin1Char(' '));
    return QStringLiteral("tenchat-safety-number:") + digits;
}

void ContactController::reloadTrust()
{
    if (!store_ || userId_.isEmpty())
        return;
    const QString userId = userId_;
    store_->query<int>(
        [userId](ProfileStore& profile) {
            auto contact = profile.keyValues().contact(userId);
            return contact && *contact ? int((*contact)->trust) : 0;
        },
        this,
        [this, userId](int trust) {
            if (userId != userId_)
                return;
            trust_ = Trust(qBound(0, trust, 2));
            emit changed();
        });
}

void ContactController::loadSafetyNumber()
{
    if (!messaging_ || handle_.isEmpty())
        return;
    const QString handle = handle_;
    messaging_->safetyNumber(handle, [this, handle](QString number, QString error) {
        if (handle != handle_)
            return;
        safetyNumber_ = number;
        safetyNumberError_
            = error.isEmpty() ? QString() : tr("No safety number yet: exchange a message with @%1 first.").arg(handle);
        emit safetyNumberChanged();
    });
}

void ContactController::markVerified()
{
    if (!messaging_ || handle_.isEmpty())
        return;
    const QString handle = handle_;
    messaging_->trust(handle, [this, handle](QString error) {
        if (handle != handle_)
            return;
        if (!error.isEmpty())
            return fail(tr("Could not mark @%1 as verified: %2").arg(handle, error));
        clearError();
        reloadTrust();
        loadSafetyNumber(); // a changed identity has a new number
    });
}

void ContactController::clearError()
{
    if (lastError_.isEmpty())
        return;
    lastError_.clear();
    emit errorOccurred({});
}

void ContactController::fail(const QString& message)
{
    lastError_ = message;
    emit errorOccurred(message);
}

} // namespace tenchat::ui
