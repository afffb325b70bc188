// SPDX-License-Identifier: GPL-3.0-or-later
// GroupEngine: creating groups and channels, members and roles, membership
// entries of the conversation log. Sender keys: GroupSenderKeys.cpp.
#include "tenchat/core/messaging/GroupEngine.h"

#include "GroupKeys.h"
#include "KeyRequestLimiter.h"
#include "MessagingUtil.h"
#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/core/store/Transaction.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <memory>

namespace tenchat::core::messaging {

using namespace util;

namespace {

QString relayReason(const tenchat::v1::Response& r)
{
    return QStringLiteral("%1 (status %2)").arg(QString::fromStdString(r.reason())).arg(int(r.status()));
}

MessagingError relayError(const tenchat::v1::Response& r)
{
    const auto code = r.status() == tenchat::v1::STATUS_FORBIDDEN ? MessagingErrorCode::Forbidden
        : r.status() == tenchat::v1::STATUS_NOT_FOUND             ? MessagingErrorCode::NotFound
                                                                  : MessagingErrorCode::Relay;
    return MessagingError { code, relayReason(r), int(r.status()) };
}

bool isGroupType(store::ConversationType type)
{
    return type == store::ConversationType::Group || type == store::ConversationType::Channel;
}

} // namespace

GroupEngine::GroupEngine(Messenger& messenger)
    : m_(messenger), requestLimiter_(std::make_unique<KeyRequestLimiter>()),
      // A requester may ask again for the same key after 30 s.
      answerLimiter_(std::make_unique<KeyRequestLimiter>(30'000, 30'000))
{
    requestTimer_.setSingleShot(true);
    connect(&requestTimer_, &QTimer::timeout, this, &GroupEngine::flushKeyRequests);
    connect(&m_.sync_, &SyncCoordinator::live, this, &GroupEngine::flushKeyRequests);
    loadKeyRequests(); // asked before a restart: not asked again before the limit allows
}

// --- queries ----------------------------------------------------------------

bool GroupEngine::isGroup(const QString& conversationId)
{
    auto type = m_.account_.store().conversations().type(conversationId);
    return type && type->has_value() && isGroupType(**type);
}

MessagingExpected<GroupInfo> GroupEngine::info(const QString& conversationId)
{
    auto& conversations = m_.account_.store().conversations();
    auto conv = conversations.get(conversationId);
    if (!conv)
        return fromStore(conv.error());
    if (!conv->has_value() || !isGroupType((*conv)->type))
        return messagingError(MessagingErrorCode::NotFound, QStringLiteral("no group %1").arg(conversationId));
    auto members = conversations.members(conversationId);
    if (!members)
        return fromStore(members.error());
    GroupInfo info;
    info.id = conversationId;
    info.title = (*conv)->title;
    info.channel = (*conv)->type == store::ConversationType::Channel;
    info.ttlSeconds = (*conv)->ttlMs / 1000;
    for (const auto& [user, role] : *members) {
        info.members.append(GroupMember { user, m_.handleOf(user), role });
        if (user == m_.account_.userIdHex()) {
            info.member = true;
            info.ownRole = role;
        }
    }
    return info;
}

MessagingExpected<QList<GroupInfo>> GroupEngine::list()
{
    auto summaries = m_.account_.store().conversations().summaries(true);
    if (!summaries)
        return fromStore(summaries.error());
    QList<GroupInfo> groups;
    for (const auto& summary : *summaries) {
        if (!isGroupType(summary.conversation.type))
            continue;
        auto one = info(summary.conversation.id);
        if (!one)
            return Unexpected(one.error());
        groups.append(*one);
    }
    return groups;
}

MessagingExpected<QString> GroupEngine::resolve(const QString& idOrName)
{
    if (idOrName.isEmpty())
        return messagingError(MessagingErrorCode::InvalidArgument, QStringLiteral("no group given"));
    if (isGroup(idOrName))
        return idOrName;
    auto groups = list();
    if (!groups)
        return Unexpected(groups.error());
    QStringList matches;
    for (const auto& g : *groups)
        if (g.title == idOrName)
            matches << g.id;
    if (matches.size() > 1)
        return messagingError(MessagingErrorCode::InvalidArgument,
            QStringLiteral("%1 groups are named '%2': use the conversation id").arg(matches.size()).arg(idOrName));
    if (matches.isEmpty())
        return messagingError(MessagingErrorCode::NotFound, QStringLiteral("no group '%1'").arg(idOrName));
    return matches.constFirst();
}

MessagingOk GroupEngine::canPost(const QString& conversationId)
{
    // Per queued message: the type alone (get() also computes the summary).
    auto type = m_.account_.store().conversations().type(conversationId);
    if (!type)
        return fromStore(type.error());
    if (!type->has_value())
        return messagingError(MessagingErrorCode::NotFound, QStringLiteral("no conversation %1").arg(conversationId));
    if (!isGroupType(**type))
        return {};
    auto members = m_.account_.store().conversations().members(conversationId);
    if (!members)
        return fromStore(members.error());
    for (const auto& [user, role] : *members) {
        if (user != m_.account_.userIdHex())
            continue;
        if (**type == store::ConversationType::Channel && role != store::MemberRole::Owner
            && role != store::MemberRole::Admin)
            return messagingError(
                MessagingErrorCode::Forbidden, QStringLiteral("only owners and admins post in this channel"));
        return {};
    }
    return messagingError(MessagingErrorCode::NotFound, QStringLiteral("not a member of this group any more"));
}

// --- management -------------------------------------------------------------

void GroupEngine::lookupUser(const QString& handle, std::function<void(MessagingExpected<QString>)> done)
{
    if (handle.isEmpty())
        return done(messagingError(MessagingErrorCode::InvalidArgument, QStringLiteral("empty handle")));
    if (auto known = m_.userIdOfHandle(handle))
        return done(known);
    if (!m_.sync_.isLive())
        return done(messagingError(
            MessagingErrorCode::Network, QStringLiteral("offline: @%1 is not a known contact").arg(handle)));
    tenchat::v1::Request lookup;
    lookup.mutable_lookup_handle()->set_handle(handle.toStdString());
    m_.sync_.client().request(lookup, [this, handle, done](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return done(Unexpected(r.error()));
        if (r->status() == tenchat::v1::STATUS_NOT_FOUND)
            return done(
                messagingError(MessagingErrorCode::NotFound, QStringLiteral("no user @%1 on this relay").arg(handle)));
        if (r->status() != tenchat::v1::STATUS_OK)
            return done(Unexpected(relayError(*r)));
        const QString user = hex(r->lookup_handle().user_id());
        if (auto ok = m_.saveContact(user, handle); !ok)
            return done(Unexpected(ok.error()));
        done(user);
    });
}

void GroupEngine::create(const QString& title, const QStringList& handles, bool channel, quint32 ttlSeconds,
    std::function<void(MessagingExpected<QString>)> done)
{
    if (title.trimmed().isEmpty())
        return done(messagingError(MessagingErrorCode::InvalidArgument, QStringLiteral("a group needs a name")));
    if (!m_.sync_.isLive())
        return done(messagingError(MessagingErrorCode::Network, QStringLiteral("offline: cannot create a group")));
    resolveHandles(handles, {}, [this, title, channel, ttlSeconds, done](MessagingExpected<QStringList> userIds) {
        if (!userIds)
            return done(Unexpected(userIds.error()));
        tenchat::v1::Request req;
        auto* create = req.mutable_create_conversation();
        create->set_kind(channel ? tenchat::v1::CONVERSATION_KIND_CHANNEL : tenchat::v1::CONVERSATION_KIND_GROUP);
        create->set_ttl_seconds(ttlSeconds);
        for (const auto& user : *userIds)
            if (user != m_.account_.userIdHex())
                create->add_member_user_ids(unhex(user));
        m_.sync_.client().request(req, [this, title, channel, done](MessagingExpected<tenchat::v1::Response> r) {
            if (!r)
                return done(Unexpected(r.error()));
            if (r->status() != tenchat::v1::STATUS_OK)
                return done(Unexpected(relayError(*r)));
            const auto& info = r->create_conversation().conversation();
            const QString convId = hex(info.conversation_id());
            auto& s = m_.account_.store();
            store::Transaction tx(s.database());
            store::Conversation conv;
            conv.id = convId;
            conv.type = channel ? store::ConversationType::Channel : store::ConversationType::Group;
            conv.title = title.trimmed();
            conv.ttlMs = qint64(info.ttl_seconds()) * 1000;
            conv.createdAt = qint64(info.created_ms());
            if (auto ok = s.conversations().save(conv); !ok)
                return done(fromStore(ok.error()));
            for (const auto& m : info.members())
                if (auto ok = s.conversations().setMember(convId, hex(m.user_id()), memberRole(m.role()), nowMs()); !ok)
                    return done(fromStore(ok.error()));
            if (auto ok = tx.commit(); !ok)
                return done(fromStore(ok.error()));
            emit groupChanged(convId);
            // The members learn the name and our key now, not with our first
            // message (if this fails, the first message hands it out).
            distribute(convId, [convId, done](MessagingOk) { done(convId); });
        });
    });
}

void GroupEngine::resolveHandles(
    QStringList pending, QStringList resolved, std::function<void(MessagingExpected<QStringList>)> done)
{
    if (pending.isEmpty())
        return done(resolved);
    const QString handle = pending.takeFirst();
    lookupUser(handle, [this, pending, resolved, done](MessagingExpected<QString> user) mutable {
        if (!user)
            return done(Unexpected(user.error()));
        resolved << *user;
        resolveHandles(pending, resolved, done);
    });
}

void GroupEngine::membershipRequest(const tenchat::v1::Request& request, std::function<void(MessagingOk)> done)
{
    if (!m_.sync_.isLive())
        return done(messagingError(MessagingErrorCode::Network, QStringLiteral("offline: try again when connected")));
    m_.sync_.client().request(request, [done](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return done(Unexpected(r.error()));
        if (r->status() != tenchat::v1::STATUS_OK)
            return done(Unexpected(relayError(*r)));
        done({});
    });
}

void GroupEngine::addMember(const QString& conversationId, const QString& handle, std::function<void(MessagingOk)> done)
{
    if (!isGroup(conversationId))
        return done(messagingError(MessagingErrorCode::NotFound, QStringLiteral("no group %1").arg(conversationId)));
    lookupUser(handle, [this, conversationId, done](MessagingExpected<QString> user) {
        if (!user)
            return done(Unexpected(user.error()));
        tenchat::v1::Request req;
        req.mutable_add_members()->set_conversation_id(unhex(conversationId));
        req.mutable_add_members()->add_user_ids(unhex(*user));
        req.mutable_add_members()->set_role(tenchat::v1::ROLE_MEMBER);
        membershipRequest(req, [this, conversationId, user = *user, done](MessagingOk ok) {
            if (!ok)
                return done(ok);
            // The membership entry follows in the log; record it now so the
            // new member gets our current sender key at once.
            (void)m_.account_.store().conversations().setMember(
                conversationId, user, store::MemberRole::Member, nowMs());
            emit groupChanged(conversationId);
            distribute(conversationId, [done](MessagingOk) { done({}); });
        });
    });
}

void GroupEngine::removeMember(
    const QString& conversationId, const QString& handle, std::function<void(MessagingOk)> done)
{
    if (!isGroup(conversationId))
        return done(messagingError(MessagingErrorCode::NotFound, QStringLiteral("no group %1").arg(conversationId)));
    lookupUser(handle, [this, conversationId, done](MessagingExpected<QString> user) {
        if (!user)
            return done(Unexpected(user.error()));
        if (*user == m_.account_.userIdHex())
            return leave(conversationId, done);
        tenchat::v1::Request req;
        req.mutable_remove_member()->set_conversation_id(unhex(conversationId));
        req.mutable_remove_member()->set_user_id(unhex(*user));
        membershipRequest(req, [this, conversationId, user = *user, done](MessagingOk ok) {
            if (!ok)
                return done(ok);
            auto& s = m_.account_.store();
            {
                store::Transaction tx(s.database());
                (void)s.conversations().removeMember(conversationId, user);
                if (auto marked = markRotation(conversationId); !marked)
                    return done(marked);
                if (auto committed = tx.commit(); !committed)
                    return done(fromStore(committed.error()));
            }
            emit groupChanged(conversationId);
            // A new sender key for the remaining members only.
            distribute(conversationId, [done](MessagingOk) { done({}); });
        });
    });
}

void GroupEngine::setRole(
    const QString& conversationId, const QString& handle, store::MemberRole role, std::function<void(MessagingOk)> done)
{
    if (!isGroup(conversationId))
        return done(messagingError(MessagingErrorCode::NotFound, QStringLiteral("no group %1").arg(conversationId)));
    const auto wire = role == store::MemberRole::Owner ? tenchat::v1::ROLE_OWNER
        : role == store::MemberRole::Admin             ? tenchat::v1::ROLE_ADMIN
                                                       : tenchat::v1::ROLE_MEMBER;
    lookupUser(handle, [this, conversationId, wire, done](MessagingExpected<QString> user) {
        if (!user)
            return done(Unexpected(user.error()));
        tenchat::v1::Request req;
        req.mutable_set_role()->set_conversation_id(unhex(conversationId));
        req.mutable_set_role()->set_user_id(unhex(*user));
        req.mutable_set_role()->set_role(wire);
        membershipRequest(req, [this, conversationId, user = *user, wire, done](MessagingOk ok) {
            if (!ok)
                return done(ok);
            (void)m_.account_.store().conversations().setMember(conversationId, user, memberRole(wire), nowMs());
            emit groupChanged(conversationId);
            done({});
        });
    });
}

void GroupEngine::leave(const QString& conversationId, std::function<void(MessagingOk)> done)
{
    if (!isGroup(conversationId))
        return done(messagingError(MessagingErrorCode::NotFound, QStringLiteral("no group %1").arg(conversationId)));
    tenchat::v1::Request req;
    req.mutable_remove_member()->set_conversation_id(unhex(conversationId));
    req.mutable_remove_member()->set_user_id(m_.account_.userId().toStdString());
    membershipRequest(req, [this, conversationId, done](MessagingOk ok) {
        if (!ok)
            return done(ok);
        auto& s = m_.account_.store();
        (void)s.conversations().removeMember(conversationId, m_.account_.userIdHex());
        (void)markRotation(conversationId); // a fresh key should we ever come back
        emit groupChanged(conversationId);
        emit removedFromGroup(conversationId);
        done({});
    });
}

void GroupEngine::reconcile(std::function<void(MessagingOk)> done)
{
    if (!m_.sync_.isLive())
        return done(messagingError(MessagingErrorCode::Network, QStringLiteral("offline")));
    tenchat::v1::Request req;
    req.mutable_list_conversations();
    m_.sync_.client().request(req, [this, done](MessagingExpected<tenchat::v1::Response> r) {
        if (!r)
            return done(Unexpected(r.error()));
        if (r->status() != tenchat::v1::STATUS_OK)
            return done(Unexpected(relayError(*r)));
        auto local = list();
        if (!local)
            return done(Unexpected(local.error()));
        QHash<QString, tenchat::v1::ConversationInfo> listed;
        for (const auto& info : r->list_conversations().conversations())
            listed.insert(hex(info.conversation_id()), info);
        auto& s = m_.account_.store();
        const QString self = m_.account_.userIdHex();
        QStringList changed;
        QStringList left;
        {
            store::Transaction tx(s.database());
            for (const auto& group : *local) {
                const auto it = listed.constFind(group.id);
                if (it == listed.cend()) {
                    if (group.member) {
                        (void)s.conversations().removeMember(group.id, self);
                        (void)markRotation(group.id);
                        left << group.id;
                    }
                    continue;
                }
                QSet<QString> current;
                for (const auto& m : it->members()) {
                    const QString user = hex(m.user_id());
                    current.insert(user);
                    (void)s.conversations().setMember(group.id, user, memberRole(m.role()), nowMs());
                }
                bool rotate = false;
                for (const auto& m : group.members)
                    if (!current.contains(m.userId)) {
                        (void)s.conversations().removeMember(group.id, m.userId);
                        rotate = true;
                    }
                if (rotate)
                    (void)markRotation(group.id);
                changed << group.id;
            }
            if (auto ok = tx.commit(); !ok)
                return done(fromStore(ok.error()));
        }
        for (const auto& id : changed)
            emit groupChanged(id);
        for (const auto& id : left) {
            emit groupChanged(id);
            emit removedFromGroup(id);
        }
        done({});
    });
}

MessagingOk GroupEngine::ensureGroup(const QString& conversationId, const QString& title)
{
    auto& conversations = m_.account_.store().conversations();
    auto existing = conversations.get(conversationId);
    if (!existing)
        return fromStore(existing.error());
    if (existing->has_value()) {
        if (!(*existing)->title.isEmpty() || title.isEmpty() || !isGroupType((*existing)->type))
            return {};
        store::Conversation conv = **existing;
        conv.title = title;
        if (auto ok = conversations.save(conv); !ok)
            return fromStore(ok.error());
        return {};
    }
    store::Conversation conv;
    conv.id = conversationId;
    conv.type = store::ConversationType::Group; // the relay's answer may make it a channel
    conv.title = title;
    conv.createdAt = nowMs();
    if (auto ok = conversations.save(conv); !ok)
        return fromStore(ok.error());
    if (auto ok = conversations.setMember(conversationId, m_.account_.userIdHex(), store::MemberRole::Member, nowMs());
        !ok)
        return fromStore(ok.error());
    m_.refreshConversation(conversationId);
    return {};
}

bool GroupEngine::applyMembership(const store::InboxEnvelope& envelope, const tenchat::v1::Entry& entry)
{
    auto& s = m_.account_.store();
    const QString conversationId = hex(entry.conversation_id());
    const auto action = entry.membership().action();
    bool removedSelf = false;
    bool rotate = false;
    QStringList users;
    {
        store::Transaction tx(s.database());
        if (auto ok = m_.ensureConversation(conversationId, entry); !ok)
            return false;
        auto before = s.conversations().members(conversationId);
        if (!before)
            return false;
        for (const auto& m : entry.membership().members()) {
            const QString user = hex(m.user_id());
            users << user;
            if (action == tenchat::v1::MembershipChange::ACTION_REMOVED) {
                const bool known = std::any_of(
                    before->cbegin(), before->cend(), [&](const auto& member) { return member.first == user; });
                if (!s.conversations().removeMember(conversationId, user))
                    return false;
                // Whoever left, the remaining senders move to a new key; and
                // we start afresh should we be added again. (Not twice when
                // we removed them ourselves and rotated already.)
                rotate = rotate || known;
                removedSelf = removedSelf || user == m_.account_.userIdHex();
            } else if (!s.conversations().setMember(
                           conversationId, user, memberRole(m.role()), qint64(entry.server_time_ms()))) {
                return false;
            }
        }
        if (rotate && !markRotation(conversationId))
            return false;
        if (!s.inbox().remove(envelope.id))
            return false;
        if (!tx.commit())
            return false;
    }
    for (const auto& user : users)
        m_.resolveContact(user);
    m_.announce([this, conversationId, removedSelf] {
        emit groupChanged(conversationId);
        if (removedSelf)
            emit removedFromGroup(conversationId);
        else if (m_.sync_.isLive())
            // Removed: rotate now, not at our next message. Added: the new
            // member gets our current key (devices that have it are skipped).
            distribute(conversationId, [](MessagingOk) {});
    });
    return true;
}

} // namespace tenchat::core::messaging
