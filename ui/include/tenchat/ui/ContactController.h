// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/AsyncStore.h"
#include <QObject>
#include <QPointer>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

class MessagingService;

// The contact of the open direct conversation: its handle, trust state and
// safety number (for the contact page and its QR code), "mark as verified",
// and whether its identity changed (the conversation's banner).
class ContactController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(QString handle READ handle NOTIFY changed)
    Q_PROPERTY(Trust trust READ trust NOTIFY changed)
    Q_PROPERTY(bool identityChanged READ identityChanged NOTIFY changed)
    Q_PROPERTY(QString safetyNumber READ safetyNumber NOTIFY safetyNumberChanged)
    Q_PROPERTY(QString safetyNumberError READ safetyNumberError NOTIFY safetyNumberChanged)
    // What the QR code holds: both sides scan and compare the same number.
    Q_PROPERTY(QString qrPayload READ qrPayload NOTIFY safetyNumberChanged)
    // The last failed action on this page, for its error banner ("" for none).
    Q_PROPERTY(QString lastError READ lastError NOTIFY errorOccurred)
public:
    enum class Trust { Unverified, Verified, Changed };
    Q_ENUM(Trust)

    explicit ContactController(QObject* parent = nullptr);

    void attach(core::store::AsyncStore* store, MessagingService* messaging);
    // The peer of the open direct conversation ("" for none).
    void setPeer(const QString& userId, const QString& handle);
    // The engine flagged a changed identity for this handle.
    void noteIdentityChanged(const QString& handle);

    QString handle() const { return handle_; }
    Trust trust() const { return trust_; }
    bool identityChanged() const { return trust_ == Trust::Changed; }
    QString safetyNumber() const { return safetyNumber_; }
    QString safetyNumberError() const { return safetyNumberError_; }
    QString qrPayload() const;
    QString lastError() const { return lastError_; }

    Q_INVOKABLE void loadSafetyNumber();
    // Accepts the contact's current keys as verified (also after a change;
    // releases the messages held meanwhile).
    Q_INVOKABLE void markVerified();
    Q_INVOKABLE void clearError();

Q_SIGNALS:
    void changed();
    void safetyNumberChanged();
    void errorOccurred(const QString& message);

private:
    void reloadTrust();
    void fail(const QString& message);

    QPointer<core::store::AsyncStore> store_;
    QPointer<MessagingService> messaging_;
    QString userId_;
    QString handle_;
    Trust trust_ = Trust::Unverified;
    QString safetyNumber_;
    QString safetyNumberError_;
    QString lastError_;
};

} // namespace tenchat::ui
