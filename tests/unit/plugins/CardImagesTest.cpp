// SPDX-License-Identifier: GPL-3.0-or-later
// Card images from attachments: a structured message's "attachments" (file
// manifests) get ids "<message id>:<index>"; a card may show the images among
// them and nothing else (no other message's attachments, no URL, no path),
// each refusal with its precise reason; the host hands the attachments to the
// renderer and validates its card against them; a plugin cannot send a body
// with broken attachments.
#include "AttachmentSupport.h"
#include "FakeEnvironment.h"
#include "SandboxSupport.h"

#include "tenchat/core/plugins/Card.h"
#include "tenchat/core/plugins/MessageAttachment.h"
#include "tenchat/core/plugins/PluginHost.h"
#include "tenchat/core/store/VisibleText.h"

#include <QTest>

using namespace tenchat::core::plugins;
using namespace tenchat::testing;

namespace {

const QString kMessage = QStringLiteral("01HMSGA");
const QString kType = QStringLiteral("application/vnd.test.gallery+json");

// A photo, a PDF, a broken entry and another photo.
QString galleryBody()
{
    return bodyWithAttachments({ fileManifest(QStringLiteral("beach.jpg"), QStringLiteral("image/jpeg"),
                                     QByteArray("\xff\xd8 jpeg", 7), 640, 480),
        fileManifest(QStringLiteral("menu.pdf"), QStringLiteral("application/pdf")),
        QJsonObject { { QStringLiteral("name"), QStringLiteral("no key") } },
        fileManifest(QStringLiteral("sunset.png"), QStringLiteral("image/png")) });
}

Card::Context galleryContext()
{
    return { kMessage, MessageAttachment::ofMessage(kMessage, galleryBody()) };
}

QJsonObject cardWithImages(const QJsonArray& images)
{
    return { { QStringLiteral("title"), QStringLiteral("Holiday") }, { QStringLiteral("images"), images } };
}

// The InvalidCard message for `images`, or "" when the card is valid.
QString refusal(const QJsonArray& images)
{
    auto card = Card::fromJson(cardWithImages(images), galleryContext());
    if (card)
        return {};
    return card.error().code == PluginErrorCode::InvalidCard ? card.error().message : QStringLiteral("wrong code");
}

} // namespace

class CardImagesTest : public QObject {
    Q_OBJECT

private slots:
    void attachmentsOfAMessage();
    void validReferences();
    void otherMessagesAttachmentRefused();
    void urlsAndPathsRefused_data();
    void urlsAndPathsRefused();
    void otherBadReferences();
    void sendChecksAttachments();
    void hostRendersImagesFromAttachments();
    void onlyTheFallbackIsReadableText();
};

void CardImagesTest::attachmentsOfAMessage()
{
    const auto attachments = MessageAttachment::ofMessage(kMessage, galleryBody());
    QCOMPARE(attachments.size(), 3); // the broken entry names nothing
    QCOMPARE(attachments.at(0).id, kMessage + QStringLiteral(":0"));
    QCOMPARE(attachments.at(0).name, QStringLiteral("beach.jpg"));
    QCOMPARE(attachments.at(0).width, 640);
    QVERIFY(attachments.at(0).isImage());
    QVERIFY(!attachments.at(0).thumbnail.isEmpty());
    QCOMPARE(attachments.at(1).id, kMessage + QStringLiteral(":1"));
    QVERIFY(!attachments.at(1).isImage());
    QCOMPARE(attachments.at(2).id, kMessage + QStringLiteral(":3"));
    // What a renderer sees: never the file key or the chunk list.
    const QVariantMap seen = attachments.at(0).toVariantMap();
    QVERIFY(!seen.contains(QStringLiteral("key")));
    QVERIFY(!seen.contains(QStringLiteral("chunks")));
    QCOMPARE(seen.value(QStringLiteral("image")).toBool(), true);
    QVERIFY(MessageAttachment::ofMessage(kMessage, QStringLiteral("not json")).isEmpty());
    QVERIFY(MessageAttachment::ofMessage(kMessage, QStringLiteral(R"({"fallback":"x"})")).isEmpty());
}

void CardImagesTest::validReferences()
{
    auto card = Card::fromJson(cardWithImages({ kMessage + QStringLiteral(":0"),
                                   QJsonObject { { QStringLiteral("attachment"), kMessage + QStringLiteral(":3") },
                                       { QStringLiteral("alt"), QStringLiteral("The sunset") } } }),
        galleryContext());
    QVERIFY2(card, card ? "" : qPrintable(card.error().describe()));
    QCOMPARE(card->images.size(), 2);
    QCOMPARE(card->images.at(0).attachmentId, kMessage + QStringLiteral(":0"));
    QCOMPARE(card->images.at(1).alt, QStringLiteral("The sunset"));
    const QVariantList shown = card->toVariantMap().value(QStringLiteral("images")).toList();
    QCOMPARE(shown.size(), 2);
    QCOMPARE(shown.at(1).toMap().value(QStringLiteral("attachment")).toString(), kMessage + QStringLiteral(":3"));
    QCOMPARE(shown.at(1).toMap().value(QStringLiteral("alt")).toString(), QStringLiteral("The sunset"));
}

void CardImagesTest::otherMessagesAttachmentRefused()
{
    // Valid in its own message, refused in this one.
    const QString other = QStringLiteral("01HMSGB:0");
    QVERIFY(Card::fromJson(cardWithImages({ other }),
        { QStringLiteral("01HMSGB"), MessageAttachment::ofMessage(QStringLiteral("01HMSGB"), galleryBody()) }));
    QCOMPARE(refusal({ other }),
        QStringLiteral("images[0]: '01HMSGB:0' is an attachment of another message; a card shows only its own "
                       "message's"));
    QCOMPARE(refusal({ kMessage + QStringLiteral(":0"), QJsonObject { { QStringLiteral("attachment"), other } } }),
        QStringLiteral("images[1]: '01HMSGB:0' is an attachment of another message; a card shows only its own "
                       "message's"));
    // A message without attachments has none to show.
    auto none = Card::fromJson(cardWithImages({ kMessage + QStringLiteral(":0") }), { kMessage, {} });
    QVERIFY(!none);
    QCOMPARE(none.error().message, QStringLiteral("images[0]: this message has no attachment '01HMSGA:0' (it has 0)"));
}

void CardImagesTest::urlsAndPathsRefused_data()
{
    QTest::addColumn<QString>("reference");
    QTest::newRow("https") << QStringLiteral("https://example.com/cat.png");
    QTest::newRow("file url") << QStringLiteral("file:///etc/passwd");
    QTest::newRow("data url") << QStringLiteral("data:image/png;base64,iVBORw0KGgo=");
    QTest::newRow("qrc") << QStringLiteral("qrc:/tenchat/plugins/poll/main.js");
    QTest::newRow("image provider") << QStringLiteral("image://tenchatmedia/thumb/01HMSGB");
    QTest::newRow("absolute path") << QStringLiteral("/home/me/.tenchat/profile.db");
    QTest::newRow("relative path") << QStringLiteral("../../secret.jpg");
    QTest::newRow("home") << QStringLiteral("~/Pictures");
    QTest::newRow("windows") << QStringLiteral("C:\\Users\\me\\photo.jpg");
    QTest::newRow("hidden file") << QStringLiteral(".thumbnail");
}

void CardImagesTest::urlsAndPathsRefused()
{
    QFETCH(QString, reference);
    const QString expected
        = QStringLiteral("images[0]: URLs and paths are not allowed, only attachment ids of this message");
    QCOMPARE(refusal({ reference }), expected);
    QCOMPARE(refusal({ QJsonObject { { QStringLiteral("attachment"), reference } } }), expected);
}

void CardImagesTest::otherBadReferences()
{
    QCOMPARE(refusal({ kMessage + QStringLiteral(":2") }),
        QStringLiteral("images[0]: this message has no attachment '01HMSGA:2' (it has 3)")); // the broken entry
    QCOMPARE(refusal({ kMessage + QStringLiteral(":7") }),
        QStringLiteral("images[0]: this message has no attachment '01HMSGA:7' (it has 3)"));
    QCOMPARE(refusal({ kMessage + QStringLiteral(":1") }),
        QStringLiteral("images[0]: attachment '01HMSGA:1' is not an image (application/pdf)"));
    QCOMPARE(refusal({ QStringLiteral("beach.jpg") }), // a file name is not an id
        QStringLiteral("images[0]: 'beach.jpg' is not an attachment id (\"<message id>:<index>\")"));
    QCOMPARE(refusal({ QStringLiteral("beach") }),
        QStringLiteral("images[0]: 'beach' is not an attachment id (\"<message id>:<index>\")"));
    QCOMPARE(
        refusal({ 3 }), QStringLiteral("images[0] must be an attachment id or { \"attachment\": id, \"alt\": text }"));
    QCOMPARE(refusal({ QJsonObject { { QStringLiteral("attachment"), kMessage + QStringLiteral(":0") },
                 { QStringLiteral("url"), QStringLiteral("https://x") } } }),
        QStringLiteral("unknown key 'images[0].url'"));
    QCOMPARE(refusal({ QJsonObject { { QStringLiteral("alt"), QStringLiteral("no id") } } }),
        QStringLiteral("'images[0].attachment' is required"));
    QJsonArray five;
    for (int i = 0; i < 5; ++i)
        five.append(kMessage + QStringLiteral(":0"));
    QCOMPARE(refusal(five), QStringLiteral("'images' has more than 4 entries"));
}

void CardImagesTest::sendChecksAttachments()
{
    const auto good = QJsonDocument::fromJson(
        bodyWithAttachments({ fileManifest(QStringLiteral("a.jpg"), QStringLiteral("image/jpeg")) }).toUtf8())
                          .object();
    QVERIFY(MessageAttachment::checkBody(good));
    const auto bad = MessageAttachment::checkBody(QJsonDocument::fromJson(galleryBody().toUtf8()).object());
    QCOMPARE(bad.error().code, PluginErrorCode::InvalidArgument);
    QVERIFY2(bad.error().message.startsWith(QStringLiteral("attachments[2] is not a file manifest")),
        qPrintable(bad.error().message));
    QVERIFY(!MessageAttachment::checkBody({ { QStringLiteral("attachments"), QStringLiteral("x") } }));
}

void CardImagesTest::hostRendersImagesFromAttachments()
{
    FakeEnvironment env;
    PluginHost host(env);
    const auto m = makeManifest({ .capabilities = { QStringLiteral("render.payload"), QStringLiteral("emit.message") },
        .contentTypes = { kType } });
    QVERIFY(startPlugin(host, m, R"JS(
        tenchat.renderer("application/vnd.test.gallery+json", function (data, ctx) {
            var images = ctx.attachments.filter(function (a) { return a.image; })
                                        .map(function (a) { return { attachment: a.id, alt: a.name }; });
            tenchat.log("attachments " + ctx.attachments.length + " key " + (ctx.attachments[0].key === undefined));
            if (data.mode === "other") images = [ "01HOTHER:0" ];
            if (data.mode === "url") images = [ "https://example.com/x.png" ];
            return { title: "Photos", images: images };
        });
        try {
            tenchat.messages.send("c", JSON.stringify({ fallback: "x", attachments: [ { name: "forged" } ] }),
                                  { contentType: "application/vnd.test.gallery+json" });
        } catch (e) { tenchat.log("send " + e.message); }
    )JS"));
    QVERIFY(waitLog(host, m.name, QStringLiteral("send InvalidArgument: attachments[0] is not a file manifest")));
    QVERIFY(env.sent.isEmpty());

    auto renderNow = [&](const QString& mode) {
        tenchat::core::store::Message msg = message(QStringLiteral("c"),
            bodyWithAttachments({ fileManifest(QStringLiteral("beach.jpg"), QStringLiteral("image/jpeg")),
                                    fileManifest(QStringLiteral("menu.pdf"), QStringLiteral("application/pdf")) },
                { { QStringLiteral("mode"), mode } }),
            kMessage);
        msg.contentType = kType;
        std::optional<Card> result;
        host.render(msg, [&](const Card& card) { result = card; });
        [&] { QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 20000)); }();
        return result.value_or(Card {});
    };
    const Card good = renderNow(QStringLiteral("own"));
    QVERIFY(!good.unsupported);
    QCOMPARE(good.images.size(), 1);
    QCOMPARE(good.images.first().attachmentId, kMessage + QStringLiteral(":0"));
    QCOMPARE(good.images.first().alt, QStringLiteral("beach.jpg"));
    QVERIFY(waitLog(host, m.name, QStringLiteral("attachments 2 key true")));

    // Another message's attachment or a URL: the card is refused with the
    // reason in the plugin's log, and the message falls back to plain text.
    const Card other = renderNow(QStringLiteral("other"));
    QVERIFY(other.unsupported);
    QCOMPARE(other.fallback, QStringLiteral("Photos"));
    QVERIFY(waitLog(host, m.name, QStringLiteral("render: InvalidCard: images[0]: '01HOTHER:0' is an attachment of")));
    const Card url = renderNow(QStringLiteral("url"));
    QVERIFY(url.unsupported);
    QVERIFY(waitLog(host, m.name, QStringLiteral("images[0]: URLs and paths are not allowed")));
}

void CardImagesTest::onlyTheFallbackIsReadableText()
{
    // A structured body with attachments carries file keys: search and the
    // conversation list see its plain-text fallback only.
    using tenchat::core::store::VisibleText;
    const QString body
        = bodyWithAttachments({ fileManifest(QStringLiteral("beach.jpg"), QStringLiteral("image/jpeg")) },
            { { QStringLiteral("question"), QStringLiteral("Lunch?") } });
    QVERIFY(body.contains(QStringLiteral("\"key\"")));
    QCOMPARE(VisibleText::of(kType, body), QStringLiteral("Photos"));
    QCOMPARE(VisibleText::preview(kType, body), QStringLiteral("Photos"));
    QCOMPARE(VisibleText::of(kType, QStringLiteral("{\"key\":\"secret\"}")), QStringLiteral(""));
    QCOMPARE(VisibleText::of(kType, QStringLiteral("not json")), QStringLiteral(""));
    QCOMPARE(VisibleText::of(QStringLiteral("text/markdown"), QStringLiteral("**hi**")), QStringLiteral("**hi**"));
    QCOMPARE(VisibleText::of(QStringLiteral("text/plain"), QStringLiteral("{\"a\":1}")), QStringLiteral("{\"a\":1}"));
}

QTEST_GUILESS_MAIN(CardImagesTest)
#include "CardImagesTest.moc"
