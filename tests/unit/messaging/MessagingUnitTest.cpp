// SPDX-License-Identifier: GPL-3.0-or-later
// MessageBody encoding, the timeline order of Lamport clocks, and the reconnect backoff.
#include "tenchat/core/messaging/Backoff.h"
#include "tenchat/core/messaging/MessageBody.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QTest>

using tenchat::core::messaging::Backoff;
using tenchat::core::messaging::MessageBody;

class MessagingUnitTest : public QObject {
    Q_OBJECT

private slots:
    void bodyRoundTrips();
    void operationsRoundTrip();
    void unknownContentTypeIsKept();
    void malformedBodiesAreRefused();
    void lamportClockTravelsInTheBody();
    void queuedMessagesSortByLamportAfterSequenced();
    void backoffGrowsWithJitterAndCap();
};

void MessagingUnitTest::bodyRoundTrips()
{
    MessageBody body;
    body.messageId = QStringLiteral("01HZZZZZZZZZZZZZZZZZZZZZZZ");
    body.text = QStringLiteral("Grüße, \"quoted\" and\nnew lines ✓");
    body.replyTo = QStringLiteral("01HAAAAAAAAAAAAAAAAAAAAAAA");
    body.sentAt = 1795643613700;
    auto decoded = MessageBody::decode(body.encode());
    QVERIFY(decoded);
    QCOMPARE(decoded->op, MessageBody::Op::Message);
    QCOMPARE(decoded->messageId, body.messageId);
    QCOMPARE(decoded->text, body.text);
    QCOMPARE(decoded->replyTo, body.replyTo);
    QCOMPARE(decoded->sentAt, body.sentAt);
    QCOMPARE(decoded->contentType, QStringLiteral("text/plain"));
}

void MessagingUnitTest::operationsRoundTrip()
{
    for (auto op : { MessageBody::Op::Edit, MessageBody::Op::Delete, MessageBody::Op::Reaction }) {
        MessageBody body;
        body.op = op;
        body.messageId = QStringLiteral("01HZZZZZZZZZZZZZZZZZZZZZZZ");
        body.target = QStringLiteral("01HAAAAAAAAAAAAAAAAAAAAAAA");
        body.text = op == MessageBody::Op::Edit ? QStringLiteral("new text") : QString();
        body.emoji = op == MessageBody::Op::Reaction ? QStringLiteral("👍") : QString();
        body.removeReaction = op == MessageBody::Op::Reaction;
        auto decoded = MessageBody::decode(body.encode());
        QVERIFY(decoded);
        QCOMPARE(decoded->op, op);
        QCOMPARE(decoded->target, body.target);
        QCOMPARE(decoded->text, body.text);
        QCOMPARE(decoded->emoji, body.emoji);
        QCOMPARE(decoded->removeReaction, body.removeReaction);
    }
}

void MessagingUnitTest::unknownContentTypeIsKept()
{
    MessageBody body;
    body.messageId = QStringLiteral("01HZZZZZZZZZZZZZZZZZZZZZZZ");
    body.contentType = QStringLiteral("application/x-future-poll+json");
    body.text = QStringLiteral("{\"question\":\"?\"}");
    auto decoded = MessageBody::decode(body.encode());
    QVERIFY(decoded);
    QCOMPARE(decoded->contentType, body.contentType);
    QCOMPARE(decoded->text, body.text);
}

void MessagingUnitTest::malformedBodiesAreRefused()
{
    QVERIFY(!MessageBody::decode(QByteArray()));
    QVERIFY(!MessageBody::decode("not json"));
    QVERIFY(!MessageBody::decode("[1,2]"));
    QVERIFY(!MessageBody::decode(R"({"v":2,"op":"message","id":"x"})"));
    QVERIFY(!MessageBody::decode(R"({"v":1,"op":"explode","id":"x"})"));
    QVERIFY(!MessageBody::decode(R"({"v":1,"op":"message"})"));
}

void MessagingUnitTest::lamportClockTravelsInTheBody()
{
    MessageBody body;
    body.messageId = QStringLiteral("01HZZZZZZZZZZZZZZZZZZZZZZZ");
    body.text = QStringLiteral("hi");
    body.lamport = 9007199254740000; // large values survive the JSON number
    auto decoded = MessageBody::decode(body.encode());
    QVERIFY(decoded);
    QCOMPARE(decoded->lamport, body.lamport);
    // A body without one (an older sender) decodes as 0; a negative one too.
    QVERIFY(!body.encode().isEmpty());
    auto old = MessageBody::decode(R"({"v":1,"op":"message","id":"01HZZZZZZZZZZZZZZZZZZZZZZZ","text":"x"})");
    QVERIFY(old);
    QCOMPARE(old->lamport, qint64(0));
    auto negative
        = MessageBody::decode(R"({"v":1,"op":"message","id":"01HZZZZZZZZZZZZZZZZZZZZZZZ","text":"x","lamport":-5})");
    QVERIFY(negative);
    QCOMPARE(negative->lamport, qint64(0));
}

void MessagingUnitTest::queuedMessagesSortByLamportAfterSequenced()
{
    using tenchat::core::store::Message;
    Message sequenced;
    sequenced.serverSeq = 1000;
    sequenced.lamport = 50; // the relay's order wins once sequenced
    Message queuedEarly;
    queuedEarly.lamport = 7;
    queuedEarly.id = QStringLiteral("01HZZZZZZZZZZZZZZZZZZZZZZZ"); // a larger id does not matter
    Message queuedLate;
    queuedLate.lamport = 8;
    queuedLate.id = QStringLiteral("01HAAAAAAAAAAAAAAAAAAAAAAA");
    QVERIFY(sequenced.sortSeq() < queuedEarly.sortSeq());
    QVERIFY(queuedEarly.sortSeq() < queuedLate.sortSeq());
    QCOMPARE(sequenced.sortSeq(), qint64(1000));
}

void MessagingUnitTest::backoffGrowsWithJitterAndCap()
{
    Backoff backoff(100, 2000);
    int previousCeiling = 0;
    for (int attempt = 0; attempt < 12; ++attempt) {
        const int ceiling = std::min(100 << attempt, 2000);
        const int delay = backoff.nextDelayMs();
        QVERIFY2(delay >= ceiling / 2 && delay <= ceiling, qPrintable(QString::number(delay)));
        QVERIFY(ceiling >= previousCeiling);
        previousCeiling = ceiling;
    }
    backoff.reset();
    QCOMPARE(backoff.attempt(), 0);
    const int first = backoff.nextDelayMs();
    QVERIFY(first >= 50 && first <= 100);
}

QTEST_GUILESS_MAIN(MessagingUnitTest)
#include "MessagingUnitTest.moc"
