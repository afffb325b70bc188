// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReceiverThread.h"

#include "MessagingTestClient.h"

#include <QCoreApplication>

#include <pthread.h>
#include <time.h>

namespace tenchat::bench {

using tenchat::testing::MessagingTestClient;

ReceiverThread::~ReceiverThread()
{
    stop();
}

bool ReceiverThread::start(const QUrl& relay, const QString& handle, QString* error)
{
    thread_.reset(QThread::create([this, relay, handle] { run(relay, handle); }));
    context_ = std::make_unique<QObject>();
    context_->moveToThread(thread_.get()); // posted events wake the worker
    thread_->start();
    while (state_.load() == 0)
        QThread::msleep(5); // set-up only, not measured
    if (state_.load() == 2) {
        thread_->wait();
        *error = error_;
        return false;
    }
    return true;
}

void ReceiverThread::stop()
{
    if (!thread_)
        return;
    stop_.store(true);
    QMetaObject::invokeMethod(
        context_.get(), [] {}, Qt::QueuedConnection);
    thread_->wait();
    thread_.reset();
    context_.reset();
}

double ReceiverThread::cpuSeconds() const
{
    timespec t {};
    if (clock_gettime(clockid_t(clockId_.load()), &t) != 0)
        return 0;
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

void ReceiverThread::run(const QUrl& relay, const QString& handle)
{
    clockid_t clock {};
    pthread_getcpuclockid(pthread_self(), &clock);
    clockId_.store(long(clock));
    QString error;
    auto client = MessagingTestClient::create(relay, handle, &error);
    if (!client) {
        error_ = error;
        state_.store(2);
        return;
    }
    QObject::connect(&client->messenger(), &core::messaging::Messenger::messageReceived,
        [this, last = qint64(-1)](const core::store::Message& message, const QString&) mutable {
            if (!message.serverSeq || *message.serverSeq <= last)
                inOrder_.store(false);
            last = message.serverSeq.value_or(last);
            const qsizetype count = received_.fetch_add(1) + 1;
            const qsizetype wake = wakeAt_.load();
            if (wake >= 0 && count >= wake)
                QMetaObject::invokeMethod(
                    QCoreApplication::instance(), [] {}, Qt::QueuedConnection);
        });
    client->start();
    if (!client->waitLive()) {
        client->stop();
        error_ = QStringLiteral("the receiver did not connect");
        state_.store(2);
        return;
    }
    state_.store(1);
    // The application's event loop: blocks until the socket (or stop()) wakes it.
    while (!stop_.load())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    client->stop();
    client.reset();
}

} // namespace tenchat::bench
