// SPDX-License-Identifier: GPL-3.0-or-later
// The view-models behind groups and the conversation list's actions, under
// QAbstractItemModelTester where they are models: the group member list
// (order, role labels, what this account may do, row-level updates), the
// group info and new-group controllers' validation, typing indicators
// (throttled sending, names, expiry), presence in the list, and pin, mute
// and local delete persisted in the (fixture) profile.
#include "ChatFixture.h"

#include "tenchat/core/messaging/PreferenceKeys.h"
#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/ConversationListModel.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/ConversationFilterModel.h"
#include "tenchat/ui/GroupController.h"
#include "tenchat/ui/GroupMemberModel.h"
#include "tenchat/ui/NewGroupController.h"
#include "tenchat/ui/SettingsController.h"
#include "tenchat/ui/TypingController.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace tenchat::core::store;
using tenchat::core::messaging::GroupInfo;
using tenchat::core::messaging::GroupMember;
using tenchat::testing::ChatFixture;
using tenchat::ui::ConversationFilterModel;
using tenchat::ui::GroupController;
using tenchat::ui::GroupMemberModel;
using tenchat::ui::NewGroupController;
using tenchat::ui::TypingController;

namespace {

const QString kSelf = QStringLiteral("00aa");

GroupInfo designGroup(MemberRole ownRole, bool channel = false)
{
    GroupInfo info;
    info.id = QStringLiteral("g1");
    info.title = QStringLiteral("Design team");
    info.channel = channel;
    info.ttlSeconds = 86400;
    info.member = true;
    info.ownRole = ownRole;
    info.members = {
        GroupMember { QStringLiteral("00dd"), QStringLiteral("dave"), MemberRole::Member },
        GroupMember { QStringLiteral("00bb"), QStringLiteral("bob"), MemberRole::Admin },
        GroupMember { kSelf, QStringLiteral("sam"), ownRole },
        GroupMember { QStringLiteral("00cc"), QStringLiteral("carol"), MemberRole::Member },
    };
    return info;
}

QStringList names(const GroupMemberModel& model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, 0).data(GroupMemberModel::NameRole).toString();
    return out;
}

} // namespace

class GroupViewModelsTest : public QObject {
    Q_OBJECT
private slots:
    void memberModelOrdersAndLabels();
    void memberModelPermissionsFollowOwnRole();
    void memberModelUpdatesRowsWithoutReset();
    void groupControllerValidatesAndDescribes();
    void newGroupControllerValidatesHandles();
    void typingIsThrottledAndStops();
    void typingNamesAndExpiry();
    void presenceRoleInConversationList();
    void pinMuteAndDeleteArePersisted();
    void privacySwitchesUseTheEngineKeys();
};

void GroupViewModelsTest::memberModelOrdersAndLabels()
{
    GroupMemberModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setGroup(designGroup(MemberRole::Owner), kSelf);
    QCOMPARE(model.count(), 4);
    // Owners, then admins, then members by name.
    QCOMPARE(names(model), (QStringList { "sam", "bob", "carol", "dave" }));
    const QModelIndex self = model.index(0, 0);
    QVERIFY(self.data(GroupMemberModel::IsSelfRole).toBool());
    QCOMPARE(self.data(GroupMemberModel::RoleLabelRole).toString(), QStringLiteral("Owner"));
    QCOMPARE(self.data(GroupMemberModel::InitialsRole).toString(), QStringLiteral("S"));
    QCOMPARE(model.index(1, 0).data(GroupMemberModel::RoleLabelRole).toString(), QStringLiteral("Admin"));
    QCOMPARE(model.index(2, 0).data(GroupMemberModel::RoleLabelRole).toString(), QStringLiteral("Member"));
    QCOMPARE(model.index(2, 0).data(GroupMemberModel::MemberRoleRole).toInt(), int(GroupController::Member));
    // In a channel a plain member reads.
    model.setGroup(designGroup(MemberRole::Owner, true), kSelf);
    QCOMPARE(model.index(2, 0).data(GroupMemberModel::RoleLabelRole).toString(), QStringLiteral("Reader"));
    // A member whose handle is unknown shows a short id and offers no actions.
    GroupInfo info = designGroup(MemberRole::Owner);
    info.members.append(GroupMember { QStringLiteral("0123456789abcdef"), QString(), MemberRole::Member });
    model.setGroup(info, kSelf);
    const int unknown = model.rowOfUser(QStringLiteral("0123456789abcdef"));
    QVERIFY(unknown >= 0);
    QCOMPARE(model.index(unknown, 0).data(GroupMemberModel::NameRole).toString(), QStringLiteral("01234567"));
    QVERIFY(!model.index(unknown, 0).data(GroupMemberModel::CanRemoveRole).toBool());
}

void GroupViewModelsTest::memberModelPermissionsFollowOwnRole()
{
    GroupMemberModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto can = [&model](const char* name, int role) {
        return model.index(names(model).indexOf(QLatin1String(name)), 0).data(role).toBool();
    };
    // Owner: removes anyone, changes every other member's role; never itself.
    model.setGroup(designGroup(MemberRole::Owner), kSelf);
    QVERIFY(can("bob", GroupMemberModel::CanRemoveRole));
    QVERIFY(can("carol", GroupMemberModel::CanRemoveRole));
    QVERIFY(can("bob", GroupMemberModel::CanChangeRoleRole));
    QVERIFY(!can("sam", GroupMemberModel::CanRemoveRole));
    QVERIFY(!can("sam", GroupMemberModel::CanChangeRoleRole));

    // Admin: removes plain members only, changes no role (the relay's rules).
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setGroup(designGroup(MemberRole::Admin), kSelf);
    QVERIFY(changed.count() >= 1);
    QVERIFY(can("carol", GroupMemberModel::CanRemoveRole));
    QVERIFY(!can("bob", GroupMemberModel::CanRemoveRole));
    QVERIFY(!can("carol", GroupMemberModel::CanChangeRoleRole));

    // Member: nothing.
    model.setGroup(designGroup(MemberRole::Member), kSelf);
    for (const char* name : { "bob", "carol", "dave" }) {
        QVERIFY(!can(name, GroupMemberModel::CanRemoveRole));
        QVERIFY(!can(name, GroupMemberModel::CanChangeRoleRole));
    }
    // No longer a member: nothing either.
    GroupInfo left = designGroup(MemberRole::Owner);
    left.member = false;
    model.setGroup(left, kSelf);
    QVERIFY(!can("carol", GroupMemberModel::CanRemoveRole));
}

void GroupViewModelsTest::memberModelUpdatesRowsWithoutReset()
{
    GroupMemberModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setGroup(designGroup(MemberRole::Owner), kSelf);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy moves(&model, &QAbstractItemModel::rowsMoved);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removes(&model, &QAbstractItemModel::rowsRemoved);

    // dave becomes admin: moves up next to bob.
    GroupInfo info = designGroup(MemberRole::Owner);
    info.members[0].role = MemberRole::Admin;
    model.setGroup(info, kSelf);
    QCOMPARE(names(model), (QStringList { "sam", "bob", "dave", "carol" }));
    QCOMPARE(moves.count(), 1);
    QCOMPARE(model.index(2, 0).data(GroupMemberModel::RoleLabelRole).toString(), QStringLiteral("Admin"));

    // carol is removed, erin joins.
    info.members.removeLast();
    info.members.append(GroupMember { QStringLiteral("00ee"), QStringLiteral("erin"), MemberRole::Member });
    model.setGroup(info, kSelf);
    QCOMPARE(names(model), (QStringList { "sam", "bob", "dave", "erin" }));
    QCOMPARE(removes.count(), 1);
    QCOMPARE(inserts.count(), 1);

    model.clear();
    QCOMPARE(model.count(), 0);
    QCOMPARE(resets.count(), 0);
}

void GroupViewModelsTest::groupControllerValidatesAndDescribes()
{
    GroupController group;
    group.setConversation(QStringLiteral("g1"), true);
    QSignalSpy changed(&group, &GroupController::changed);
    group.setInfo(designGroup(MemberRole::Owner));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(group.title(), QStringLiteral("Design team"));
    QCOMPARE(group.members()->count(), 4);
    QVERIFY(group.canAddMembers());
    QCOMPARE(group.ttlText(), QStringLiteral("1 day"));
    QCOMPARE(group.ownRoleLabel(), QStringLiteral("Owner"));
    // Answers for another conversation are ignored.
    GroupInfo other = designGroup(MemberRole::Member);
    other.id = QStringLiteral("g2");
    group.setInfo(other);
    QCOMPARE(group.ownRole(), int(GroupController::Owner));

    QVERIFY(!group.addMember(QStringLiteral("@B!")));
    QVERIFY(group.error().contains(QStringLiteral("3 to 32")));
    QVERIFY(!group.addMember(QStringLiteral("@Carol")));
    QCOMPARE(group.error(), QStringLiteral("@carol is already a member."));
    group.clearError();
    QVERIFY(group.error().isEmpty());

    // A plain member may not add.
    group.setInfo(designGroup(MemberRole::Member));
    QVERIFY(!group.canAddMembers());
    QVERIFY(!group.addMember(QStringLiteral("erin")));
    QVERIFY(group.error().contains(QStringLiteral("owners and admins")));
    group.setRole(QStringLiteral("00bb"), GroupController::Member);
    QVERIFY(group.error().contains(QStringLiteral("Only owners")));

    // A direct chat clears the page.
    group.setConversation(QStringLiteral("d1"), false);
    QCOMPARE(group.conversationId(), QString());
    QCOMPARE(group.members()->count(), 0);

    QCOMPARE(GroupController::ttlLabel(0), QStringLiteral("Off"));
    QCOMPARE(GroupController::ttlLabel(3600), QStringLiteral("1 hour"));
    QCOMPARE(GroupController::ttlLabel(7 * 86400), QStringLiteral("7 days"));
    QCOMPARE(GroupController::ttlLabel(2 * 3600), QStringLiteral("2 hours"));
    QCOMPARE(GroupController::ttlLabel(90), QStringLiteral("90 seconds"));
}

void GroupViewModelsTest::newGroupControllerValidatesHandles()
{
    NewGroupController dialog;
    dialog.attach(nullptr, QStringLiteral("sam"));
    QCOMPARE(dialog.ttlChoices().size(), 4);
    QVERIFY(!dialog.canCreate());

    QVERIFY(dialog.addHandle(QStringLiteral(" @Bob ")));
    QVERIFY(dialog.addHandle(QStringLiteral("carol")));
    QCOMPARE(dialog.handles(), (QStringList { "bob", "carol" }));
    QVERIFY(!dialog.addHandle(QStringLiteral("bob")));
    QVERIFY(dialog.handleError().contains(QStringLiteral("already")));
    QVERIFY(!dialog.addHandle(QStringLiteral("@sam")));
    QVERIFY(dialog.handleError().contains(QStringLiteral("owner")));
    QVERIFY(!dialog.addHandle(QStringLiteral("a b")));
    QVERIFY(dialog.handleError().contains(QStringLiteral("3 to 32")));
    QVERIFY(!dialog.addHandle(QString()));
    QVERIFY(dialog.addHandle(QStringLiteral("dave")));
    QVERIFY(dialog.handleError().isEmpty());
    dialog.removeHandle(QStringLiteral("carol"));
    QCOMPARE(dialog.handles(), (QStringList { "bob", "dave" }));

    // No name: refused before the engine is asked.
    dialog.create();
    QVERIFY(dialog.error().contains(QStringLiteral("name")));
    QVERIFY(!dialog.busy());
    dialog.setName(QStringLiteral("  Weekend  "));
    QVERIFY(dialog.canCreate());
    QVERIFY(dialog.error().isEmpty());
    dialog.setChannel(true);
    dialog.setTtlSeconds(3600);
    // No engine: an inline error, nothing pending.
    dialog.create();
    QVERIFY(!dialog.error().isEmpty());
    QVERIFY(!dialog.busy());

    dialog.reset();
    QVERIFY(dialog.handles().isEmpty());
    QVERIFY(!dialog.channel());
    QCOMPARE(dialog.ttlSeconds(), 0);
    QVERIFY(dialog.name().isEmpty());
    QVERIFY(dialog.error().isEmpty());
}

void GroupViewModelsTest::typingIsThrottledAndStops()
{
    TypingController typing;
    QList<QPair<QString, bool>> sent;
    bool enabled = true;
    typing.setSender([&sent](const QString& id, bool on) { sent.append({ id, on }); });
    typing.setEnabledCheck([&enabled] { return enabled; });
    typing.setIntervals(400, 300, 1000);

    typing.composerEdited(QStringLiteral("h")); // no conversation open: nothing
    QVERIFY(sent.isEmpty());
    typing.setConversation(QStringLiteral("c1"));
    for (const char* text : { "h", "he", "hel", "hell", "hello" })
        typing.composerEdited(QLatin1String(text));
    QCOMPARE(sent.size(), 1); // throttled
    QCOMPARE(sent[0], qMakePair(QStringLiteral("c1"), true));
    // An idle pause sends "stopped".
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 2, 5000);
    QCOMPARE(sent[1], qMakePair(QStringLiteral("c1"), false));

    // After the resend interval, typing goes out again; sending stops it at once.
    typing.composerEdited(QStringLiteral("hello again"));
    QCOMPARE(sent.size(), 3);
    typing.stop();
    QCOMPARE(sent.size(), 4);
    QCOMPARE(sent[3].second, false);
    typing.stop(); // nothing more to stop
    QCOMPARE(sent.size(), 4);

    // Clearing the text or switching conversations stops it too.
    typing.composerEdited(QStringLiteral("x"));
    typing.setConversation(QStringLiteral("c2"));
    QCOMPARE(sent.size(), 6);
    QCOMPARE(sent[5], qMakePair(QStringLiteral("c1"), false));

    // The setting off: nothing is sent.
    enabled = false;
    typing.composerEdited(QStringLiteral("secret"));
    QCOMPARE(sent.size(), 6);
}

void GroupViewModelsTest::typingNamesAndExpiry()
{
    TypingController typing;
    typing.setIntervals(400, 300, 600);
    typing.setConversation(QStringLiteral("c1"));
    QSignalSpy text(&typing, &TypingController::textChanged);
    typing.onRemoteTyping(QStringLiteral("c1"), QStringLiteral("Alice"), true);
    QCOMPARE(typing.text(), QStringLiteral("Alice is typing…"));
    typing.onRemoteTyping(QStringLiteral("c1"), QStringLiteral("Bob"), true);
    QCOMPARE(typing.text(), QStringLiteral("Alice and Bob are typing…"));
    typing.onRemoteTyping(QStringLiteral("c2"), QStringLiteral("Carol"), true);
    QCOMPARE(typing.typingIn(QStringLiteral("c2")), QStringList { QStringLiteral("Carol") });
    typing.onRemoteTyping(QStringLiteral("c1"), QStringLiteral("Alice"), false);
    QCOMPARE(typing.text(), QStringLiteral("Bob is typing…"));
    // A lost "stopped": the entry expires on its own.
    QTRY_COMPARE_WITH_TIMEOUT(typing.text(), QString(), 5000);
    QVERIFY(typing.typingIn(QStringLiteral("c2")).isEmpty());
    QVERIFY(text.count() >= 4);
    // The open conversation decides what is shown.
    typing.onRemoteTyping(QStringLiteral("c2"), QStringLiteral("Carol"), true);
    QCOMPARE(typing.text(), QString());
    typing.setConversation(QStringLiteral("c2"));
    QCOMPARE(typing.text(), QStringLiteral("Carol is typing…"));
}

void GroupViewModelsTest::presenceRoleInConversationList()
{
    QTemporaryDir root;
    const QString dir = root.filePath(QStringLiteral("p"));
    QVERIFY2(ChatFixture::create(dir).isEmpty(), "fixture");
    auto opened = ProfileStore::open(dir, ChatFixture::kPassphrase);
    QVERIFY(opened);
    AsyncStore store(std::move(*opened));
    ConversationListModel list(&store);
    ConversationFilterModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&list);
    QTRY_COMPARE(proxy.count(), 5);
    const QString alice = QString::fromLatin1(ChatFixture::kAlice);
    const auto presence
        = [&] { return proxy.index(proxy.rowOfId(alice), 0).data(ConversationFilterModel::PresenceRole).toInt(); };
    QCOMPARE(presence(), int(ConversationFilterModel::Presence::Unknown));
    QSignalSpy changed(&proxy, &QAbstractItemModel::dataChanged);
    proxy.setPresence(alice, ConversationFilterModel::Presence::Online);
    QCOMPARE(presence(), int(ConversationFilterModel::Presence::Online));
    QCOMPARE(changed.count(), 1);
    proxy.setPresence(alice, ConversationFilterModel::Presence::Online); // unchanged: no signal
    QCOMPARE(changed.count(), 1);
    proxy.setPresence(alice, ConversationFilterModel::Presence::Away);
    QCOMPARE(presence(), int(ConversationFilterModel::Presence::Away));
}

void GroupViewModelsTest::pinMuteAndDeleteArePersisted()
{
    QTemporaryDir root;
    const QString dir = root.filePath(QStringLiteral("p"));
    QVERIFY2(ChatFixture::create(dir).isEmpty(), "fixture");
    const QString alice = QString::fromLatin1(ChatFixture::kAlice);
    const QString bob = QString::fromLatin1(ChatFixture::kBob);
    const QString channel = QString::fromLatin1(ChatFixture::kChannel);
    {
        auto opened = ProfileStore::open(dir, ChatFixture::kPassphrase);
        QVERIFY(opened);
        AsyncStore store(std::move(*opened));
        tenchat::ui::ChatController chat;
        chat.attach(&store, nullptr, QString::fromLatin1(ChatFixture::kSelf));
        auto* list = chat.conversations();
        QAbstractItemModelTester tester(list, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE(list->count(), 5);
        QTRY_COMPARE(list->idAt(0), channel); // pinned in the fixture

        // Unread from alice counts, until she is muted.
        const int unreadAlice
            = list->index(list->rowOfId(alice), 0).data(ConversationListModel::UnreadCountRole).toInt();
        QVERIFY(unreadAlice > 0);
        const int before = list->totalUnread();
        chat.setMuted(alice, true);
        QTRY_VERIFY(list->index(list->rowOfId(alice), 0).data(ConversationListModel::MutedRole).toBool());
        QTRY_COMPARE(list->totalUnread(), before - unreadAlice);

        // Pinned sort first (by id among pinned), then by recency.
        chat.setPinned(alice, true);
        QCOMPARE(list->idAt(0), alice);
        QCOMPARE(list->idAt(1), channel);
        chat.setPinned(channel, false);
        QCOMPARE(list->idAt(0), alice);
        QVERIFY(!chat.isPinned(channel));

        // Delete locally: the open conversation closes, the row goes.
        chat.openConversation(bob);
        QCOMPARE(chat.currentConversationId(), bob);
        chat.deleteLocally(bob);
        QCOMPARE(chat.currentConversationId(), QString());
        QTRY_COMPARE(list->count(), 4);
        QCOMPARE(list->rowOfId(bob), -1);
        chat.waitForStore();
    }
    // Everything is in the profile: a new session sees the same.
    auto opened = ProfileStore::open(dir, ChatFixture::kPassphrase);
    QVERIFY(opened);
    AsyncStore store(std::move(*opened));
    tenchat::ui::ChatController chat;
    chat.attach(&store, nullptr, QString::fromLatin1(ChatFixture::kSelf));
    QTRY_COMPARE(chat.conversations()->count(), 4);
    QTRY_COMPARE(chat.conversations()->idAt(0), alice);
    QVERIFY(chat.isPinned(alice));
    QVERIFY(!chat.isPinned(channel));
    QVERIFY(chat.conversations()->index(0, 0).data(ConversationListModel::MutedRole).toBool());
    QCOMPARE(chat.conversations()->rowOfId(bob), -1);
    store.post([bob](ProfileStore& profile) {
        auto conversation = profile.conversations().get(bob);
        QVERIFY(conversation && !conversation->has_value());
    });
    store.waitForIdle();
}

void GroupViewModelsTest::privacySwitchesUseTheEngineKeys()
{
    // The settings page writes the keys the engine reads before each
    // receipt, typing or presence message; a choice stored by an earlier
    // build under the old "privacy.*" keys still holds.
    using tenchat::core::messaging::PreferenceKeys;
    QTemporaryDir root;
    const QString dir = root.filePath(QStringLiteral("p"));
    QVERIFY2(ChatFixture::create(dir).isEmpty(), "fixture");
    {
        auto opened = ProfileStore::open(dir, ChatFixture::kPassphrase);
        QVERIFY(opened);
        QVERIFY((*opened)->keyValues().setSetting(QStringLiteral("privacy.typingIndicators"), "0"));
    }
    auto opened = ProfileStore::open(dir, ChatFixture::kPassphrase);
    QVERIFY(opened);
    AsyncStore store(std::move(*opened));
    tenchat::ui::SettingsController settings;
    QSignalSpy loaded(&settings, &tenchat::ui::SettingsController::changed);
    QSignalSpy presence(&settings, &tenchat::ui::SettingsController::presenceSharingChanged);
    settings.attach(&store);
    QTRY_VERIFY(loaded.count() >= 1);
    QVERIFY(!settings.typingIndicators());
    QVERIFY(settings.readReceipts());
    settings.setPresence(false);
    settings.setReadReceipts(false);
    QCOMPARE(presence.count(), 1);
    QCOMPARE(presence.first().first().toBool(), false);
    settings.setPresence(false); // unchanged: no second announcement
    QCOMPARE(presence.count(), 1);
    store.waitForIdle();
    QByteArray typing, receipts, shared;
    store.post([&](ProfileStore& profile) {
        typing = profile.keyValues().setting(QString::fromLatin1(PreferenceKeys::kTyping))->value_or("absent");
        receipts = profile.keyValues().setting(QString::fromLatin1(PreferenceKeys::kReadReceipts))->value_or("absent");
        shared = profile.keyValues().setting(QString::fromLatin1(PreferenceKeys::kPresence))->value_or("absent");
    });
    store.waitForIdle();
    QCOMPARE(typing, QByteArray("0"));
    QCOMPARE(receipts, QByteArray("0"));
    QCOMPARE(shared, QByteArray("0"));
}

QTEST_MAIN(GroupViewModelsTest)
#include "tst_group_view_models.moc"
