// SPDX-License-Identifier: GPL-3.0-or-later
// Group and ephemeral pieces without a relay: the to-device body of sender
// keys, and EphemeralExpiry on a real (encrypted) store.
#include "ToDeviceBody.h"
#include "tenchat/core/messaging/EphemeralExpiry.h"
#include "tenchat/core/store/ChangeNotifier.h"
#include "tenchat/core/store/Database.h"
#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/core/store/SearchIndex.h"
#include "tenchat/core/store/Statement.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tenchat::core;
using tenchat::core::messaging::EphemeralExpiry;
using tenchat::core::messaging::ToDeviceBody;

namespace {

const QString kConversation = QStringLiteral("00112233445566778899aabbccddeeff");

std::unique_ptr<store::ProfileStore> makeStore(const QTemporaryDir& dir)
{
    store::ProfileOptions options;
    options.kdf = tenchat::crypto::Argon2Params::forTests();
    auto s = store::ProfileStore::create(dir.filePath(QStringLiteral("p")), "pw", options);
    if (!s)
        qFatal("create: %s", qPrintable(s.error().message));
    return std::move(s).value();
}

store::Message message(const QString& id, const QString& text, std::optional<qint64> expiresAt)
{
    store::Message m;
    m.id = id;
    m.conversationId = kConversation;
    m.senderUserId = QStringLiteral("aa");
    m.sentAt = QDateTime::currentMSecsSinceEpoch();
    m.receivedAt = m.sentAt;
    m.body = text;
    m.expiresAt = expiresAt;
    return m;
}

qint64 reactionRows(store::ProfileStore& s, const QString& id)
{
    return s.database().count("SELECT count(*) FROM reactions WHERE message_id = ?", id).valueOr(-1);
}

} // namespace

class GroupUnitTest : public QObject {
    Q_OBJECT

private slots:
    void toDeviceBodyRoundTrips();
    void malformedToDeviceBodiesAreRefused();
    void expiryDeletesDueMessagesOnly();
};

void GroupUnitTest::toDeviceBodyRoundTrips()
{
    ToDeviceBody body;
    body.conversationId = kConversation;
    body.senderKey = QByteArray("\x00\x01\xff key bytes", 13);
    body.title = QStringLiteral("Team «ünïcode»");
    auto decoded = ToDeviceBody::decode(body.encode());
    QVERIFY(decoded);
    QCOMPARE(decoded->conversationId, body.conversationId);
    QCOMPARE(decoded->senderKey, body.senderKey);
    QCOMPARE(decoded->title, body.title);
}

void GroupUnitTest::malformedToDeviceBodiesAreRefused()
{
    QVERIFY(!ToDeviceBody::decode(QByteArray()));
    QVERIFY(!ToDeviceBody::decode("not json"));
    QVERIFY(!ToDeviceBody::decode(
        R"({"v":2,"op":"sender-key","conversation":"00112233445566778899aabbccddeeff","key":"AA=="})"));
    QVERIFY(
        !ToDeviceBody::decode(R"({"v":1,"op":"link","conversation":"00112233445566778899aabbccddeeff","key":"AA=="})"));
    QVERIFY(!ToDeviceBody::decode(R"({"v":1,"op":"sender-key","conversation":"0011","key":"AA=="})"));
    QVERIFY(!ToDeviceBody::decode(
        R"({"v":1,"op":"sender-key","conversation":"zz112233445566778899aabbccddeeff","key":"AA=="})"));
    QVERIFY(!ToDeviceBody::decode(R"({"v":1,"op":"sender-key","conversation":"00112233445566778899aabbccddeeff"})"));
    QVERIFY(ToDeviceBody::decode(
        R"({"v":1,"op":"sender-key","conversation":"00112233445566778899aabbccddeeff","key":"AA=="})"));
}

void GroupUnitTest::expiryDeletesDueMessagesOnly()
{
    QTemporaryDir dir;
    auto s = makeStore(dir);
    store::Conversation conv;
    conv.id = kConversation;
    conv.type = store::ConversationType::Group;
    conv.ttlMs = 0; // expiries given per message
    QVERIFY(s->conversations().save(conv));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(s->messages().insert(message(QStringLiteral("01A"), QStringLiteral("lasting words"), std::nullopt)));
    QVERIFY(s->messages().insert(message(QStringLiteral("01B"), QStringLiteral("fleeting words"), now + 300)));
    QVERIFY(s->messages().addReaction(QStringLiteral("01B"), QStringLiteral("bb"), QStringLiteral("+1"), now));

    QCOMPARE(reactionRows(*s, QStringLiteral("01B")), qint64(1));

    EphemeralExpiry expiry(*s);
    QSignalSpy expired(&expiry, &EphemeralExpiry::expired);
    QSignalSpy removed(&s->notifier(), &store::ChangeNotifier::messageRemoved);
    expiry.start(60000); // the timer must follow the message, not this interval
    QVERIFY(s->messages().get(QStringLiteral("01B")).valueOr(std::optional<store::Message>()).has_value());
    // A message written later with an earlier expiry re-arms the timer.
    QVERIFY(s->messages().insert(message(QStringLiteral("01C"), QStringLiteral("quicker words"), now + 100)));

    QVERIFY(QTest::qWaitFor([&] { return expired.count() == 2; }, 20000));
    QCOMPARE(expired.at(0).at(1).toString(), QStringLiteral("01C"));
    QCOMPARE(expired.at(1).at(1).toString(), QStringLiteral("01B"));
    QCOMPARE(removed.count(), 2);
    QVERIFY(!s->messages().get(QStringLiteral("01B")).valueOr(std::optional<store::Message>()).has_value());
    QVERIFY(s->messages().get(QStringLiteral("01A")).valueOr(std::optional<store::Message>()).has_value());
    QCOMPARE(reactionRows(*s, QStringLiteral("01B")), qint64(0));
    store::SearchIndex::Query query;
    query.text = QStringLiteral("words");
    auto hits = s->search().search(query);
    QVERIFY(hits);
    QCOMPARE(hits->size(), 1);
    QCOMPARE(hits->constFirst().messageId, QStringLiteral("01A"));
    expiry.stop();
    QCOMPARE(expiry.runNow(), 0);
}

QTEST_GUILESS_MAIN(GroupUnitTest)
#include "GroupUnitTest.moc"
