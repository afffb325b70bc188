// SPDX-License-Identifier: GPL-3.0-or-later
// The bundled examples (echo, poll, remind) against a fake messenger.
#include "FakeEnvironment.h"
#include "SandboxSupport.h"

#include "tenchat/core/plugins/PluginHost.h"
#include "tenchat/core/plugins/PluginPackage.h"
#include "tenchat/core/plugins/PluginRegistry.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace tenchat::core::plugins;
using namespace tenchat::testing;

namespace {

PluginPackage bundled(const QString& folder)
{
    auto p = PluginPackage::load(QDir(PluginRegistry::bundledDirectory()).filePath(folder));
    if (!p)
        qFatal("bundled %s: %s", qPrintable(folder), qPrintable(p.error().describe()));
    return *p;
}

QJsonArray counts(const QString& body)
{
    return QJsonDocument::fromJson(body.toUtf8()).object().value(QStringLiteral("counts")).toArray();
}

} // namespace

class ExamplesTest : public QObject {
    Q_OBJECT

private slots:
    void echo();
    void poll();
    void remind();
};

void ExamplesTest::echo()
{
    FakeEnvironment env;
    PluginHost host(env);
    const PluginPackage p = bundled(QStringLiteral("echo"));
    QVERIFY(startPlugin(host, p.manifest(), p.mainScript()));
    host.deliverMessage(message(QStringLiteral("c"), QStringLiteral("hello")), QStringLiteral("bob"));
    host.deliverMessage(message(QStringLiteral("c"), QStringLiteral("echo: loop")), QStringLiteral("bot"));
    QVERIFY(QTest::qWaitFor([&] { return !env.sent.isEmpty(); }, 20000));
    QTest::qWait(100);
    QCOMPARE(env.sent.size(), 1);
    QCOMPARE(env.sent.first().text, QStringLiteral("echo: hello"));
}

void ExamplesTest::poll()
{
    FakeEnvironment env;
    PluginHost host(env);
    const PluginPackage p = bundled(QStringLiteral("poll"));
    QVERIFY(startPlugin(host, p.manifest(), p.mainScript()));
    const QString type = QStringLiteral("application/vnd.tenchat.poll+json");

    host.deliverMessage(
        message(QStringLiteral("c"), QStringLiteral("/poll Lunch? | Pizza | Sushi")), QStringLiteral("bob"));
    QVERIFY(QTest::qWaitFor([&] { return !env.sent.isEmpty(); }, 20000));
    const auto poll = env.sent.first();
    QCOMPARE(poll.contentType, type);
    QCOMPARE(counts(poll.text), (QJsonArray { 0, 0 }));
    QVERIFY(QJsonDocument::fromJson(poll.text.toUtf8())
                .object()
                .value(QStringLiteral("fallback"))
                .toString()
                .contains(QStringLiteral("Pizza")));
    // The poll is stored when the send result arrives; then votes count.
    QVERIFY(QTest::qWaitFor(
        [&] { return env.state.value(p.manifest().name).contains(QStringLiteral("kv:poll:") + poll.id); }, 20000));

    host.deliverMessage(
        message(QStringLiteral("c"), QStringLiteral("/vote 1"), QStringLiteral("v1")), QStringLiteral("bob"));
    QVERIFY(QTest::qWaitFor([&] { return counts(env.edits.value(poll.id)) == QJsonArray({ 1, 0 }); }, 20000));
    host.deliverMessage(message(QStringLiteral("c"), QStringLiteral("/vote %1 2").arg(poll.id), QStringLiteral("v2")),
        QStringLiteral("carol"));
    QVERIFY(QTest::qWaitFor([&] { return counts(env.edits.value(poll.id)) == QJsonArray({ 1, 1 }); }, 20000));
    // One vote per member: bob changes his mind.
    host.deliverMessage(
        message(QStringLiteral("c"), QStringLiteral("/vote 2"), QStringLiteral("v3")), QStringLiteral("bob"));
    QVERIFY(QTest::qWaitFor([&] { return counts(env.edits.value(poll.id)) == QJsonArray({ 0, 2 }); }, 20000));

    // The card with live counts and vote buttons.
    tenchat::core::store::Message stored = message(QStringLiteral("c"), env.edits.value(poll.id), poll.id);
    stored.contentType = type;
    std::optional<Card> card;
    host.render(stored, [&](const Card& c) { card = c; });
    QVERIFY(QTest::qWaitFor([&] { return card.has_value(); }, 20000));
    QVERIFY2(!card->unsupported, qPrintable(card->text));
    QCOMPARE(card->title, QStringLiteral("Lunch?"));
    QCOMPARE(card->fields.size(), 2);
    QCOMPARE(card->fields.at(1).value, QStringLiteral("2 votes"));
    QCOMPARE(card->fields.at(1).progress.value_or(-1), 1.0);
    QCOMPARE(card->buttons.size(), 2);

    // The owner's own button vote counts locally.
    QVERIFY(host.cardAction(p.manifest().name, QStringLiteral("c"), poll.id, card->buttons.at(0).action));
    QVERIFY(QTest::qWaitFor([&] { return counts(env.edits.value(poll.id)) == QJsonArray({ 1, 2 }); }, 20000));
    // A button on someone else's poll sends the vote to its owner.
    QVERIFY(host.cardAction(
        p.manifest().name, QStringLiteral("c"), QStringLiteral("01OTHERPOLL"), QStringLiteral("vote:01OTHERPOLL:2")));
    QVERIFY(QTest::qWaitFor([&] { return env.sent.size() == 2; }, 20000));
    QCOMPARE(env.sent.last().text, QStringLiteral("/vote 01OTHERPOLL 2"));
}

void ExamplesTest::remind()
{
    FakeEnvironment env;
    PluginHost host(env);
    const PluginPackage p = bundled(QStringLiteral("remind"));
    QVERIFY(startPlugin(host, p.manifest(), p.mainScript()));
    host.deliverMessage(message(QStringLiteral("c"), QStringLiteral("/remind 1s stretch")), QStringLiteral("bob"));
    QVERIFY(QTest::qWaitFor([&] { return env.sent.size() == 1; }, 20000));
    QCOMPARE(env.sent.first().text, QStringLiteral("OK, I will remind you in 1s."));
    QVERIFY(QTest::qWaitFor([&] { return env.sent.size() == 2; }, 20000));
    QCOMPARE(env.sent.last().text, QStringLiteral("⏰ Reminder: stretch"));
    // Pending reminders survive a restart.
    host.deliverMessage(message(QStringLiteral("c"), QStringLiteral("/remind 2s later")), QStringLiteral("bob"));
    QVERIFY(QTest::qWaitFor([&] { return env.sent.size() == 3; }, 20000));
    host.stop(p.manifest().name);
    QVERIFY(startPlugin(host, p.manifest(), p.mainScript()));
    QVERIFY(QTest::qWaitFor([&] { return env.sent.size() == 4; }, 20000));
    QCOMPARE(env.sent.last().text, QStringLiteral("⏰ Reminder: later"));
    host.deliverMessage(message(QStringLiteral("c"), QStringLiteral("/remind soon")), QStringLiteral("bob"));
    QVERIFY(QTest::qWaitFor([&] { return env.sent.size() == 5; }, 20000));
    QVERIFY(env.sent.last().text.startsWith(QStringLiteral("Usage")));
}

QTEST_GUILESS_MAIN(ExamplesTest)
#include "ExamplesTest.moc"
