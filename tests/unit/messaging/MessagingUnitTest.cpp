// SPDX-License-Identifier: GPL-3.0-or-later
// MessageBody encoding and the reconnect backoff.
#include "tenchat/core/messaging/Backoff.h"
#include "tenchat/core/messaging/MessageBody.h"

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
