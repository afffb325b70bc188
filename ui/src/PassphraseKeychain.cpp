// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/PassphraseKeychain.h"

#ifdef TENCHAT_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace tenchat::ui {

#ifdef TENCHAT_HAVE_QTKEYCHAIN
namespace {

const QString kService = QStringLiteral("TenChat");

PassphraseKeychain::Result fromJob(const QKeychain::Job& job)
{
    switch (job.error()) {
    case QKeychain::NoError: return PassphraseKeychain::Result::Ok;
    case QKeychain::EntryNotFound: return PassphraseKeychain::Result::NotFound;
    default: return PassphraseKeychain::Result::Unavailable;
    }
}

// QtKeychain's jobs delete themselves when finished.
class SystemKeychain final : public PassphraseKeychain {
public:
    void read(const QString& key, ReadDone done) override
    {
        auto* job = new QKeychain::ReadPasswordJob(kService);
        job->setKey(key);
        QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job* j) {
            auto* readJob = static_cast<QKeychain::ReadPasswordJob*>(j);
            const Result result = fromJob(*readJob);
            done(result, result == Result::Ok ? readJob->textData() : QString());
        });
        job->start();
    }
    void write(const QString& key, const QString& secret, Done done) override
    {
        auto* job = new QKeychain::WritePasswordJob(kService);
        job->setKey(key);
        job->setTextData(secret);
        QObject::connect(
            job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job* j) { done(fromJob(*j)); });
        job->start();
    }
    void remove(const QString& key, Done done) override
    {
        auto* job = new QKeychain::DeletePasswordJob(kService);
        job->setKey(key);
        QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job* j) {
            const Result result = fromJob(*j);
            done(result == Result::NotFound ? Result::Ok : result);
        });
        job->start();
    }
};

} // namespace

std::unique_ptr<PassphraseKeychain> PassphraseKeychain::createSystem()
{
    return std::make_unique<SystemKeychain>();
}
#else
std::unique_ptr<PassphraseKeychain> PassphraseKeychain::createSystem()
{
    return nullptr;
}
#endif

} // namespace tenchat::ui
