// SPDX-License-Identifier: GPL-3.0-or-later
// Structured payloads (a plugin's poll, any content type this client does
// not know) are shown and searched by their plain-text fallback, never as
// JSON: VisibleText, the conversation preview, and migration 7, which
// re-indexes a version-6 profile whose index held a poll's JSON.
#include "StoreTestSupport.h"

#include "tenchat/core/store/Migrations.h"
#include "tenchat/core/store/VisibleText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace storetest;

namespace {

const QString kPoll = QStringLiteral("application/vnd.tenchat.poll+json");

// As the poll plugin sends it: fields a renderer reads, and the fallback.
QString poll(const QString& question, const QString& fallback = {})
{
    QJsonObject o { { QStringLiteral("question"), question },
        { QStringLiteral("options"), QJsonArray { QStringLiteral("Pizza"), QStringLiteral("Sushi") } },
        { QStringLiteral("pollIdentifier"), QStringLiteral("PollInternalIdXq4") } };
    if (!fallback.isNull())
        o.insert(QStringLiteral("fallback"), fallback);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

bool looksLikeJson(const QString& text)
{
    return text.contains(QLatin1Char('{')) || text.contains(QLatin1Char('"'))
        || text.contains(QLatin1String("question")) || text.contains(QLatin1String("fallback"));
}

QString previewOf(ProfileStore& store, const QString& conversationId)
{
    auto list = store.conversations().summaries();
    if (!list)
        return QStringLiteral("<error>");
    for (const ConversationSummary& s : *list)
        if (s.conversation.id == conversationId)
            return s.lastMessagePreview;
    return QStringLiteral("<missing>");
}

} // namespace

class StructuredPreviewTest : public QObject {
    Q_OBJECT
private slots:
    void visibleTextOfStructuredPayloads()
    {
        const QString body = poll(QStringLiteral("Lunch?"), QStringLiteral("Poll: Lunch?\nPizza: 1, Sushi: 0"));
        QCOMPARE(VisibleText::of(kPoll, body), QStringLiteral("Poll: Lunch?\nPizza: 1, Sushi: 0"));
        QCOMPARE(VisibleText::preview(kPoll, body), QStringLiteral("Poll: Lunch?\nPizza: 1, Sushi: 0"));
        // No fallback, not JSON, JSON that is not an object, a fallback that is not a string: a label, never the body.
        for (const QString& bad :
            { poll(QStringLiteral("Lunch?")), QStringLiteral("{not json"), QStringLiteral("[\"fallback\"]"),
                QStringLiteral(R"({"fallback":42})"), QStringLiteral(R"({"fallback":"   "})") }) {
            QCOMPARE(VisibleText::preview(kPoll, bad), VisibleText::unsupportedLabel());
            QVERIFY(!looksLikeJson(VisibleText::of(kPoll, bad)));
        }
        QCOMPARE(VisibleText::unsupportedLabel(), QStringLiteral("Unsupported message"));
        // Any unknown type is treated alike; text types pass through, JSON-looking text included.
        QCOMPARE(VisibleText::preview(QStringLiteral("application/x-unknown"), QStringLiteral(R"({"fallback":"hi"})")),
            QStringLiteral("hi"));
        QCOMPARE(VisibleText::preview(QStringLiteral("text/markdown"), QStringLiteral("**bold**")),
            QStringLiteral("**bold**"));
        QCOMPARE(
            VisibleText::of(QStringLiteral("text/plain"), QStringLiteral("{\"a\":1}")), QStringLiteral("{\"a\":1}"));
        QVERIFY(VisibleText::of(kPoll, QString()).isNull());
    }

    void conversationPreviewShowsTheFallback()
    {
        QTemporaryDir tmp;
        auto opened = ProfileStore::create(tmp.filePath(QStringLiteral("p")), "pw", fastOptions());
        QVERIFY(opened.hasValue());
        ProfileStore& store = **opened;
        for (const QString& id : { QStringLiteral("with"), QStringLiteral("without") })
            QVERIFY(store.conversations().save(conversation(id)).hasValue());
        Message with
            = message(QStringLiteral("with"), poll(QStringLiteral("Lunch?"), QStringLiteral("Poll: Lunch?")), 1);
        with.contentType = kPoll;
        Message without = message(QStringLiteral("without"), poll(QStringLiteral("Dinner?")), 1);
        without.contentType = kPoll;
        QVERIFY(store.messages().insert(with).valueOr(false));
        QVERIFY(store.messages().insert(without).valueOr(false));
        QCOMPARE(previewOf(store, QStringLiteral("with")), QStringLiteral("Poll: Lunch?"));
        QCOMPARE(previewOf(store, QStringLiteral("without")), QStringLiteral("Unsupported message"));
        // Searching finds the fallback, never a field name or a value only the JSON holds.
        QString snippet;
        QCOMPARE(searchHits(store, QStringLiteral("lunch"), &snippet), 1);
        QCOMPARE(snippet, QStringLiteral("Poll: <b>Lunch</b>?"));
        for (const QString& hidden : { QStringLiteral("question"), QStringLiteral("fallback"),
                 QStringLiteral("PollInternalIdXq4"), QStringLiteral("Dinner"), QStringLiteral("Sushi") })
            QCOMPARE(searchHits(store, hidden), 0);
    }

    void upgradeFromVersionSixIndexesTheFallbackOnly()
    {
        QVERIFY(Migrations::latestVersion() >= 7);
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("profile"));
        Message text = message(QStringLiteral("c1"), QStringLiteral("who wants lunch"), 1);
        Message vote = message(
            QStringLiteral("c1"), poll(QStringLiteral("Lunch at noon?"), QStringLiteral("Poll: Lunch at noon?")), 2);
        vote.contentType = kPoll;
        // Version 6 indexed a structured body as it was: its JSON.
        const QString created = createRawIndexedProfile(dir, 6, { text, vote }, "PollInternalIdXq4");
        QVERIFY2(created.isEmpty(), qPrintable(created));
        auto opened = ProfileStore::open(dir, "pw", fastOptions());
        QVERIFY2(opened.hasValue(), opened ? "" : qPrintable(opened.error().message));
        ProfileStore& store = **opened;
        QCOMPARE(store.database().userVersion().valueOr(-1), Migrations::latestVersion());

        for (const QString& hidden : { QStringLiteral("PollInternalIdXq4"), QStringLiteral("question"),
                 QStringLiteral("options"), QStringLiteral("fallback"), QStringLiteral("Sushi") })
            QCOMPARE(searchHits(store, hidden), 0);
        QString snippet;
        QCOMPARE(searchHits(store, QStringLiteral("noon"), &snippet), 1);
        QCOMPARE(snippet, QStringLiteral("Poll: Lunch at <b>noon</b>?"));
        QCOMPARE(searchHits(store, QStringLiteral("lunch")), 2);

        // Deleting the re-indexed poll removes exactly its terms: the index stays consistent.
        QVERIFY(store.messages().remove(vote.id).hasValue());
        QCOMPARE(searchHits(store, QStringLiteral("noon")), 0);
        QCOMPARE(searchHits(store, QStringLiteral("lunch")), 1);
        auto integrity = store.database().exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')");
        QVERIFY2(integrity.hasValue(), integrity ? "" : qPrintable(integrity.error().message));
    }
};

QTEST_GUILESS_MAIN(StructuredPreviewTest)
#include "StructuredPreviewTest.moc"
