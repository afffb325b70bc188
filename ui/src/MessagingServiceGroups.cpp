// SPDX-License-Identifier: GPL-3.0-or-later
// MessagingService: groups and channels, typing and presence. Every call is
// a job on the store's worker thread; answers come back on the GUI thread.
#include "MessagingServiceEngine.h"
#include "tenchat/ui/ConversationFilterModel.h"

namespace tenchat::ui {

using core::messaging::GroupInfo;
using core::messaging::MessagingError;
using core::messaging::MessagingErrorCode;
using core::messaging::MessagingExpected;
using core::messaging::MessagingOk;
using core::messaging::Messenger;

namespace {

MessagingService::Failure failureOf(const MessagingError& error)
{
    return { error.message.isEmpty() ? QStringLiteral("%1").arg(QLatin1String(toString(error.code))) : error.message,
        error.code };
}

MessagingService::Failure notStarted()
{
    return { MessagingService::tr("Not connected to the messaging engine yet."), MessagingErrorCode::Network };
}

ConversationFilterModel::Presence presenceOf(Messenger::Presence presence)
{
    switch (presence) {
    case Messenger::Presence::Online: return ConversationFilterModel::Presence::Online;
    case Messenger::Presence::Away: return ConversationFilterModel::Presence::Away;
    case Messenger::Presence::Offline: return ConversationFilterModel::Presence::Offline;
    }
    return ConversationFilterModel::Presence::Unknown;
}

} // namespace

void MessagingService::connectEngineSignals(Messenger* m)
{
    QObject::connect(&m->groups(), &core::messaging::GroupEngine::groupChanged, m,
        [this](const QString& id) { toGui([this, id] { emit groupChanged(id); }); });
    QObject::connect(&m->groups(), &core::messaging::GroupEngine::removedFromGroup, m,
        [this](const QString& id) { toGui([this, id] { emit groupChanged(id); }); });
    QObject::connect(&m->groups(), &core::messaging::GroupEngine::undecryptedChanged, m,
        [this](const QString& id) { toGui([this, id] { emit undecryptedChanged(id); }); });
    QObject::connect(m, &Messenger::typingChanged, m, [this](const QString& id, const QString& from, bool typing) {
        toGui([this, id, from, typing] { emit typingChanged(id, from, typing); });
    });
    QObject::connect(m, &Messenger::presenceChanged, m, [this, m](const QString& handle, Messenger::Presence p) {
        auto direct = m->knownDirect(handle);
        const QString conversation = direct ? *direct : QString();
        const int presence = int(presenceOf(p));
        toGui([this, handle, conversation, presence] { emit presenceChanged(handle, conversation, presence); });
    });
}

void MessagingService::createGroup(const QString& title, const QStringList& handles, bool channel, quint32 ttlSeconds,
    std::function<void(QString, Failure)> done)
{
    withEngine([this, title, handles, channel, ttlSeconds, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done({}, notStarted()); });
        e.messenger->groups().create(
            title, handles, channel, ttlSeconds, [this, done](MessagingExpected<QString> created) {
                const QString id = created ? *created : QString();
                const Failure failure = created ? Failure {} : failureOf(created.error());
                toGui([done, id, failure] { done(id, failure); });
            });
    });
}

void MessagingService::groupInfo(const QString& conversationId, std::function<void(GroupInfo, Failure)> done)
{
    withEngine([this, conversationId, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done({}, notStarted()); });
        auto info = e.messenger->groups().info(conversationId);
        const GroupInfo value = info ? *info : GroupInfo {};
        const Failure failure = info ? Failure {} : failureOf(info.error());
        toGui([done, value, failure] { done(value, failure); });
    });
}

void MessagingService::addMember(const QString& conversationId, const QString& handle, GroupDone done)
{
    withEngine([this, conversationId, handle, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done(notStarted()); });
        e.messenger->groups().addMember(conversationId, handle, [this, done](MessagingOk ok) {
            const Failure failure = ok ? Failure {} : failureOf(ok.error());
            toGui([done, failure] { done(failure); });
        });
    });
}

void MessagingService::removeMember(const QString& conversationId, const QString& handle, GroupDone done)
{
    withEngine([this, conversationId, handle, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done(notStarted()); });
        e.messenger->groups().removeMember(conversationId, handle, [this, done](MessagingOk ok) {
            const Failure failure = ok ? Failure {} : failureOf(ok.error());
            toGui([done, failure] { done(failure); });
        });
    });
}

void MessagingService::setRole(
    const QString& conversationId, const QString& handle, core::store::MemberRole role, GroupDone done)
{
    withEngine([this, conversationId, handle, role, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done(notStarted()); });
        e.messenger->groups().setRole(conversationId, handle, role, [this, done](MessagingOk ok) {
            const Failure failure = ok ? Failure {} : failureOf(ok.error());
            toGui([done, failure] { done(failure); });
        });
    });
}

void MessagingService::leaveGroup(const QString& conversationId, GroupDone done)
{
    withEngine([this, conversationId, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done(notStarted()); });
        e.messenger->groups().leave(conversationId, [this, done](MessagingOk ok) {
            const Failure failure = ok ? Failure {} : failureOf(ok.error());
            toGui([done, failure] { done(failure); });
        });
    });
}

void MessagingService::undecrypted(
    const QString& conversationId, std::function<void(QList<core::messaging::UndecryptedEntry>)> done)
{
    withEngine([this, conversationId, done = std::move(done)](Engine& e) {
        QList<core::messaging::UndecryptedEntry> entries;
        if (e.messenger)
            entries
                = e.messenger->groups().undecrypted(conversationId).valueOr(QList<core::messaging::UndecryptedEntry>());
        toGui([done, entries] { done(entries); });
    });
}

void MessagingService::requestKeysAgain(const QString& conversationId, std::function<void(qint64)> done)
{
    withEngine([this, conversationId, done = std::move(done)](Engine& e) {
        const qint64 next = e.messenger ? e.messenger->groups().requestAgain(conversationId) : qint64(-1);
        toGui([done, next] { done(next); });
    });
}

void MessagingService::setTyping(const QString& conversationId, bool typing)
{
    withEngine([conversationId, typing](Engine& e) {
        if (e.messenger)
            e.messenger->setTyping(conversationId, typing);
    });
}

} // namespace tenchat::ui
