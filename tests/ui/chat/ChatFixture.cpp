// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChatFixture.h"

#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/core/store/Ulid.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace tenchat::testing {

using namespace core::store;

namespace {

class Builder {
public:
    explicit Builder(ProfileStore& store) : store_(store), now_(QDateTime::currentMSecsSinceEpoch()) { }

    QString error;

    void conversation(const QString& id, ConversationType type, const QString& title, bool muted = false)
    {
        Conversation c;
        c.id = id;
        c.type = type;
        c.title = title;
        c.muted = muted;
        c.createdAt = now_ - 3 * 86400000LL;
        check(store_.conversations().save(c));
        check(store_.conversations().setMember(id, ChatFixture::kSelf, MemberRole::Owner, c.createdAt));
    }

    void member(const QString& conversation, const QString& user, const QString& name)
    {
        check(store_.conversations().setMember(conversation, user, MemberRole::Member, now_));
        check(store_.keyValues().saveContact(Contact { user, name, ContactTrust::Unverified, false }, now_));
    }

    // A message `minutesAgo` before now, from `sender` ("me" is outgoing).
    QString message(const QString& conversation, const QString& sender, qint64 minutesAgo, const QString& body,
        DeliveryState delivery = DeliveryState::Read, const QString& replyTo = {},
        const QString& contentType = QStringLiteral("text/plain"))
    {
        Message m;
        m.id = ulids_.next(quint64(now_ - minutesAgo * 60000));
        m.conversationId = conversation;
        m.senderUserId = sender;
        m.senderDeviceId = 1;
        m.outgoing = sender == QLatin1String(ChatFixture::kSelf);
        if (delivery != DeliveryState::Queued)
            m.serverSeq = ++seq_;
        m.lamport = seq_;
        m.sentAt = now_ - minutesAgo * 60000;
        m.receivedAt = m.sentAt;
        m.body = body;
        m.replyTo = replyTo;
        m.contentType = contentType;
        m.delivery = m.outgoing ? delivery : DeliveryState::Delivered;
        m.read = m.outgoing;
        auto inserted = store_.messages().insert(m);
        if (!inserted)
            error = inserted.error().message;
        return m.id;
    }

    template <class R> void check(const R& result)
    {
        if (!result && error.isEmpty())
            error = result.error().message;
    }

    ProfileStore& store_;
    qint64 now_;
    qint64 seq_ = 0;
    UlidGenerator ulids_;
};

} // namespace

QString ChatFixture::create(const QString& dir)
{
    ProfileOptions options;
    options.kdf = crypto::Argon2Params::forTests();
    auto created = ProfileStore::create(dir, kPassphrase, options);
    if (!created)
        return created.error().message;
    ProfileStore& store = **created;
    Builder b(store);
    b.check(store.account().setProfile(ProfileInfo { kSelf, QStringLiteral("Sam"), QString(), b.now_ }));
    // The registration as Account keeps it (the identity is created on first open).
    b.check(store.keyValues().setSetting(QStringLiteral("account.relay"), QByteArray("ws://127.0.0.1:9")));
    b.check(store.keyValues().setSetting(QStringLiteral("account.handle"), QByteArray(kHandle)));
    b.check(store.keyValues().setSetting(QStringLiteral("account.userId"), QByteArray::fromHex(kSelf)));
    b.check(store.keyValues().setSetting(QStringLiteral("account.deviceId"), QByteArray("1")));

    b.conversation(kChannel, ConversationType::Channel, QStringLiteral("TenChat News"));
    b.message(kChannel, QStringLiteral("news"), 60 * 30,
        QStringLiteral("Version 0.1 is out: encrypted groups and a new desktop client."));
    b.member(kChannel, QStringLiteral("news"), QStringLiteral("TenChat"));

    b.conversation(kBob, ConversationType::Direct, QStringLiteral("Bob Chen"), true);
    b.member(kBob, QStringLiteral("bob"), QStringLiteral("Bob Chen"));
    b.message(kBob, QStringLiteral("bob"), 60 * 26, QStringLiteral("Did you see the match?"));
    b.message(kBob, QStringLiteral("bob"), 60 * 25, QStringLiteral("Unbelievable ending."));

    b.conversation(QStringLiteral("c-family"), ConversationType::Group, QStringLiteral("Family"));
    b.member(QStringLiteral("c-family"), QStringLiteral("mum"), QStringLiteral("Mum"));
    b.message(QStringLiteral("c-family"), QStringLiteral("mum"), 60 * 5, QStringLiteral("Dinner on Sunday at 7?"));
    b.message(QStringLiteral("c-family"), kSelf, 60 * 4, QStringLiteral("Sounds good, I'll bring dessert."));
    b.check(store.conversations().markRead(QStringLiteral("c-family")));

    b.conversation(kAlice, ConversationType::Direct, QStringLiteral("Alice Martin"));
    b.member(kAlice, QStringLiteral("alice"), QStringLiteral("Alice Martin"));
    b.message(kAlice, kSelf, 90, QStringLiteral("Are we still on for the review?"));
    b.message(kAlice, QStringLiteral("alice"), 40, QStringLiteral("Yes! Give me ten minutes."));
    b.message(kAlice, QStringLiteral("alice"), 39, QStringLiteral("Pulling the latest build now."));
    b.message(kAlice, QStringLiteral("alice"), 12, QStringLiteral("Ready when you are."));
    b.message(kAlice, kSelf, 11,
        QStringLiteral("Notes are **here**: https://example.org/review and `build 42`.\n"
                       "<b>raw html stays text</b> ![logo](https://example.org/logo.png)"),
        DeliveryState::Failed);

    b.conversation(kGroup, ConversationType::Group, QStringLiteral("Design team"));
    b.member(kGroup, QStringLiteral("alice"), QStringLiteral("Alice Martin"));
    b.member(kGroup, QStringLiteral("bob"), QStringLiteral("Bob Chen"));
    b.member(kGroup, QStringLiteral("carol"), QStringLiteral("Carol Diaz"));
    b.message(kGroup, QStringLiteral("alice"), 60 * 28, QStringLiteral("Morning! I pushed the new bubble styles."));
    b.message(kGroup, QStringLiteral("alice"), 60 * 28 - 1, QStringLiteral("Screenshots are in the design folder."));
    const QString question = b.message(kGroup, QStringLiteral("bob"), 60 * 27,
        QStringLiteral("Do we round the corners on both sides or only the outer one?"));
    b.message(
        kGroup, kSelf, 60 * 26, QStringLiteral("Both sides, 16 px. It reads calmer."), DeliveryState::Read, question);
    const QString deleted = b.message(kGroup, QStringLiteral("carol"), 60 * 25, QStringLiteral("oops, wrong chat"));
    b.check(store.messages().tombstone(deleted));
    const QString poll = b.message(kGroup, QStringLiteral("carol"), 95, QStringLiteral("{}"), DeliveryState::Read, {},
        QStringLiteral("application/x-tenchat-poll"));
    (void)poll;
    const QString edited
        = b.message(kGroup, QStringLiteral("bob"), 70, QStringLiteral("Dark mode palette is ready for review."));
    b.check(store.messages().edit(
        edited, QStringLiteral("The dark mode palette is ready for review."), b.now_ - 65 * 60000));
    b.check(store.messages().addReaction(edited, QStringLiteral("alice"), QStringLiteral("👍"), b.now_));
    b.check(store.messages().addReaction(edited, kSelf, QStringLiteral("👍"), b.now_));
    b.check(store.messages().addReaction(edited, QStringLiteral("carol"), QStringLiteral("🎉"), b.now_));
    b.message(
        kGroup, kSelf, 50, QStringLiteral("Looks great. Shipping it in today's build."), DeliveryState::Delivered);
    b.message(kGroup, QStringLiteral("alice"), 20, QStringLiteral("Perfect, thanks!"));
    b.message(kGroup, QStringLiteral("carol"), 15,
        QStringLiteral("One more thing: the composer should grow with multi-line messages,\nup to about five lines."));
    b.message(kGroup, kSelf, 5, QStringLiteral("On it."), DeliveryState::Sent);
    b.message(kGroup, kSelf, 1, QStringLiteral("Sending this one while offline."), DeliveryState::Queued);
    b.check(store.conversations().markRead(kGroup));

    const QByteArray pinned
        = QJsonDocument(QJsonArray { QString::fromLatin1(kChannel) }).toJson(QJsonDocument::Compact);
    b.check(store.keyValues().setSetting(QStringLiteral("ui.pinned"), pinned));
    return b.error;
}

std::unique_ptr<AsyncStore> ChatFixture::createAndOpen(const QString& dir, QString* error)
{
    QString failure = create(dir);
    if (failure.isEmpty()) {
        auto opened = ProfileStore::open(dir, kPassphrase);
        if (opened)
            return std::make_unique<AsyncStore>(std::move(*opened));
        failure = opened.error().message;
    }
    if (error)
        *error = failure;
    return nullptr;
}

} // namespace tenchat::testing
