// SPDX-License-Identifier: GPL-3.0-or-later
// Bad input at the chat's entry points gets a typed error with a sentence
// for the person, and nothing stored changes: an empty or white-space-only
// message, a folder, a vanished, unreadable or remote file (file dialog,
// drop), an empty clipboard, one with nothing usable, or an image that does
// not decode. Runs on the fixture profile without the messaging engine.
#include "ChatFixture.h"

#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/InputError.h"
#include "tenchat/ui/MediaController.h"

#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace tenchat::core::store;
using tenchat::testing::ChatFixture;
using tenchat::ui::ChatController;
using tenchat::ui::MediaController;
namespace InputError = tenchat::ui::InputError;

class InputErrorsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void emptyMessageIsRefusedAndNothingChanges();
    void filesAreCheckedBeforeAnythingIsQueued();
    void unreadableFilesAreRefused();
    void clipboardWithoutAnythingToPasteIsRefused();
    void errorsReachTheChatAndCanBeDismissed();

private:
    // Runs `job` on the store's worker and waits for it.
    template <class R> R onStore(std::function<R(ProfileStore&)> job)
    {
        auto result = std::make_shared<R>();
        store_->post([job = std::move(job), result](ProfileStore& profile) { *result = job(profile); });
        store_->waitForIdle();
        return *result;
    }
    qint64 messageCount()
    {
        return onStore<qint64>([](ProfileStore& p) { return p.messages().count().valueOr(-1); });
    }
    QString draftOf(const QString& id)
    {
        return onStore<QString>([id](ProfileStore& p) {
            auto draft = p.conversations().draft(id);
            return draft && *draft ? **draft : QStringLiteral("<none>");
        });
    }

    QTemporaryDir root_;
    std::unique_ptr<AsyncStore> store_;
};

void InputErrorsTest::initTestCase()
{
    QVERIFY(root_.isValid());
    QString error;
    store_ = ChatFixture::createAndOpen(root_.filePath(QStringLiteral("p")), &error);
    QVERIFY2(store_, qPrintable(error));
}

void InputErrorsTest::cleanupTestCase()
{
    store_.reset();
}

void InputErrorsTest::emptyMessageIsRefusedAndNothingChanges()
{
    ChatController chat;
    QSignalSpy errors(&chat, &ChatController::errorOccurred);
    // No conversation open yet: refused, not silently dropped.
    QVERIFY(!chat.send(QStringLiteral("hello")));
    QCOMPARE(chat.lastErrorKind(), InputError::NoConversation);

    chat.attach(store_.get(), nullptr, QString::fromLatin1(ChatFixture::kSelf));
    const QString alice = QString::fromLatin1(ChatFixture::kAlice);
    QTRY_VERIFY(chat.conversations()->rowOfId(alice) >= 0);
    chat.openConversation(alice);
    chat.setDraftText(QStringLiteral("  \n\t "));
    chat.waitForStore();
    const qint64 before = messageCount();
    const QString draftBefore = draftOf(alice);
    QVERIFY(before > 0);

    for (const QString& empty : { QString(), QStringLiteral(""), QStringLiteral("   "), QStringLiteral("\n\t \n") }) {
        errors.clear();
        QVERIFY(!chat.send(empty));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(chat.lastErrorKind(), InputError::EmptyMessage);
        QVERIFY(chat.lastError().contains(QStringLiteral("empty")));
    }
    chat.waitForStore();
    QCOMPARE(messageCount(), before);
    QCOMPARE(draftOf(alice), draftBefore);
    QCOMPARE(chat.currentConversationId(), alice);
}

void InputErrorsTest::filesAreCheckedBeforeAnythingIsQueued()
{
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("holiday photos"));
    QVERIFY(QDir().mkpath(folder));
    const QString vanished = tmp.filePath(QStringLiteral("gone.txt"));
    {
        QFile f(vanished);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("soon gone");
    }
    QVERIFY(QFile::remove(vanished)); // picked in the dialog, deleted before sending
    const QString good = tmp.filePath(QStringLiteral("notes.txt"));
    {
        QFile f(good);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("notes");
    }

    QString message;
    QCOMPARE(MediaController::checkFile(QUrl::fromLocalFile(folder), &message), InputError::FileIsDirectory);
    QVERIFY2(message.contains(QStringLiteral("holiday photos")) && message.contains(QStringLiteral("folder")),
        qPrintable(message));
    QCOMPARE(MediaController::checkFile(QUrl::fromLocalFile(vanished), &message), InputError::FileMissing);
    QVERIFY2(message.contains(QStringLiteral("gone.txt")), qPrintable(message));
    QCOMPARE(MediaController::checkFile(QUrl(QStringLiteral("https://example.org/a.png")), &message),
        InputError::FileNotLocal);
    QCOMPARE(MediaController::checkFile(QUrl::fromLocalFile(good)), InputError::None);

    // A controller without an engine: bad files are refused by kind, one
    // error each; the good one passes the checks (and then waits for the engine).
    MediaController media;
    QSignalSpy errors(&media, &MediaController::errorOccurred);
    QCOMPARE(media.sendFiles(QStringLiteral("c-alice"),
                 { QUrl::fromLocalFile(folder), QUrl::fromLocalFile(vanished),
                     QUrl(QStringLiteral("https://example.org/a.png")) }),
        0);
    QCOMPARE(errors.size(), 3);
    QCOMPARE(errors.at(0).at(0).value<InputError::Kind>(), InputError::FileIsDirectory);
    QCOMPARE(errors.at(1).at(0).value<InputError::Kind>(), InputError::FileMissing);
    QCOMPARE(errors.at(2).at(0).value<InputError::Kind>(), InputError::FileNotLocal);
    errors.clear();
    QCOMPARE(media.sendFiles(QStringLiteral("c-alice"), { QUrl::fromLocalFile(good) }), 0);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0).at(0).value<InputError::Kind>(), InputError::NotReady);
    errors.clear();
    QCOMPARE(media.sendFiles(QString(), { QUrl::fromLocalFile(good) }), 0);
    QCOMPARE(errors.at(0).at(0).value<InputError::Kind>(), InputError::NoConversation);
    errors.clear();
    QCOMPARE(media.sendFiles(QStringLiteral("c-alice"), {}), 0); // a cancelled dialog: nothing to say
    QCOMPARE(errors.size(), 0);
}

void InputErrorsTest::unreadableFilesAreRefused()
{
    QTemporaryDir tmp;
    // Not a regular file: a named pipe (reading it would block forever).
    const QString pipe = tmp.filePath(QStringLiteral("pipe"));
    QCOMPARE(::mkfifo(QFile::encodeName(pipe).constData(), 0600), 0);
    QString message;
    QCOMPARE(MediaController::checkFile(QUrl::fromLocalFile(pipe), &message), InputError::FileUnreadable);
    QVERIFY2(message.contains(QStringLiteral("pipe")), qPrintable(message));
    // No permission (root reads any file, so only checked for other users).
    const QString locked = tmp.filePath(QStringLiteral("locked.txt"));
    {
        QFile f(locked);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("secret");
    }
    QVERIFY(QFile::setPermissions(locked, QFileDevice::Permissions()));
    QFile probe(locked);
    const bool readable = probe.open(QIODevice::ReadOnly);
    QCOMPARE(MediaController::checkFile(QUrl::fromLocalFile(locked)),
        readable ? InputError::None : InputError::FileUnreadable);
    if (::geteuid() != 0)
        QVERIFY(!readable);
}

void InputErrorsTest::clipboardWithoutAnythingToPasteIsRefused()
{
    QClipboard* clipboard = QGuiApplication::clipboard();
    QVERIFY(clipboard);
    MediaController media;
    QSignalSpy errors(&media, &MediaController::errorOccurred);
    const QString conversation = QString::fromLatin1(ChatFixture::kAlice);
    const auto lastKind
        = [&errors] { return errors.isEmpty() ? InputError::None : errors.last().at(0).value<InputError::Kind>(); };

    clipboard->clear();
    QVERIFY(media.pasteFromClipboard(conversation)); // handled: the composer pastes nothing
    QCOMPARE(lastKind(), InputError::ClipboardEmpty);

    clipboard->setText(QStringLiteral("   "));
    QVERIFY(media.pasteFromClipboard(conversation));
    QCOMPARE(lastKind(), InputError::ClipboardEmpty);

    auto* odd = new QMimeData;
    odd->setData(QStringLiteral("application/x-something-else"), QByteArray("\x01\x02", 2));
    clipboard->setMimeData(odd);
    QVERIFY(media.pasteFromClipboard(conversation));
    QCOMPARE(lastKind(), InputError::ClipboardUnsupported);
    QVERIFY(!errors.last().at(1).toString().isEmpty());

    auto* broken = new QMimeData;
    broken->setData(QStringLiteral("image/png"), QByteArray("not a png at all"));
    clipboard->setMimeData(broken);
    QVERIFY(media.pasteFromClipboard(conversation));
    QCOMPARE(lastKind(), InputError::ClipboardImageUnreadable);

    // A good image passes the checks (then needs the engine, absent here).
    QImage dot(4, 4, QImage::Format_RGB32);
    dot.fill(Qt::red);
    clipboard->setImage(dot);
    QVERIFY(media.pasteFromClipboard(conversation));
    QCOMPARE(lastKind(), InputError::NotReady);

    // Text is the composer's to paste: no error.
    errors.clear();
    clipboard->setText(QStringLiteral("see https://example.org"));
    QVERIFY(!media.pasteFromClipboard(conversation));
    QCOMPARE(errors.size(), 0);

    // A copied folder is refused like a dropped one.
    QTemporaryDir tmp;
    auto* folder = new QMimeData;
    folder->setUrls({ QUrl::fromLocalFile(tmp.path()) });
    clipboard->setMimeData(folder);
    QVERIFY(media.pasteFromClipboard(conversation));
    QCOMPARE(lastKind(), InputError::FileIsDirectory);
    clipboard->clear();
    // Nothing was saved into the (unset) cache.
    QVERIFY(media.cacheDir().isEmpty());
}

void InputErrorsTest::errorsReachTheChatAndCanBeDismissed()
{
    ChatController chat;
    QSignalSpy errors(&chat, &ChatController::errorOccurred);
    QTemporaryDir tmp;
    QCOMPARE(chat.media()->sendFiles(QStringLiteral("c-alice"), { QUrl::fromLocalFile(tmp.path()) }), 0);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(chat.lastErrorKind(), InputError::FileIsDirectory);
    QVERIFY(chat.lastError().contains(QStringLiteral("folder")));
    chat.clearError();
    QCOMPARE(chat.lastErrorKind(), InputError::None);
    QVERIFY(chat.lastError().isEmpty());
    QCOMPARE(errors.size(), 2);
    chat.clearError(); // already clear: no signal
    QCOMPARE(errors.size(), 2);
}

QTEST_MAIN(InputErrorsTest)
#include "tst_input_errors.moc"
