// SPDX-License-Identifier: GPL-3.0-or-later
// "Remember on this device": SessionController with a fake keychain (no
// keychain daemon needed). A remembered passphrase unlocks without asking;
// a wrong remembered one is reported like a wrong typed one and nothing is
// removed; unchecking "remember" or "forget" removes only the keychain
// entry; a broken keychain is not offered; a changed passphrase follows.
#include "ChatFixture.h"
#include "FakeKeychain.h"

#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/SettingsController.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using tenchat::testing::ChatFixture;
using tenchat::testing::FakeKeychain;
using tenchat::ui::SessionController;

namespace {
constexpr int kTimeoutMs = 20000;
const QString kRight = QString::fromLatin1(ChatFixture::kPassphrase);
} // namespace

class SessionKeychainTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void withoutKeychainNothingIsOffered();
    void rememberedPassphraseUnlocksWithoutAsking();
    void wrongRememberedPassphraseIsReportedAndKept();
    void uncheckingAndForgettingRemoveOnlyTheEntry();
    void brokenKeychainIsNotOffered();
    void changedPassphraseReplacesTheRememberedOne();

private:
    QString key() const { return QStringLiteral("profile:%1").arg(QDir(dir_).absolutePath()); }
    QTemporaryDir root_;
    QString dir_;
};

void SessionKeychainTest::initTestCase()
{
    QVERIFY(root_.isValid());
    dir_ = root_.filePath(QStringLiteral("profile"));
    const QString error = ChatFixture::create(dir_);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void SessionKeychainTest::withoutKeychainNothingIsOffered()
{
    SessionController session(dir_);
    QVERIFY(!session.rememberAvailable());
    session.unlock(kRight, true); // asks to remember, but there is no keychain
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionController::State::Ready, kTimeoutMs);
    QVERIFY(!session.passphraseRemembered());
}

void SessionKeychainTest::rememberedPassphraseUnlocksWithoutAsking()
{
    auto state = std::make_shared<FakeKeychain::State>();
    {
        SessionController session(dir_);
        session.setKeychain(std::make_unique<FakeKeychain>(state));
        QTRY_VERIFY(session.rememberAvailable());
        QVERIFY(!session.passphraseRemembered());
        QCOMPARE(session.state(), SessionController::State::Locked);
        session.unlock(kRight, true);
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionController::State::Ready, kTimeoutMs);
        QTRY_VERIFY(session.passphraseRemembered());
        QCOMPARE(state->entries.value(key()), kRight);
    }
    // The next start unlocks with it, nothing typed.
    SessionController session(dir_);
    session.setKeychain(std::make_unique<FakeKeychain>(state));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionController::State::Ready, kTimeoutMs);
    QVERIFY(session.passphraseRemembered());
    QVERIFY(session.errorText().isEmpty());
}

void SessionKeychainTest::wrongRememberedPassphraseIsReportedAndKept()
{
    auto state = std::make_shared<FakeKeychain::State>();
    state->entries.insert(key(), QStringLiteral("an old passphrase that is wrong"));
    SessionController session(dir_);
    session.setKeychain(std::make_unique<FakeKeychain>(state));
    QTRY_VERIFY_WITH_TIMEOUT(session.errorText().contains(QStringLiteral("remembered")), kTimeoutMs);
    QCOMPARE(session.state(), SessionController::State::Locked);
    QVERIFY(!session.busy());
    // Nothing destructive: the profile still opens with the right passphrase,
    // which then replaces the remembered one.
    QCOMPARE(state->entries.size(), 1);
    session.unlock(QStringLiteral("also wrong"), true);
    QTRY_VERIFY_WITH_TIMEOUT(session.errorText().contains(QStringLiteral("not correct")), kTimeoutMs);
    QCOMPARE(session.state(), SessionController::State::Locked);
    QCOMPARE(state->entries.value(key()), QStringLiteral("an old passphrase that is wrong"));
    session.unlock(kRight, true);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionController::State::Ready, kTimeoutMs);
    QTRY_COMPARE(state->entries.value(key()), kRight);
}

void SessionKeychainTest::uncheckingAndForgettingRemoveOnlyTheEntry()
{
    auto state = std::make_shared<FakeKeychain::State>();
    state->entries.insert(key(), QStringLiteral("stale"));
    state->entries.insert(QStringLiteral("profile:/another/profile"), QStringLiteral("other"));
    {
        SessionController session(dir_);
        session.setKeychain(std::make_unique<FakeKeychain>(state));
        QTRY_VERIFY_WITH_TIMEOUT(!session.errorText().isEmpty(), kTimeoutMs);
        session.unlock(kRight, false); // "remember" unchecked: the entry goes
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionController::State::Ready, kTimeoutMs);
        QTRY_VERIFY(!state->entries.contains(key()));
        QVERIFY(!session.passphraseRemembered());
    }
    state->entries.insert(key(), kRight);
    SessionController session(dir_);
    session.setKeychain(std::make_unique<FakeKeychain>(state));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionController::State::Ready, kTimeoutMs);
    QSignalSpy changed(&session, &SessionController::keychainChanged);
    session.forgetPassphrase();
    QTRY_VERIFY(!session.passphraseRemembered());
    QVERIFY(!state->entries.contains(key()));
    QCOMPARE(state->entries.value(QStringLiteral("profile:/another/profile")), QStringLiteral("other"));
    QCOMPARE(session.state(), SessionController::State::Ready); // the session goes on
    QVERIFY(session.rememberAvailable());
}

void SessionKeychainTest::brokenKeychainIsNotOffered()
{
    auto state = std::make_shared<FakeKeychain::State>();
    state->broken = true;
    SessionController session(dir_);
    QSignalSpy changed(&session, &SessionController::keychainChanged);
    session.setKeychain(std::make_unique<FakeKeychain>(state));
    QTRY_VERIFY(changed.count() >= 2); // installed, then probed
    QVERIFY(!session.rememberAvailable());
    session.unlock(kRight, true);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionController::State::Ready, kTimeoutMs);
    QVERIFY(!session.passphraseRemembered());
    QCOMPARE(state->writes, 0);
}

void SessionKeychainTest::changedPassphraseReplacesTheRememberedOne()
{
    auto state = std::make_shared<FakeKeychain::State>();
    state->entries.insert(key(), kRight);
    SessionController session(dir_);
    session.setKeychain(std::make_unique<FakeKeychain>(state));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionController::State::Ready, kTimeoutMs);
    auto* settings = session.chat()->settings();
    const QString next = QStringLiteral("A brand new passphrase 2026");
    settings->changePassphrase(kRight, next, next);
    QTRY_VERIFY_WITH_TIMEOUT(!settings->passphraseBusy(), kTimeoutMs);
    QVERIFY2(settings->passphraseOk(), qPrintable(settings->passphraseStatus()));
    QTRY_COMPARE(state->entries.value(key()), next);
    // Back to the fixture's passphrase for the other tests.
    settings->changePassphrase(next, kRight, kRight);
    QTRY_VERIFY_WITH_TIMEOUT(!settings->passphraseBusy(), kTimeoutMs);
    QVERIFY(settings->passphraseOk());
    QTRY_COMPARE(state->entries.value(key()), kRight);
}

QTEST_MAIN(SessionKeychainTest)
#include "tst_session_keychain.moc"
