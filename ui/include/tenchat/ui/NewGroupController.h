// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

class MessagingService;

// The "new group or channel" dialog: a name, members added one handle at a
// time (checked as they are added: format, duplicates, not oneself; whether
// the handle exists is the relay's answer at creation, shown inline on the
// handle it concerns), channel or group, and the disappearing-messages time.
// create() runs in the engine on the worker thread; created() carries the
// new conversation's id.
class NewGroupController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY changed)
    Q_PROPERTY(bool channel READ channel WRITE setChannel NOTIFY changed)
    Q_PROPERTY(int ttlSeconds READ ttlSeconds WRITE setTtlSeconds NOTIFY changed)
    Q_PROPERTY(QStringList handles READ handles NOTIFY changed)
    // A handle the relay did not know ("" when none): its chip is marked.
    Q_PROPERTY(QString rejectedHandle READ rejectedHandle NOTIFY changed)
    Q_PROPERTY(bool canCreate READ canCreate NOTIFY changed)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString handleError READ handleError NOTIFY errorChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    // [{label, seconds}]: off, 1 hour, 1 day, 7 days.
    Q_PROPERTY(QVariantList ttlChoices READ ttlChoices CONSTANT)
public:
    explicit NewGroupController(QObject* parent = nullptr);
    void attach(MessagingService* messaging, const QString& selfHandle);

    QString name() const { return name_; }
    void setName(const QString& name);
    bool channel() const { return channel_; }
    void setChannel(bool channel);
    int ttlSeconds() const { return ttlSeconds_; }
    void setTtlSeconds(int seconds);
    QStringList handles() const { return handles_; }
    QString rejectedHandle() const { return rejected_; }
    bool canCreate() const;
    bool busy() const { return busy_; }
    QString handleError() const { return handleError_; }
    QString error() const { return error_; }
    QVariantList ttlChoices() const;

    static constexpr int kMaxNameLength = 64;
    static constexpr int kMaxMembers = 256;

    Q_INVOKABLE void reset();
    // Adds a member by handle (with or without '@'); false with handleError set when refused.
    Q_INVOKABLE bool addHandle(const QString& text);
    Q_INVOKABLE void removeHandle(const QString& handle);
    Q_INVOKABLE void create();

Q_SIGNALS:
    void changed();
    void busyChanged();
    void errorChanged();
    void created(const QString& conversationId);

private:
    void setErrors(const QString& handleError, const QString& error);

    QPointer<MessagingService> messaging_;
    QString selfHandle_;
    QString name_;
    bool channel_ = false;
    int ttlSeconds_ = 0;
    QStringList handles_;
    QString rejected_;
    bool busy_ = false;
    QString handleError_;
    QString error_;
};

} // namespace tenchat::ui
