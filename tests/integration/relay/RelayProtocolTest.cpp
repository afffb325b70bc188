// SPDX-License-Identifier: GPL-3.0-or-later
// The relay's protocol behaviour, end to end against the real tenchat-relay
// executable: registration, authentication, bundles, conversations,
// ordering, offline catch-up, authorization, channel roles, TTL, devices.
#include "RelayProcess.h"
#include "RelayTestHelpers.h"

#include "tenchat/crypto/Hash.h"

#include <QTest>
#include <QThread>

#include <set>

using namespace tenchat::testing;
namespace v1 = tenchat::v1;
namespace p = tenchat::protocol;

class RelayProtocolTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void registration();
    void authentication();
    void bundlesConsumeOneTimePreKeys();
    void directMessagesReachOnlyTheirDevice();
    void concurrentAppendsAreTotallyOrdered();
    void offlineCatchUpWithPaging();
    void authorizationRefusals();
    void channelRoles();
    void ttlExpiry();
    void multiDeviceAndRevocation();
    void toDeviceQueue();
    void typingIsRelayedNotStored();
    void burstOfBlobDownloadsIsAnsweredByRequestId();

private:
    RelayProcess relay_;
    std::unique_ptr<QTemporaryFile> config_;
};

void RelayProtocolTest::initTestCase()
{
    // Fast retention sweeps for the TTL test; limits loose enough for the rest.
    config_ = writeConfig(QJsonObject { { QStringLiteral("purgeIntervalSeconds"), 1 },
        { QStringLiteral("preKeyLowThreshold"), 2 }, { QStringLiteral("durability"), QStringLiteral("normal") } });
    QVERIFY(config_);
    QVERIFY2(relay_.start({ QStringLiteral("--config"), config_->fileName() }), qPrintable(relay_.error()));
}

void RelayProtocolTest::registration()
{
    const auto handle = uniqueHandle("alice");
    auto alice = registerParticipant(relay_.url(), handle);
    QVERIFY(!alice.device.userId.empty());
    QCOMPARE(alice.device.userId.size(), p::kUserIdBytes);
    QCOMPARE(alice.device.deviceId, 1u);

    // The handle is taken now.
    RelayTestClient other;
    QVERIFY(other.open(relay_.url()) && other.hello());
    QVERIFY(!other.registerAccount(handle));
    // Invalid handle: refused by validation.
    v1::Request bad;
    bad.mutable_register_account()->set_handle("No Spaces Allowed");
    bad.mutable_register_account()->set_identity_key(alice.device.publicKey());
    bad.mutable_register_account()->set_registration_id(7);
    bad.mutable_register_account()->set_signature(std::string(64, 'x'));
    auto response = other.request(bad);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_BAD_REQUEST);
    // A signature by another key proves nothing: refused.
    auto foreign = tenchat::crypto::generateIdentityKeyPair();
    QVERIFY(foreign.hasValue());
    v1::Request forged;
    auto* f = forged.mutable_register_account();
    f->set_handle(uniqueHandle("mallory"));
    f->set_identity_key(alice.device.publicKey());
    f->set_registration_id(7);
    TestDevice mallory { "", "", 0, std::make_shared<tenchat::crypto::IdentityKeyPair>(std::move(*foreign)) };
    f->set_signature(mallory.sign(p::registerAccountPayload(f->handle(), f->identity_key())));
    response = other.request(forged);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_UNAUTHENTICATED);

    // Lookup by handle (authenticated).
    v1::Request lookup;
    lookup.mutable_lookup_handle()->set_handle(handle);
    response = alice.client->request(lookup);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_OK);
    QCOMPARE(response->lookup_handle().user_id(), alice.device.userId);
}

void RelayProtocolTest::authentication()
{
    auto bob = registerParticipant(relay_.url(), uniqueHandle("bob"));
    QVERIFY(!bob.device.userId.empty());

    RelayTestClient client;
    QVERIFY(client.open(relay_.url()));
    // Before hello: refused.
    v1::Request list;
    list.mutable_list_conversations();
    auto response = client.request(list);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_WRONG_STATE);
    QVERIFY(client.hello());
    // Before authentication: refused.
    response = client.request(list);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_UNAUTHENTICATED);

    // Wrong signature (another key) refused.
    auto wrongKeys = tenchat::crypto::generateIdentityKeyPair();
    QVERIFY(wrongKeys.hasValue());
    TestDevice impostor = bob.device;
    impostor.identity = std::make_shared<tenchat::crypto::IdentityKeyPair>(std::move(*wrongKeys));
    QCOMPARE(client.authenticate(impostor), v1::STATUS_UNAUTHENTICATED);
    // The challenge was consumed by the failed attempt: the right key with
    // the old challenge fails too.
    QCOMPARE(client.authenticate(bob.device), v1::STATUS_WRONG_STATE);
    v1::Request challenge;
    challenge.mutable_challenge();
    response = client.request(challenge);
    QVERIFY(response);
    QCOMPARE(response->challenge().challenge().size(), p::kChallengeBytes);
    RelayTestClient fresh;
    QVERIFY(fresh.login(relay_.url(), bob.device));
    response = fresh.request(list);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_OK);
}

void RelayProtocolTest::bundlesConsumeOneTimePreKeys()
{
    auto owner = registerParticipant(relay_.url(), uniqueHandle("keys"));
    auto fetcher = registerParticipant(relay_.url(), uniqueHandle("fetcher"));
    QVERIFY(!owner.device.userId.empty() && !fetcher.device.userId.empty());

    auto spk = tenchat::crypto::generateIdentityKeyPair(); // any Curve25519 public key will do
    QVERIFY(spk.hasValue());
    const std::string spkPublic = tenchat::crypto::toString(spk->publicKey);
    v1::Request upload;
    auto* u = upload.mutable_upload_pre_keys();
    u->mutable_signed_pre_key()->set_key_id(1);
    u->mutable_signed_pre_key()->set_public_key(spkPublic);
    u->mutable_signed_pre_key()->set_signature(fetcher.device.sign(spkPublic)); // wrong signer
    auto response = owner.client->request(upload);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_BAD_REQUEST);

    u->mutable_signed_pre_key()->set_signature(owner.device.sign(spkPublic));
    for (std::uint32_t id = 1; id <= 3; ++id) {
        auto key = tenchat::crypto::generateIdentityKeyPair();
        QVERIFY(key.hasValue());
        auto* k = u->add_one_time_pre_keys();
        k->set_key_id(id);
        k->set_public_key(tenchat::crypto::toString(key->publicKey));
    }
    response = owner.client->request(upload);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_OK);
    QCOMPARE(response->upload_pre_keys().one_time_count(), 3u);

    v1::Request fetch;
    fetch.mutable_fetch_bundles()->set_user_id(owner.device.userId);
    std::set<std::uint32_t> handedOut;
    for (int i = 0; i < 3; ++i) {
        response = fetcher.client->request(fetch);
        QVERIFY(response);
        QCOMPARE(response->status(), v1::STATUS_OK);
        QCOMPARE(response->fetch_bundles().bundles_size(), 1);
        const auto& bundle = response->fetch_bundles().bundles(0);
        QCOMPARE(bundle.identity_key(), owner.device.publicKey());
        QCOMPARE(bundle.signed_pre_key().public_key(), spkPublic);
        QVERIFY(bundle.has_one_time_pre_key());
        QVERIFY(handedOut.insert(bundle.one_time_pre_key().key_id()).second); // never the same twice
    }
    response = fetcher.client->request(fetch);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_OK);
    QVERIFY(!response->fetch_bundles().bundles(0).has_one_time_pre_key()); // supply exhausted

    v1::Request count;
    count.mutable_pre_key_count();
    response = owner.client->request(count);
    QVERIFY(response);
    QCOMPARE(response->pre_key_count().one_time_count(), 0u);
    QVERIFY(response->pre_key_count().has_signed_pre_key());
    // The owner was told its supply ran low while online.
    QVERIFY(owner.client->waitEvent([](const v1::Event& e) { return e.has_pre_keys_low(); }));
}

void RelayProtocolTest::directMessagesReachOnlyTheirDevice()
{
    auto alice = registerParticipant(relay_.url(), uniqueHandle("da"));
    auto bob = registerParticipant(relay_.url(), uniqueHandle("db"));
    auto response = alice.client->request(createConversation(v1::CONVERSATION_KIND_DIRECT, { bob.device.userId }));
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_OK);
    const auto conversation = response->create_conversation().conversation();
    QCOMPARE(conversation.members_size(), 2);
    // Creating it again returns the same conversation.
    response = bob.client->request(createConversation(v1::CONVERSATION_KIND_DIRECT, { alice.device.userId }));
    QVERIFY(response && response->create_conversation().existed());
    QCOMPARE(response->create_conversation().conversation().conversation_id(), conversation.conversation_id());

    // Missing device: refused with the list.
    const auto messageId = randomId();
    response = alice.client->request(appendPerDevice(conversation.conversation_id(), messageId, {}));
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_BAD_REQUEST); // empty list is malformed
    TestDevice ghost = bob.device;
    ghost.deviceId = 9;
    response = alice.client->request(appendPerDevice(conversation.conversation_id(), messageId, { { &ghost, "x" } }));
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_DEVICES_MISMATCH);
    QCOMPARE(response->devices_mismatch().missing_size(), 1);
    QCOMPARE(response->devices_mismatch().missing(0).device_id(), bob.device.deviceId);
    QCOMPARE(response->devices_mismatch().stale_size(), 1);
    QCOMPARE(response->devices_mismatch().stale(0).device_id(), 9u);
    // A sender-key body is not allowed in direct conversations.
    response = alice.client->request(appendSenderKey(conversation.conversation_id(), messageId, "sk"));
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_BAD_REQUEST);

    const std::string ciphertext = randomId(200);
    response = alice.client->request(
        appendPerDevice(conversation.conversation_id(), messageId, { { &bob.device, ciphertext } }));
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_OK);
    const auto seq = response->append().seq();
    QCOMPARE(seq, conversation.last_seq() + 1);
    auto event = bob.client->waitEvent(
        [&](const v1::Event& e) { return e.has_entry() && e.entry().message_id() == messageId; });
    QVERIFY(event);
    QCOMPARE(event->entry().seq(), seq);
    QCOMPARE(event->entry().device_ciphertext().ciphertext(), ciphertext);
    QCOMPARE(event->entry().sender().user_id(), alice.device.userId);
    // Idempotent retry: same seq, no second delivery.
    response = alice.client->request(
        appendPerDevice(conversation.conversation_id(), messageId, { { &bob.device, ciphertext } }));
    QVERIFY(response);
    QVERIFY(response->append().duplicate());
    QCOMPARE(response->append().seq(), seq);
}

void RelayProtocolTest::concurrentAppendsAreTotallyOrdered()
{
    auto a = registerParticipant(relay_.url(), uniqueHandle("oa"));
    auto b = registerParticipant(relay_.url(), uniqueHandle("ob"));
    auto c = registerParticipant(relay_.url(), uniqueHandle("oc"));
    auto response
        = a.client->request(createConversation(v1::CONVERSATION_KIND_GROUP, { b.device.userId, c.device.userId }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto id = response->create_conversation().conversation().conversation_id();
    constexpr int kEach = 60;
    std::vector<std::uint64_t> aIds;
    std::vector<std::uint64_t> bIds;
    // Pipelined from two connections at once: the relay batches them.
    for (int i = 0; i < kEach; ++i) {
        aIds.push_back(a.client->send(appendSenderKey(id, randomId(), "a" + std::to_string(i))));
        bIds.push_back(b.client->send(appendSenderKey(id, randomId(), "b" + std::to_string(i))));
    }
    std::set<std::uint64_t> seqs;
    for (auto [client, ids] : { std::pair { a.client.get(), &aIds }, std::pair { b.client.get(), &bIds } }) {
        std::uint64_t previous = 0;
        for (auto requestId : *ids) {
            auto r = client->waitResponse(requestId);
            QVERIFY(r);
            QCOMPARE(r->status(), v1::STATUS_OK);
            QVERIFY(r->append().seq() > previous); // one sender's appends keep their order
            previous = r->append().seq();
            QVERIFY(seqs.insert(previous).second);
        }
    }
    QCOMPARE(static_cast<int>(seqs.size()), 2 * kEach);
    QCOMPARE(*seqs.begin(), std::uint64_t { 2 }); // seq 1 is the creation entry
    QCOMPARE(*seqs.rbegin(), std::uint64_t { 2 * kEach + 1 }); // no gaps
    // C sees them all in sequence order.
    std::uint64_t last = 1;
    for (int i = 0; i < 2 * kEach; ++i) {
        auto event
            = c.client->waitEvent([](const v1::Event& e) { return e.has_entry() && !e.entry().has_membership(); });
        QVERIFY(event);
        QCOMPARE(event->entry().seq(), last + 1);
        last = event->entry().seq();
    }
}

void RelayProtocolTest::offlineCatchUpWithPaging()
{
    auto a = registerParticipant(relay_.url(), uniqueHandle("fa"));
    auto b = registerParticipant(relay_.url(), uniqueHandle("fb"));
    auto response = a.client->request(createConversation(v1::CONVERSATION_KIND_DIRECT, { b.device.userId }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto id = response->create_conversation().conversation().conversation_id();
    b.client->close();
    std::vector<std::string> sent;
    for (int i = 0; i < 30; ++i) {
        sent.push_back("ct-" + std::to_string(i));
        response = a.client->request(appendPerDevice(id, randomId(), { { &b.device, sent.back() } }));
        QVERIFY(response && response->status() == v1::STATUS_OK);
    }
    RelayTestClient bAgain;
    QVERIFY(bAgain.login(relay_.url(), b.device));
    std::vector<std::string> received;
    std::uint64_t cursor = 1; // skip the creation entry
    bool more = true;
    int pages = 0;
    while (more) {
        response = bAgain.request(syncRequest(id, cursor, 10));
        QVERIFY(response && response->status() == v1::STATUS_OK);
        for (const auto& e : response->sync().entries()) {
            QCOMPARE(e.seq(), cursor + 1);
            cursor = e.seq();
            received.push_back(e.device_ciphertext().ciphertext());
        }
        more = response->sync().has_more();
        ++pages;
        QVERIFY(pages < 10);
    }
    QCOMPARE(received, sent);
    // Acked cursors are remembered: a sync without cursors starts after them.
    v1::Request ack;
    auto* c = ack.mutable_ack()->add_entries();
    c->set_conversation_id(id);
    c->set_after_seq(cursor);
    response = bAgain.request(ack);
    QVERIFY(response && response->status() == v1::STATUS_OK);
    response = bAgain.request(syncRequest({}, 0));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QCOMPARE(response->sync().entries_size(), 0);
    // History pages backwards from the newest.
    v1::Request history;
    history.mutable_history()->set_conversation_id(id);
    history.mutable_history()->set_limit(5);
    response = bAgain.request(history);
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QCOMPARE(response->history().entries_size(), 5);
    QCOMPARE(response->history().entries(0).seq(), cursor);
    QVERIFY(response->history().has_more());
}

void RelayProtocolTest::authorizationRefusals()
{
    auto a = registerParticipant(relay_.url(), uniqueHandle("za"));
    auto b = registerParticipant(relay_.url(), uniqueHandle("zb"));
    auto outsider = registerParticipant(relay_.url(), uniqueHandle("zo"));
    auto response = a.client->request(createConversation(v1::CONVERSATION_KIND_GROUP, { b.device.userId }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto id = response->create_conversation().conversation().conversation_id();
    response = outsider.client->request(appendSenderKey(id, randomId(), "intrusion"));
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_FORBIDDEN);
    response = outsider.client->request(syncRequest(id, 0));
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_FORBIDDEN);
    v1::Request history;
    history.mutable_history()->set_conversation_id(id);
    response = outsider.client->request(history);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_FORBIDDEN);
    // A plain member cannot add people; the outsider cannot remove anyone.
    v1::Request add;
    add.mutable_add_members()->set_conversation_id(id);
    add.mutable_add_members()->add_user_ids(outsider.device.userId);
    response = b.client->request(add);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_FORBIDDEN);
    v1::Request remove;
    remove.mutable_remove_member()->set_conversation_id(id);
    remove.mutable_remove_member()->set_user_id(b.device.userId);
    response = outsider.client->request(remove);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_NOT_FOUND);
    // A removed member reads nothing sent after removal.
    response = a.client->request(remove);
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QVERIFY(b.client->waitEvent([](const v1::Event& e) {
        return e.has_entry() && e.entry().membership().action() == v1::MembershipChange::ACTION_REMOVED;
    }));
    response = a.client->request(appendSenderKey(id, randomId(), "after removal"));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    response = b.client->request(syncRequest(id, 0));
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_FORBIDDEN);
    QVERIFY(!b.client->waitEvent(
        [](const v1::Event& e) { return e.has_entry() && e.entry().has_sender_key_ciphertext(); }, 300));
}

void RelayProtocolTest::channelRoles()
{
    auto owner = registerParticipant(relay_.url(), uniqueHandle("co"));
    auto reader = registerParticipant(relay_.url(), uniqueHandle("cr"));
    auto other = registerParticipant(relay_.url(), uniqueHandle("cx"));
    auto response = owner.client->request(
        createConversation(v1::CONVERSATION_KIND_CHANNEL, { reader.device.userId, other.device.userId }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto id = response->create_conversation().conversation().conversation_id();
    response = reader.client->request(appendSenderKey(id, randomId(), "reader post"));
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_FORBIDDEN);
    response = owner.client->request(appendSenderKey(id, randomId(), "owner post"));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QVERIFY(
        other.client->waitEvent([](const v1::Event& e) { return e.entry().sender_key_ciphertext() == "owner post"; }));
    // Promoted to admin: may post.
    v1::Request promote;
    promote.mutable_set_role()->set_conversation_id(id);
    promote.mutable_set_role()->set_user_id(reader.device.userId);
    promote.mutable_set_role()->set_role(v1::ROLE_ADMIN);
    response = reader.client->request(promote); // not an owner
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_FORBIDDEN);
    response = owner.client->request(promote);
    QVERIFY(response && response->status() == v1::STATUS_OK);
    response = reader.client->request(appendSenderKey(id, randomId(), "admin post"));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QVERIFY(
        other.client->waitEvent([](const v1::Event& e) { return e.entry().sender_key_ciphertext() == "admin post"; }));
}

void RelayProtocolTest::ttlExpiry()
{
    auto a = registerParticipant(relay_.url(), uniqueHandle("ta"));
    auto b = registerParticipant(relay_.url(), uniqueHandle("tb"));
    auto response = a.client->request(createConversation(v1::CONVERSATION_KIND_GROUP, { b.device.userId }, 1));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QCOMPARE(response->create_conversation().conversation().ttl_seconds(), 1u);
    const auto id = response->create_conversation().conversation().conversation_id();
    response = a.client->request(appendSenderKey(id, randomId(), "vanishing"));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    response = b.client->request(syncRequest(id, 0));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QCOMPARE(response->sync().entries_size(), 2); // creation + message
    QVERIFY(response->sync().entries(1).expires_ms() > 0);
    QTest::qWait(2500);
    response = b.client->request(syncRequest(id, 0));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QCOMPARE(response->sync().entries_size(), 0);
}

void RelayProtocolTest::multiDeviceAndRevocation()
{
    auto a = registerParticipant(relay_.url(), uniqueHandle("ma"));
    auto b = registerParticipant(relay_.url(), uniqueHandle("mb"));
    // A second device of A, registered by the first (linking).
    auto keys = tenchat::crypto::generateIdentityKeyPair();
    QVERIFY(keys.hasValue());
    TestDevice a2 { a.device.handle, a.device.userId, 0,
        std::make_shared<tenchat::crypto::IdentityKeyPair>(std::move(*keys)) };
    v1::Request add;
    auto* r = add.mutable_register_device();
    r->set_identity_key(a2.publicKey());
    r->set_registration_id(11);
    r->set_device_name("laptop");
    r->set_signature(a2.sign(p::registerDevicePayload(a.device.userId, a2.publicKey())));
    auto response = a.client->request(add);
    QVERIFY(response && response->status() == v1::STATUS_OK);
    a2.deviceId = response->register_device().device_id();
    QCOMPARE(a2.deviceId, 2u);
    RelayTestClient a2Client;
    QVERIFY(a2Client.login(relay_.url(), a2));

    response = a.client->request(createConversation(v1::CONVERSATION_KIND_DIRECT, { b.device.userId }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto id = response->create_conversation().conversation().conversation_id();
    // Forgetting the sender's other device is refused.
    response = a.client->request(appendPerDevice(id, randomId(), { { &b.device, "x" } }));
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_DEVICES_MISMATCH);
    QCOMPARE(response->devices_mismatch().missing(0).device_id(), a2.deviceId);
    const auto messageId = randomId();
    response = a.client->request(appendPerDevice(id, messageId, { { &b.device, "for-b" }, { &a2, "for-a2" } }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    auto event = a2Client.waitEvent([&](const v1::Event& e) { return e.entry().message_id() == messageId; });
    QVERIFY(event);
    QCOMPARE(event->entry().device_ciphertext().ciphertext(), std::string("for-a2"));

    // Revoke device 2: its connection is closed, it cannot log in again,
    // and it is no longer expected in appends.
    v1::Request revoke;
    revoke.mutable_revoke_device()->set_device_id(a2.deviceId);
    response = a.client->request(revoke);
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QVERIFY(a2Client.waitClosed(5000));
    RelayTestClient again;
    QVERIFY(again.open(relay_.url()) && again.hello());
    QCOMPARE(again.authenticate(a2), v1::STATUS_FORBIDDEN);
    response = a.client->request(appendPerDevice(id, randomId(), { { &b.device, "after" } }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    v1::Request fetch;
    fetch.mutable_fetch_bundles()->set_user_id(a.device.userId);
    fetch.mutable_fetch_bundles()->set_device_id(a2.deviceId);
    response = b.client->request(fetch);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_NOT_FOUND); // revoked devices hand out no bundles
}

void RelayProtocolTest::toDeviceQueue()
{
    auto a = registerParticipant(relay_.url(), uniqueHandle("qa"));
    auto b = registerParticipant(relay_.url(), uniqueHandle("qb"));
    v1::Request send;
    send.mutable_send_to_device()->set_message_id(randomId());
    auto* e = send.mutable_send_to_device()->add_envelopes();
    e->mutable_recipient()->set_user_id(b.device.userId);
    e->mutable_recipient()->set_device_id(b.device.deviceId);
    e->set_type(3);
    e->set_ciphertext("sender-key-distribution");
    auto response = a.client->request(send);
    QVERIFY(response && response->status() == v1::STATUS_OK);
    auto event = b.client->waitEvent([](const v1::Event& ev) { return ev.has_to_device(); });
    QVERIFY(event);
    QCOMPARE(event->to_device().ciphertext(), std::string("sender-key-distribution"));
    QCOMPARE(event->to_device().sender().user_id(), a.device.userId);
    v1::Request fetch;
    fetch.mutable_fetch_to_device();
    response = b.client->request(fetch);
    QVERIFY(response && response->fetch_to_device().messages_size() == 1);
    v1::Request ack;
    ack.mutable_ack()->add_to_device_ids(event->to_device().id());
    response = b.client->request(ack);
    QVERIFY(response && response->status() == v1::STATUS_OK);
    response = b.client->request(fetch);
    QVERIFY(response);
    QCOMPARE(response->fetch_to_device().messages_size(), 0); // deleted on ack
    // Unknown recipient device: refused with the stale list.
    e->mutable_recipient()->set_device_id(42);
    send.mutable_send_to_device()->set_message_id(randomId());
    response = a.client->request(send);
    QVERIFY(response);
    QCOMPARE(response->status(), v1::STATUS_DEVICES_MISMATCH);
    QCOMPARE(response->devices_mismatch().stale_size(), 1);
}

void RelayProtocolTest::typingIsRelayedNotStored()
{
    auto a = registerParticipant(relay_.url(), uniqueHandle("ya"));
    auto b = registerParticipant(relay_.url(), uniqueHandle("yb"), { std::string(p::kFeatureTyping) });
    auto response = a.client->request(createConversation(v1::CONVERSATION_KIND_DIRECT, { b.device.userId }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto id = response->create_conversation().conversation().conversation_id();
    v1::Request typing;
    typing.mutable_typing()->set_conversation_id(id);
    typing.mutable_typing()->set_typing(true);
    response = a.client->request(typing);
    QVERIFY(response && response->status() == v1::STATUS_OK);
    auto event = b.client->waitEvent([](const v1::Event& e) { return e.has_typing(); });
    QVERIFY(event);
    QVERIFY(event->typing().typing());
    response = b.client->request(syncRequest(id, 1));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    QCOMPARE(response->sync().entries_size(), 0); // nothing stored
}

// Blob reads run on the relay's workers and are answered as they finish:
// every request of a burst gets its own blob back (matched by request id),
// and the per-account bound on queued reads never refuses the first 32.
void RelayProtocolTest::burstOfBlobDownloadsIsAnsweredByRequestId()
{
    auto alice = registerParticipant(relay_.url(), uniqueHandle("ba"));
    auto bob = registerParticipant(relay_.url(), uniqueHandle("bb"));
    auto response = alice.client->request(createConversation(v1::CONVERSATION_KIND_DIRECT, { bob.device.userId }));
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto conversationId = response->create_conversation().conversation().conversation_id();

    std::vector<std::string> blobs;
    std::vector<std::string> ids;
    std::uint64_t total = 0;
    for (int i = 0; i < 3; ++i) {
        blobs.push_back(randomId(std::size_t(64 * 1024 + i)));
        auto digest = tenchat::crypto::blake2b(tenchat::crypto::asBytes(blobs.back()));
        QVERIFY(digest);
        ids.emplace_back(reinterpret_cast<const char*>(digest->data()), digest->size());
        total += blobs.back().size();
    }
    v1::Request begin;
    begin.mutable_blob_upload_begin()->set_conversation_id(conversationId);
    begin.mutable_blob_upload_begin()->set_chunk_count(3);
    begin.mutable_blob_upload_begin()->set_total_bytes(total);
    response = alice.client->request(begin);
    QVERIFY(response && response->status() == v1::STATUS_OK);
    const auto session = response->blob_upload_begin().session_id();
    v1::Request finish;
    finish.mutable_blob_upload_finish()->set_session_id(session);
    for (std::size_t i = 0; i < blobs.size(); ++i) {
        v1::Request put;
        put.mutable_blob_put()->set_session_id(session);
        put.mutable_blob_put()->set_blob_id(ids[i]);
        put.mutable_blob_put()->set_data(blobs[i]);
        response = alice.client->request(put);
        QVERIFY(response && response->status() == v1::STATUS_OK);
        finish.mutable_blob_upload_finish()->add_blob_ids(ids[i]);
    }
    response = alice.client->request(finish);
    QVERIFY(response && response->status() == v1::STATUS_OK);

    constexpr int kBurst = 40;
    std::vector<std::uint64_t> requests;
    for (int i = 0; i < kBurst; ++i) {
        v1::Request get;
        get.mutable_blob_get()->set_blob_id(ids[std::size_t(i % 3)]);
        requests.push_back(bob.client->send(get));
    }
    int ok = 0;
    for (int i = 0; i < kBurst; ++i) {
        auto answer = bob.client->waitResponse(requests[std::size_t(i)], 15000);
        QVERIFY2(answer, qPrintable(QStringLiteral("no answer to download %1").arg(i)));
        if (answer->status() == v1::STATUS_RATE_LIMITED)
            continue;
        QCOMPARE(answer->status(), v1::STATUS_OK);
        QVERIFY(answer->blob_get().data() == blobs[std::size_t(i % 3)]);
        QCOMPARE(answer->blob_get().total_bytes(), blobs[std::size_t(i % 3)].size());
        ++ok;
    }
    QVERIFY2(ok >= 32, qPrintable(QStringLiteral("only %1 of %2 downloads answered").arg(ok).arg(kBurst)));
}

QTEST_GUILESS_MAIN(RelayProtocolTest)
#include "RelayProtocolTest.moc"
