// SPDX-License-Identifier: GPL-3.0-or-later
// Signed pre-key rotation with an injected clock: rotation after the
// interval, the previous key kept for the grace period and then deleted,
// publication tracked until the relay accepted the new key.
#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/SignedPreKeyRotation.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tenchat;
using namespace tenchat::core::messaging;

class KeyRotationTest : public QObject {
    Q_OBJECT

private slots:
    void rotatesKeepsThePreviousForTheGracePeriodThenDeletesIt();
    void unpublishedKeyIsOfferedAgain();
};

namespace {

std::unique_ptr<Account> newAccount(const QTemporaryDir& dir)
{
    core::store::ProfileOptions options;
    options.kdf = crypto::Argon2Params::forTests();
    auto account = Account::create(dir.path() + QStringLiteral("/p"), "pass", options);
    return account ? std::move(account).value() : nullptr;
}

bool hasSignedPreKey(Account& account, std::uint32_t id)
{
    auto has = account.store().protocolStore().containsSignedPreKey(id);
    return has && *has;
}

} // namespace

void KeyRotationTest::rotatesKeepsThePreviousForTheGracePeriodThenDeletesIt()
{
    QTemporaryDir dir;
    auto account = newAccount(dir);
    QVERIFY(account);
    constexpr qint64 day = SignedPreKeyRotation::kDayMs;
    qint64 now = 1'000'000'000'000;
    SignedPreKeyRotation rotation(*account, [&] { return now; });

    // The first look starts the clock of the existing key: nothing to do.
    auto first = rotation.check();
    QVERIFY(first);
    QVERIFY(!first->has_value());
    QCOMPARE(*rotation.currentId(), 1u);

    now += 6 * day;
    QVERIFY(!rotation.check()->has_value());
    QCOMPARE(*rotation.currentId(), 1u);

    // Seven days: a new signed pre-key, uploaded; the old one kept.
    now += day;
    auto rotated = rotation.check();
    QVERIFY(rotated && rotated->has_value());
    QVERIFY((*rotated)->has_signed_pre_key());
    QCOMPARE((*rotated)->signed_pre_key().key_id(), 2u);
    QCOMPARE((*rotated)->one_time_pre_keys_size(), 0);
    QCOMPARE(*rotation.currentId(), 2u);
    QCOMPARE(rotation.previousId()->value_or(0), 1u);
    QVERIFY(hasSignedPreKey(*account, 1));
    QVERIFY(hasSignedPreKey(*account, 2));
    QVERIFY(rotation.markPublished());

    // Within the grace period the previous key stays.
    now += 3 * day;
    QVERIFY(!rotation.check()->has_value());
    QVERIFY(hasSignedPreKey(*account, 1));

    // Grace over (and the next rotation due): 1 deleted, 3 current, 2 kept.
    now += 4 * day;
    auto again = rotation.check();
    QVERIFY(again && again->has_value());
    QCOMPARE((*again)->signed_pre_key().key_id(), 3u);
    QVERIFY(!hasSignedPreKey(*account, 1));
    QVERIFY(hasSignedPreKey(*account, 2));
    QVERIFY(hasSignedPreKey(*account, 3));
    QCOMPARE(rotation.previousId()->value_or(0), 2u);
    QVERIFY(rotation.markPublished());

    // A week without rotation due after the grace: 2 goes too.
    now += 7 * day - 1;
    QVERIFY(!rotation.check()->has_value());
    now += 1;
    QVERIFY(rotation.check()->has_value()); // due again at exactly 7 days
    QVERIFY(!hasSignedPreKey(*account, 2));
}

void KeyRotationTest::unpublishedKeyIsOfferedAgain()
{
    QTemporaryDir dir;
    auto account = newAccount(dir);
    QVERIFY(account);
    qint64 now = 2'000'000'000'000;
    SignedPreKeyRotation rotation(*account, [&] { return now; });
    QVERIFY(!rotation.check()->has_value());
    now += SignedPreKeyRotation::kRotationIntervalMs;
    QVERIFY(rotation.check()->has_value());
    // The upload did not go through (offline): offered again until published.
    now += 1000;
    auto retry = rotation.check();
    QVERIFY(retry && retry->has_value());
    QCOMPARE((*retry)->signed_pre_key().key_id(), 2u);
    QVERIFY(rotation.markPublished());
    QVERIFY(!rotation.check()->has_value());
}

QTEST_GUILESS_MAIN(KeyRotationTest)
#include "KeyRotationTest.moc"
