// SPDX-License-Identifier: GPL-3.0-or-later
// Sender-key recovery without a relay: the request rate limiter, the
// validation of a request, the checkpoints an answer comes from, and the
// to-device bodies of a request and its answers.
#include "KeyRequestLimiter.h"
#include "SenderKeyCheckpoints.h"
#include "ToDeviceBody.h"

#include <QTest>

#include <limits>

using namespace tenchat::core::messaging;

namespace {

const QString kConversation = QStringLiteral("00112233445566778899aabbccddeeff");
const QString kStream = kConversation + QStringLiteral("|aa:1");

SenderKeyCheckpoint checkpoint(std::uint32_t keyId, std::uint32_t iteration, const QStringList& devices)
{
    return SenderKeyCheckpoint { keyId, iteration, QByteArray("dist-") + QByteArray::number(iteration),
        QSet<QString>(devices.begin(), devices.end()) };
}

} // namespace

class KeyRecoveryUnitTest : public QObject {
    Q_OBJECT

private slots:
    void floodOfFailuresMakesOneRequestThenBacksOff()
    {
        KeyRequestLimiter limiter(60'000, 240'000);
        const qint64 t0 = 1'000'000;
        QVERIFY(limiter.tryAcquire(kStream, t0));
        // A flood of undecryptable messages within the minute: no request.
        int more = 0;
        for (int i = 1; i <= 500; ++i)
            more += limiter.tryAcquire(kStream, t0 + i * 100) ? 1 : 0;
        QCOMPARE(more, 0);
        QCOMPARE(limiter.attempts(kStream), 1);
        // Another sender device (or group) is limited on its own.
        QVERIFY(limiter.tryAcquire(kConversation + QStringLiteral("|aa:2"), t0 + 1));
        // No answer: again after 1 min, then 2 min, then 4 min (the maximum).
        QCOMPARE(limiter.nextAllowed(kStream), t0 + 60'000);
        QVERIFY(!limiter.tryAcquire(kStream, t0 + 59'999));
        QVERIFY(limiter.tryAcquire(kStream, t0 + 60'000));
        QCOMPARE(limiter.nextAllowed(kStream), t0 + 60'000 + 120'000);
        QVERIFY(limiter.tryAcquire(kStream, t0 + 180'000));
        QCOMPARE(limiter.nextAllowed(kStream), t0 + 180'000 + 240'000);
        QVERIFY(limiter.tryAcquire(kStream, t0 + 420'000));
        QCOMPARE(limiter.nextAllowed(kStream), t0 + 420'000 + 240'000);
        QCOMPARE(limiter.attempts(kStream), 4);
    }

    void answerResetsAndUnsentRequestRetriesSoon()
    {
        KeyRequestLimiter limiter(60'000, 3'600'000);
        const qint64 t0 = 5'000;
        QVERIFY(limiter.tryAcquire(kStream, t0));
        limiter.reset(kStream); // the answer came
        QVERIFY(limiter.tryAcquire(kStream, t0 + 1));
        QCOMPARE(limiter.nextAllowed(kStream), t0 + 1 + 60'000);
        // Could not be sent (offline): again after 5 s, not after a minute,
        // and it does not count as an attempt.
        limiter.failed(kStream, t0 + 2);
        QCOMPARE(limiter.attempts(kStream), 0);
        QVERIFY(!limiter.tryAcquire(kStream, t0 + 2 + 4'999));
        QVERIFY(limiter.tryAcquire(kStream, t0 + 2 + 5'000));
        QCOMPARE(limiter.nextAllowed(kStream), t0 + 2 + 5'000 + 60'000);
        // Failing a stream that never asked changes nothing.
        limiter.failed(QStringLiteral("other"), t0);
        QCOMPARE(limiter.nextAllowed(QStringLiteral("other")), qint64(0));
    }

    // What a restart keeps: the state put back into a new limiter limits
    // the same way (the backoff goes on doubling from there).
    void stateSurvivesARestart()
    {
        KeyRequestLimiter before(60'000, 3'600'000);
        QVERIFY(!before.state(kStream));
        QVERIFY(before.tryAcquire(kStream, 0));
        QVERIFY(before.tryAcquire(kStream, 60'000));
        const auto saved = before.state(kStream);
        QVERIFY(saved);
        QCOMPARE(saved->attempts, 2);
        QCOMPARE(saved->nextAllowedMs, qint64(60'000 + 120'000));

        KeyRequestLimiter after(60'000, 3'600'000);
        after.restore(kStream, *saved, 60'000);
        QVERIFY(!after.tryAcquire(kStream, 179'999));
        QVERIFY(after.tryAcquire(kStream, 180'000));
        QCOMPARE(after.nextAllowed(kStream), qint64(180'000 + 240'000));
        after.reset(kStream);
        QVERIFY(!after.state(kStream));
    }

    // A damaged saved state (or one written before the clock was set back)
    // cannot silence a stream beyond the limiter's largest interval.
    void restoredStateIsBounded()
    {
        KeyRequestLimiter limiter(60'000, 3'600'000);
        KeyRequestLimiter::State damaged;
        damaged.nextAllowedMs = std::numeric_limits<qint64>::max() / 2;
        damaged.intervalMs = std::numeric_limits<qint64>::max() / 2;
        damaged.attempts = -7;
        limiter.restore(kStream, damaged, 1'000);
        QCOMPARE(limiter.nextAllowed(kStream), qint64(1'000 + 3'600'000));
        QCOMPARE(limiter.attempts(kStream), 0);
        QVERIFY(!limiter.tryAcquire(kStream, 1'000 + 3'599'999));
        QVERIFY(limiter.tryAcquire(kStream, 1'000 + 3'600'000));
        // A negative interval is no interval: the stream may ask at once.
        KeyRequestLimiter other(60'000, 3'600'000);
        KeyRequestLimiter::State negative;
        negative.nextAllowedMs = 50'000;
        negative.intervalMs = -5;
        other.restore(kStream, negative, 10'000);
        QVERIFY(other.tryAcquire(kStream, 10'000));
    }

    void onlyCurrentMembersOfAGroupWePostInAreAnswered()
    {
        const QStringList members { QStringLiteral("aa"), QStringLiteral("bb") };
        QCOMPARE(checkKeyRequest(true, true, members, QStringLiteral("bb")), KeyRequestVerdict::Answer);
        // A removed member (no longer in the list), or anyone else.
        QCOMPARE(checkKeyRequest(true, true, members, QStringLiteral("cc")), KeyRequestVerdict::NotAMember);
        QCOMPARE(checkKeyRequest(true, true, members, QString()), KeyRequestVerdict::NotAMember);
        // A direct conversation has no sender keys; a channel reader or a
        // former member of the group has none to give.
        QCOMPARE(checkKeyRequest(false, true, members, QStringLiteral("bb")), KeyRequestVerdict::NotAGroup);
        QCOMPARE(checkKeyRequest(true, false, members, QStringLiteral("bb")), KeyRequestVerdict::NoOwnKey);
    }

    void answerComesFromTheIterationNeededNeverFromBeforeTheDeviceHadTheKey()
    {
        QList<SenderKeyCheckpoint> list;
        checkpoints::add(list, checkpoint(7, 0, { QStringLiteral("bb:1"), QStringLiteral("cc:1") }));
        checkpoints::add(
            list, checkpoint(7, 40, { QStringLiteral("bb:1"), QStringLiteral("cc:1"), QStringLiteral("dd:1") }));
        checkpoints::add(list, checkpoint(7, 1000, { QStringLiteral("bb:1"), QStringLiteral("dd:1") }));
        // The latest checkpoint at or before the iteration needed.
        QCOMPARE(checkpoints::pick(list, 7, 12, QStringLiteral("bb:1"))->iteration, 0u);
        QCOMPARE(checkpoints::pick(list, 7, 40, QStringLiteral("bb:1"))->iteration, 40u);
        QCOMPARE(checkpoints::pick(list, 7, 1500, QStringLiteral("bb:1"))->iteration, 1000u);
        QCOMPARE(checkpoints::pick(list, 7, 1500, QStringLiteral("bb:1"))->distribution, QByteArray("dist-1000"));
        // dd joined at iteration 40: nothing from before that.
        QVERIFY(!checkpoints::pick(list, 7, 12, QStringLiteral("dd:1")));
        QCOMPARE(checkpoints::pick(list, 7, 41, QStringLiteral("dd:1"))->iteration, 40u);
        // A device never given the key, another key id.
        QVERIFY(!checkpoints::pick(list, 7, 50, QStringLiteral("ee:1")));
        QVERIFY(!checkpoints::pick(list, 8, 50, QStringLiteral("bb:1")));
    }

    void checkpointsRoundTripMergeAndStayBounded()
    {
        QList<SenderKeyCheckpoint> list;
        checkpoints::add(list, checkpoint(1, 0, { QStringLiteral("bb:1") }));
        checkpoints::add(list, checkpoint(1, 0, { QStringLiteral("cc:2") })); // same point: merged
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].devices.size(), 2);
        const auto decoded = checkpoints::decode(checkpoints::encode(list));
        QCOMPARE(decoded.size(), 1);
        QCOMPARE(decoded[0].keyId, 1u);
        QCOMPARE(decoded[0].distribution, QByteArray("dist-0"));
        QCOMPARE(decoded[0].devices, list[0].devices);
        for (std::uint32_t i = 1; i <= 20; ++i)
            checkpoints::add(list, checkpoint(1, i * 10, { QStringLiteral("bb:1") }));
        QCOMPARE(list.size(), checkpoints::kMaxCheckpoints);
        QCOMPARE(list.first().iteration, (20u - checkpoints::kMaxCheckpoints + 1) * 10);
        // Damaged lines are skipped, the rest is kept.
        const QByteArray damaged
            = "1 x AAAA bb:1\nnot a line\n" + checkpoints::encode({ checkpoint(2, 5, { QStringLiteral("bb:1") }) });
        const auto kept = checkpoints::decode(damaged);
        QCOMPARE(kept.size(), 1);
        QCOMPARE(kept[0].keyId, 2u);
    }

    void requestAndAnswerBodiesRoundTrip()
    {
        ToDeviceBody request;
        request.op = ToDeviceBody::Op::SenderKeyRequest;
        request.conversationId = kConversation;
        request.keyId = 4'000'000'000u;
        request.iteration = 17;
        auto decoded = ToDeviceBody::decode(request.encode());
        QVERIFY(decoded);
        QCOMPARE(decoded->op, ToDeviceBody::Op::SenderKeyRequest);
        QCOMPARE(decoded->keyId, 4'000'000'000u);
        QCOMPARE(decoded->iteration, 17u);

        ToDeviceBody unavailable;
        unavailable.op = ToDeviceBody::Op::SenderKeyUnavailable;
        unavailable.conversationId = kConversation;
        unavailable.keyId = 9;
        decoded = ToDeviceBody::decode(unavailable.encode());
        QVERIFY(decoded);
        QCOMPARE(decoded->op, ToDeviceBody::Op::SenderKeyUnavailable);
        QCOMPARE(decoded->keyId, 9u);

        ToDeviceBody answer;
        answer.conversationId = kConversation;
        answer.senderKey = "key";
        answer.answers = true;
        decoded = ToDeviceBody::decode(answer.encode());
        QVERIFY(decoded && decoded->answers);
        answer.answers = false;
        QVERIFY(!ToDeviceBody::decode(answer.encode())->answers);
    }

    void malformedRequestsAreRefused()
    {
        const QString c = kConversation;
        const auto body = [&](const QString& rest) {
            return QStringLiteral(R"({"v":1,"op":"sender-key-request","conversation":"%1"%2})").arg(c, rest).toUtf8();
        };
        QVERIFY(ToDeviceBody::decode(body(QStringLiteral(R"(,"keyId":1,"iteration":0)"))));
        QVERIFY(!ToDeviceBody::decode(body(QStringLiteral(R"(,"iteration":0)"))));
        QVERIFY(!ToDeviceBody::decode(body(QStringLiteral(R"(,"keyId":1)"))));
        QVERIFY(!ToDeviceBody::decode(body(QStringLiteral(R"(,"keyId":-1,"iteration":0)"))));
        QVERIFY(!ToDeviceBody::decode(body(QStringLiteral(R"(,"keyId":1.5,"iteration":0)"))));
        QVERIFY(!ToDeviceBody::decode(body(QStringLiteral(R"(,"keyId":4294967296,"iteration":0)"))));
        QVERIFY(!ToDeviceBody::decode(body(QStringLiteral(R"(,"keyId":"1","iteration":0)"))));
        QVERIFY(!ToDeviceBody::decode(
            QStringLiteral(R"({"v":1,"op":"sender-key-request","conversation":"0011","keyId":1,"iteration":0})")
                .toUtf8()));
    }
};

QTEST_GUILESS_MAIN(KeyRecoveryUnitTest)
#include "KeyRecoveryUnitTest.moc"
