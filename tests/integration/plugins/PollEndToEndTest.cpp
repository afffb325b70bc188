// SPDX-License-Identifier: GPL-3.0-or-later
// The bundled poll plugin end to end: two in-process clients through the real
// relay. Alice runs the poll bot; Bob starts a poll with /poll, sees the card,
// votes with its button (his own poll plugin sends the vote), and sees the
// live count after Alice's bot edits the poll.
#include "MessagingTestClient.h"
#include "RelayProcess.h"

#include "tenchat/core/plugins/MessengerEnvironment.h"
#include "tenchat/core/plugins/PluginHost.h"
#include "tenchat/core/plugins/PluginPackage.h"
#include "tenchat/core/plugins/PluginRegistry.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace tenchat;
using namespace tenchat::core;
using namespace tenchat::core::plugins;
using tenchat::testing::MessagingTestClient;

namespace {

constexpr int kTimeoutMs = 30000;
const QString kPollType = QStringLiteral("application/vnd.tenchat.poll+json");

QJsonArray counts(const QString& body)
{
    return QJsonDocument::fromJson(body.toUtf8()).object().value(QStringLiteral("counts")).toArray();
}

std::optional<Card> renderCard(PluginHost& host, const store::Message& message)
{
    std::optional<Card> card;
    host.render(message, [&](const Card& c) { card = c; });
    if (!QTest::qWaitFor([&] { return card.has_value(); }, kTimeoutMs))
        return std::nullopt;
    return card;
}

} // namespace

class PollEndToEndTest : public QObject {
    Q_OBJECT

private slots:
    void pollBetweenTwoClients();
};

void PollEndToEndTest::pollBetweenTwoClients()
{
    testing::RelayProcess relay;
    QVERIFY2(relay.start(), qPrintable(relay.error()));
    QString error;
    auto alice = MessagingTestClient::create(relay.url(), QStringLiteral("alice"), &error);
    QVERIFY2(alice, qPrintable(error));
    auto bob = MessagingTestClient::create(relay.url(), QStringLiteral("bob"), &error);
    QVERIFY2(bob, qPrintable(error));
    QVERIFY(MessagingTestClient::startAll({ alice.get(), bob.get() }));

    auto package = PluginPackage::load(QDir(PluginRegistry::bundledDirectory()).filePath(QStringLiteral("poll")));
    QVERIFY(package);
    const Manifest& manifest = package->manifest();
    MessengerEnvironment aliceEnv(alice->messenger());
    PluginHost aliceHost(aliceEnv);
    aliceEnv.attach(aliceHost);
    MessengerEnvironment bobEnv(bob->messenger());
    PluginHost bobHost(bobEnv);
    bobEnv.attach(bobHost);
    QSignalSpy aliceStarted(&aliceHost, &PluginHost::started);
    QSignalSpy bobStarted(&bobHost, &PluginHost::started);
    QVERIFY(aliceHost.start(manifest, package->mainScript(), { manifest.capabilities, manifest.scopes }));
    QVERIFY(bobHost.start(manifest, package->mainScript(), { manifest.capabilities, manifest.scopes }));
    QVERIFY(aliceStarted.wait(kTimeoutMs) && aliceStarted.first().at(1).toBool());
    QVERIFY(bobStarted.count() == 1 || bobStarted.wait(kTimeoutMs));

    // Bob asks Alice's bot for a poll.
    const QString conversation = bob->openDirect(QStringLiteral("alice"));
    QVERIFY(!conversation.isEmpty());
    QVERIFY(bob->messenger().queueText(conversation, QStringLiteral("/poll Lunch? | Pizza | Sushi")));
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (const auto& m : bob->received)
                if (m.contentType == kPollType)
                    return true;
            return false;
        },
        kTimeoutMs));
    store::Message poll;
    for (const auto& m : bob->received)
        if (m.contentType == kPollType)
            poll = m;
    QCOMPARE(counts(poll.body), (QJsonArray { 0, 0 }));

    // Bob's client draws it with his poll plugin: a card with vote buttons.
    auto card = renderCard(bobHost, poll);
    QVERIFY(card);
    QVERIFY2(!card->unsupported, qPrintable(card->text));
    QCOMPARE(card->title, QStringLiteral("Lunch?"));
    QCOMPARE(card->buttons.size(), 2);

    // A client without the plugin shows the unsupported card with the fallback.
    PluginHost bare(bobEnv);
    auto fallback = renderCard(bare, poll);
    QVERIFY(fallback && fallback->unsupported);
    QVERIFY(fallback->fallback.contains(QStringLiteral("Pizza")));

    // Bob presses "Sushi": his plugin sends "/vote ID 2" to Alice, whose bot
    // counts it and edits the poll; Bob sees the new count.
    QSignalSpy changed(&bob->messenger(), &messaging::Messenger::messageChanged);
    QVERIFY(bobHost.cardAction(manifest.name, poll.conversationId, poll.id, card->buttons.at(1).action));
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto stored = bob->store().messages().get(poll.id);
            return stored && stored->has_value() && counts((*stored)->body) == QJsonArray({ 0, 1 });
        },
        kTimeoutMs));
    QVERIFY(!changed.isEmpty());
    auto updated = bob->store().messages().get(poll.id);
    QVERIFY(updated && updated->has_value());
    auto liveCard = renderCard(bobHost, **updated);
    QVERIFY(liveCard && !liveCard->unsupported);
    QCOMPARE(liveCard->fields.at(1).value, QStringLiteral("1 vote"));
    QCOMPARE(liveCard->text, QStringLiteral("1 vote"));

    // Every action of Alice's bot is in her local audit log.
    auto audit = alice->store().database().prepare(
        "SELECT count(*) FROM audit_log WHERE event IN ('plugin.send', 'plugin.edit')");
    QVERIFY(audit);
    QVERIFY(audit->step().valueOr(false));
    QCOMPARE(audit->int32(0), 2);
}

QTEST_GUILESS_MAIN(PollEndToEndTest)
#include "PollEndToEndTest.moc"
