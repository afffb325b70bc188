// SPDX-License-Identifier: GPL-3.0-or-later
// Migration 6: the full-text index holds only visible text. A version-5
// profile with a text message and a file message whose manifest was indexed
// (as versions 2 to 5 did: key and chunk ids searchable) is upgraded; afterwards
// the file is found by its name only, no key material matches or shows in a
// snippet, text search, edits and deletes behave as before, and new file
// messages are indexed the same way. The conversation list shows the file
// name, never the manifest.
#include "StoreTestSupport.h"

#include "tenchat/core/store/Database.h"
#include "tenchat/core/store/Migrations.h"
#include "tenchat/core/store/SearchIndex.h"
#include "tenchat/core/store/VisibleText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace storetest;

namespace {

// Alphanumeric only, so the tokenizer keeps each as one searchable word.
const QString kKey = QStringLiteral("SecretKeyMaterialZq7WvX3");
const QString kChunkId = QStringLiteral("ChunkIdNeverSearchable9");

QString manifest(const QString& name)
{
    const QJsonObject o { { QStringLiteral("v"), 1 }, { QStringLiteral("name"), name },
        { QStringLiteral("size"), 1234 }, { QStringLiteral("mime"), QStringLiteral("image/png") },
        { QStringLiteral("key"), kKey }, { QStringLiteral("chunkSize"), 1048576 },
        { QStringLiteral("chunks"), QJsonArray { kChunkId } } };
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

class SearchMigrationTest : public QObject {
    Q_OBJECT
private slots:
    void visibleTextOf()
    {
        QCOMPARE(VisibleText::of(QStringLiteral("text/plain"), QStringLiteral("hi")), QStringLiteral("hi"));
        QCOMPARE(VisibleText::of(QLatin1String(VisibleText::kFileContentType), manifest(QStringLiteral("a.png"))),
            QStringLiteral("a.png"));
        QCOMPARE(VisibleText::of(QLatin1String(VisibleText::kFileContentType), QStringLiteral("{not json")),
            QStringLiteral(""));
        QVERIFY(VisibleText::of(QStringLiteral("text/plain"), QString()).isNull());
        QCOMPARE(VisibleText::preview(QLatin1String(VisibleText::kFileContentType), manifest(QStringLiteral("b.pdf"))),
            QStringLiteral("📎 b.pdf"));
    }

    void upgradeFromVersionFiveIndexesVisibleTextOnly()
    {
        QVERIFY(Migrations::latestVersion() >= 6);
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("profile"));
        Message text = message(QStringLiteral("c1"), QStringLiteral("meet at the lighthouse"), 1);
        Message file = message(QStringLiteral("c1"), manifest(QStringLiteral("holiday-lighthouse.png")), 2);
        file.contentType = QLatin1String(VisibleText::kFileContentType);
        // Version 5 indexed the raw body: the key was searchable.
        const QString created = createRawIndexedProfile(dir, 5, { text, file }, "SecretKeyMaterialZq7WvX3");
        QVERIFY2(created.isEmpty(), qPrintable(created));
        auto opened = ProfileStore::open(dir, "pw", fastOptions());
        QVERIFY2(opened.hasValue(), opened ? "" : qPrintable(opened.error().message));
        ProfileStore& store = **opened;
        QCOMPARE(store.database().userVersion().valueOr(-1), Migrations::latestVersion());

        // No key material, chunk ids or manifest field names match.
        for (const QString& secret : { kKey, kChunkId, QStringLiteral("chunkSize"), QStringLiteral("key"),
                 QStringLiteral("mime"), QStringLiteral("1048576") })
            QCOMPARE(searchHits(store, secret), 0);
        // The file is found by its name, the snippet shows the name only.
        QString snippet;
        QCOMPARE(searchHits(store, QStringLiteral("holiday"), &snippet), 1);
        QCOMPARE(snippet, QStringLiteral("<b>holiday</b>-lighthouse.png"));
        QCOMPARE(searchHits(store, QStringLiteral("lighthouse")), 2);
        QCOMPARE(searchHits(store, QStringLiteral("meet")), 1);

        // New messages after the upgrade: the same rules.
        Message later = message(QStringLiteral("c1"), manifest(QStringLiteral("quarterly-report.pdf")), 3);
        later.contentType = QLatin1String(VisibleText::kFileContentType);
        QVERIFY(store.messages().insert(later).valueOr(false));
        QCOMPARE(searchHits(store, QStringLiteral("quarterly")), 1);
        QCOMPARE(searchHits(store, kKey), 0);
        QCOMPARE(searchHits(store, kChunkId), 0);

        // Edits and deletes still keep the index in step.
        QVERIFY(store.messages().edit(text.id, QStringLiteral("meet at the harbour"), 5000).hasValue());
        QCOMPARE(searchHits(store, QStringLiteral("harbour")), 1);
        QCOMPARE(searchHits(store, QStringLiteral("lighthouse")), 1);
        QVERIFY(store.messages().remove(file.id).hasValue());
        QCOMPARE(searchHits(store, QStringLiteral("holiday")), 0);
        QVERIFY(store.messages().tombstone(later.id).hasValue());
        QCOMPARE(searchHits(store, QStringLiteral("quarterly")), 0);
        auto integrity = store.database().exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')");
        QVERIFY2(integrity.hasValue(), integrity ? "" : qPrintable(integrity.error().message));
    }

    void conversationPreviewShowsTheFileName()
    {
        QTemporaryDir tmp;
        auto store = ProfileStore::create(tmp.filePath(QStringLiteral("p")), "pw", fastOptions());
        QVERIFY(store.hasValue());
        QVERIFY((*store)->conversations().save(conversation(QStringLiteral("c2"))).hasValue());
        Message file = message(QStringLiteral("c2"), manifest(QStringLiteral("plan.pdf")), 1);
        file.contentType = QLatin1String(VisibleText::kFileContentType);
        QVERIFY((*store)->messages().insert(file).valueOr(false));
        auto list = (*store)->conversations().summaries();
        QVERIFY(list.hasValue());
        QCOMPARE(list->size(), 1);
        QCOMPARE(list->first().lastMessagePreview, QStringLiteral("📎 plan.pdf"));
        QVERIFY(!list->first().lastMessagePreview.contains(kKey));
    }
};

QTEST_GUILESS_MAIN(SearchMigrationTest)
#include "SearchMigrationTest.moc"
