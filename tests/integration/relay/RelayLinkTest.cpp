// SPDX-License-Identifier: GPL-3.0-or-later
// The device-linking rendezvous of the real relay: an unauthenticated new
// device leaves an opaque offer, an authenticated device fetches it and
// answers, the new device collects the answer once; unknown, expired and
// reused rendezvous are refused; nothing survives a relay restart.
#include "RelayProcess.h"
#include "RelayTestHelpers.h"

#include <QTest>

using namespace tenchat::testing;
namespace v1 = tenchat::v1;

namespace {

v1::Request offer(const std::string& rendezvous, const std::string& blob, std::uint32_t ttl = 0)
{
    v1::Request r;
    r.mutable_link_offer()->set_rendezvous_id(rendezvous);
    r.mutable_link_offer()->set_offer(blob);
    r.mutable_link_offer()->set_ttl_seconds(ttl);
    return r;
}

v1::Request fetch(const std::string& rendezvous)
{
    v1::Request r;
    r.mutable_link_fetch()->set_rendezvous_id(rendezvous);
    return r;
}

v1::Request answer(const std::string& rendezvous, const std::string& blob)
{
    v1::Request r;
    r.mutable_link_answer()->set_rendezvous_id(rendezvous);
    r.mutable_link_answer()->set_answer(blob);
    return r;
}

v1::Request poll(const std::string& rendezvous, const std::string& token)
{
    v1::Request r;
    r.mutable_link_poll()->set_rendezvous_id(rendezvous);
    r.mutable_link_poll()->set_poll_token(token);
    return r;
}

} // namespace

class RelayLinkTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(relay_.start(), qPrintable(relay_.error())); }
    void brokersOneOfferAndOneAnswer();
    void refusals();
    void expires();

private:
    RelayProcess relay_;
};

void RelayLinkTest::brokersOneOfferAndOneAnswer()
{
    auto owner = registerParticipant(relay_.url(), uniqueHandle("owner"));
    QVERIFY(owner.client);
    RelayTestClient fresh;
    QVERIFY(fresh.open(relay_.url()) && fresh.hello());

    auto offered = fresh.request(offer("RDV1", "sealed-offer"));
    QVERIFY(offered);
    QCOMPARE(offered->status(), v1::STATUS_OK);
    const std::string token = offered->link_offer().poll_token();
    QCOMPARE(token.size(), std::size_t(16));
    QVERIFY(offered->link_offer().expires_ms() > 0);
    // The id is taken while pending.
    auto again = fresh.request(offer("RDV1", "other"));
    QVERIFY(again);
    QCOMPARE(again->status(), v1::STATUS_CONFLICT);

    // Nothing to collect yet.
    auto early = fresh.request(poll("RDV1", token));
    QVERIFY(early);
    QCOMPARE(early->status(), v1::STATUS_OK);
    QVERIFY(early->link_poll().answer().empty());

    auto fetched = owner.client->request(fetch("RDV1"));
    QVERIFY(fetched);
    QCOMPARE(fetched->status(), v1::STATUS_OK);
    QCOMPARE(fetched->link_fetch().offer(), std::string("sealed-offer"));
    auto answered = owner.client->request(answer("RDV1", "sealed-answer"));
    QVERIFY(answered);
    QCOMPARE(answered->status(), v1::STATUS_OK);
    // One answer only.
    auto second = owner.client->request(answer("RDV1", "mallory"));
    QVERIFY(second);
    QCOMPARE(second->status(), v1::STATUS_CONFLICT);

    // A wrong token learns nothing; the right one collects the answer once.
    auto wrongToken = fresh.request(poll("RDV1", std::string(16, 'x')));
    QVERIFY(wrongToken);
    QCOMPARE(wrongToken->status(), v1::STATUS_NOT_FOUND);
    auto collected = fresh.request(poll("RDV1", token));
    QVERIFY(collected);
    QCOMPARE(collected->status(), v1::STATUS_OK);
    QCOMPARE(collected->link_poll().answer(), std::string("sealed-answer"));
    auto gone = fresh.request(poll("RDV1", token));
    QVERIFY(gone);
    QCOMPARE(gone->status(), v1::STATUS_NOT_FOUND);
}

void RelayLinkTest::refusals()
{
    RelayTestClient fresh;
    QVERIFY(fresh.open(relay_.url()) && fresh.hello());
    // Fetch and answer need an authenticated device of an account.
    auto fetched = fresh.request(fetch("RDV2"));
    QVERIFY(fetched);
    QCOMPARE(fetched->status(), v1::STATUS_UNAUTHENTICATED);
    auto answered = fresh.request(answer("RDV2", "x"));
    QVERIFY(answered);
    QCOMPARE(answered->status(), v1::STATUS_UNAUTHENTICATED);
    // Field validation.
    for (const auto& bad : { offer("abc", "x"), offer("RDV2", ""), offer("RDV2", std::string(5000, 'x')),
             offer("RDV2", "x", 601), poll("RDV2", "short") }) {
        auto r = fresh.request(bad);
        QVERIFY(r);
        QCOMPARE(r->status(), v1::STATUS_BAD_REQUEST);
    }
    // Unknown rendezvous.
    auto owner = registerParticipant(relay_.url(), uniqueHandle("owner"));
    QVERIFY(owner.client);
    auto unknown = owner.client->request(fetch("NOPE"));
    QVERIFY(unknown);
    QCOMPARE(unknown->status(), v1::STATUS_NOT_FOUND);
    QVERIFY(QString::fromStdString(unknown->reason()).contains(QStringLiteral("wrong code")));
    // An authenticated device cannot publish offers (only new devices do).
    auto offered = owner.client->request(offer("RDV3", "x"));
    QVERIFY(offered);
    QCOMPARE(offered->status(), v1::STATUS_WRONG_STATE);
}

void RelayLinkTest::expires()
{
    RelayTestClient fresh;
    QVERIFY(fresh.open(relay_.url()) && fresh.hello());
    auto offered = fresh.request(offer("RDV4", "sealed", 1));
    QVERIFY(offered);
    QCOMPARE(offered->status(), v1::STATUS_OK);
    const std::string token = offered->link_offer().poll_token();
    auto owner = registerParticipant(relay_.url(), uniqueHandle("owner"));
    QVERIFY(owner.client);
    // Polled until the relay forgets it (about one second).
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto r = fresh.request(poll("RDV4", token));
            return r && r->status() == v1::STATUS_NOT_FOUND;
        },
        15000));
    auto fetched = owner.client->request(fetch("RDV4"));
    QVERIFY(fetched);
    QCOMPARE(fetched->status(), v1::STATUS_NOT_FOUND);
}

QTEST_GUILESS_MAIN(RelayLinkTest)
#include "RelayLinkTest.moc"
