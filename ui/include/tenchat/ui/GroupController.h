// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/ui/GroupMemberModel.h"
#include "tenchat/ui/MessagingService.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

// The group info page of the open group or channel: its name, kind,
// disappearing-messages time, the members with their roles
// (GroupMemberModel), and the actions this account may take: add a member
// by handle, remove one, change a role (owners), leave. Every action runs
// in the engine on the worker thread; the page shows progress and errors
// inline, and the members follow the engine's changes.
class GroupController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(QString conversationId READ conversationId NOTIFY changed)
    Q_PROPERTY(QString title READ title NOTIFY changed)
    Q_PROPERTY(bool channel READ channel NOTIFY changed)
    Q_PROPERTY(bool member READ member NOTIFY changed)
    Q_PROPERTY(int ownRole READ ownRole NOTIFY changed)
    Q_PROPERTY(QString ownRoleLabel READ ownRoleLabel NOTIFY changed)
    Q_PROPERTY(qint64 ttlSeconds READ ttlSeconds NOTIFY changed)
    Q_PROPERTY(QString ttlText READ ttlText NOTIFY changed)
    Q_PROPERTY(bool canAddMembers READ canAddMembers NOTIFY changed)
    Q_PROPERTY(tenchat::ui::GroupMemberModel* members READ members CONSTANT)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
public:
    // core::store::MemberRole, for QML.
    enum MemberRole { Member = 0, Moderator = 1, Admin = 2, Owner = 3 };
    Q_ENUM(MemberRole)

    explicit GroupController(QObject* parent = nullptr);
    void attach(MessagingService* messaging, const QString& selfUserId);

    // The open conversation; "" or a direct chat clears the page.
    void setConversation(const QString& conversationId, bool isGroup);
    // Shows `info` (tests and the worker's answers).
    void setInfo(const core::messaging::GroupInfo& info);

    QString conversationId() const { return conversationId_; }
    QString title() const { return info_.title; }
    bool channel() const { return info_.channel; }
    bool member() const { return info_.member; }
    int ownRole() const { return int(info_.ownRole); }
    QString ownRoleLabel() const;
    qint64 ttlSeconds() const { return info_.ttlSeconds; }
    QString ttlText() const { return ttlLabel(info_.ttlSeconds); }
    bool canAddMembers() const;
    GroupMemberModel* members() const { return members_; }
    bool busy() const { return busy_; }
    QString error() const { return error_; }

    // "Off", "1 hour", "1 day", "7 days" or a number of hours/days.
    static QString ttlLabel(qint64 seconds);

    Q_INVOKABLE void reload();
    // Adds `handle` (with or without '@'); false (and an inline error) when
    // it is not a valid handle or already a member.
    Q_INVOKABLE bool addMember(const QString& handle);
    Q_INVOKABLE void removeMember(const QString& userId);
    Q_INVOKABLE void setRole(const QString& userId, int role);
    Q_INVOKABLE void leave();
    Q_INVOKABLE void clearError();

Q_SIGNALS:
    void changed();
    void busyChanged();
    void errorChanged();
    // An action finished successfully (for the page's status line and tests).
    void actionDone(const QString& message);
    // This account left the group.
    void left(const QString& conversationId);

private:
    // Runs one engine action; `handle` names the member in error messages.
    void run(std::function<void(std::function<void(MessagingService::Failure)>)> start, const QString& handle,
        const QString& success);
    void setError(const QString& error);
    void setBusy(bool busy);

    QPointer<MessagingService> messaging_;
    QString selfUserId_;
    QString conversationId_;
    core::messaging::GroupInfo info_;
    GroupMemberModel* members_ = nullptr;
    bool busy_ = false;
    QString error_;
    quint64 generation_ = 0; // answers for a conversation no longer open are dropped
};

} // namespace tenchat::ui
