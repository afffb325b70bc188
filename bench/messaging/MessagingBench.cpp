// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end messaging benchmark through a local relay (prints JSON):
//  - throughput: messages per second from Alice's queueText() to the
//    receiver's decrypted and committed store (both online):
//    - `before`: send window 1 (each append waits for the relay's answer:
//      the behaviour before pipelining), one thread;
//    - `singleThreadPolling`: both clients on the main thread, waiting with
//      QTest::qWaitFor as this benchmark did until 2026-11-26 (it sleeps
//      10 ms whenever the event queue is empty, which the application's
//      event loop never does);
//    - `singleThread`: both clients on the main thread, which waits in the
//      event loop like the application (woken by the sockets);
//    - `receiverThread`: the receiver (Carol) on its own thread with its own
//      store connection and event loop, as on another machine;
//    each with one queueText() (one commit) per message in a tight loop
//    (`perCall`), with queueTexts() of --queue-batch messages per commit
//    (`batched`), and (event-loop variants) one queueText() per message with
//    an event-loop pass after each (`perCallInterleaved`: sending and
//    receiving overlap the queueing, as with messages typed one by one);
//  - backlog: time for Bob, offline while Alice sent N messages, to take
//    them all in after connecting.
// `--only MODE.KIND` (e.g. singleThread.perCallInterleaved, before, backlog)
// runs that phase alone, for profiling; the others report zeros.
#include "MessagingTestClient.h"
#include "ReceiverThread.h"
#include "RelayProcess.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>

using tenchat::testing::MessagingTestClient;

namespace {

constexpr int kWaitMs = 600000;

// CPU time of this process (all clients; the relay is another process).
double cpuSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

int fail(const char* what)
{
    std::fprintf(stderr, "tenchat-bench-messaging: %s\n", what);
    return 2;
}

// Runs this thread's event loop until `done()`, blocking while there is
// nothing to do (as QCoreApplication::exec() does); false after `timeoutMs`.
bool waitInEventLoop(const std::function<bool()>& done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QTimer tick; // wakes the loop to look at the deadline
    tick.start(1000);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

struct Phase {
    double seconds = -1;
    double queueSeconds = 0;
    double cpuSeconds = 0;
    double receiverCpuSeconds = -1; // receiverThread only
};

QJsonObject toJson(const Phase& p, int messages, int batch, int window)
{
    QJsonObject o { { QStringLiteral("window"), window }, { QStringLiteral("messages"), messages },
        { QStringLiteral("queueBatch"), batch }, { QStringLiteral("queueSeconds"), p.queueSeconds },
        { QStringLiteral("clientCpuSeconds"), p.cpuSeconds },
        { QStringLiteral("clientCpuMicrosecondsPerMessage"), p.cpuSeconds / messages * 1e6 },
        { QStringLiteral("endToEndSeconds"), p.seconds },
        { QStringLiteral("endToEndMessagesPerSecond"), p.seconds > 0 ? messages / p.seconds : 0 } };
    if (p.receiverCpuSeconds >= 0)
        o.insert(QStringLiteral("receiverThreadCpuSeconds"), p.receiverCpuSeconds);
    return o;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int messages = 5000;
    int baselineMessages = 300; // window 1 is slow (one relay round trip each)
    int backlog = 10000;
    int window = tenchat::core::messaging::Messenger::kDefaultSendWindow;
    int queueBatch = 100;
    QString only; // one phase alone (for profiling): e.g. singleThread.perCallInterleaved
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--messages"))
            messages = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--baseline-messages"))
            baselineMessages = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--backlog"))
            backlog = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--window"))
            window = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--queue-batch"))
            queueBatch = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--only"))
            only = args[i + 1];
        else
            return fail("usage: [--messages N] [--baseline-messages N] [--backlog N] [--window N] [--queue-batch N] "
                        "[--only MODE.KIND]");
    }
    if (messages < 1)
        return fail("--messages must be at least 1");
    if (qEnvironmentVariableIsEmpty("TENCHAT_RELAY_BIN"))
        qputenv("TENCHAT_RELAY_BIN", qgetenv("TENCHAT_BINARY_DIR") + "/app/tenchat-relay");

    tenchat::testing::RelayProcess relay;
    if (!relay.start())
        return fail(qPrintable(relay.error()));
    QString error;
    auto alice = MessagingTestClient::create(relay.url(), QStringLiteral("alice"), &error);
    auto bob = MessagingTestClient::create(relay.url(), QStringLiteral("bob"), &error);
    if (!alice || !bob)
        return fail(qPrintable(error));
    tenchat::bench::ReceiverThread carol; // the receiver on its own thread
    if (!carol.start(relay.url(), QStringLiteral("carol"), &error))
        return fail(qPrintable(error));
    alice->start();
    bob->start();
    if (!alice->waitLive() || !bob->waitLive())
        return fail("clients did not connect");
    const QString toBob = alice->openDirect(QStringLiteral("bob"));
    const QString toCarol = alice->openDirect(QStringLiteral("carol"));
    if (toBob.isEmpty() || toCarol.isEmpty())
        return fail("no conversation");
    // Warm-up: the session set-up is not part of the figure.
    (void)alice->messenger().queueText(toBob, QStringLiteral("warm-up"));
    (void)alice->messenger().queueText(toCarol, QStringLiteral("warm-up"));
    if (!QTest::qWaitFor([&] { return bob->received.size() == 1 && carol.received() == 1; }, kWaitMs))
        return fail("warm-up message not received");

    // Alice queues `count` messages (`batch` per commit: 1 = queueText())
    // until the receiver has stored them all; `queueSeconds`: the queueing
    // loop alone.
    enum class Wait { Polling, EventLoop };
    // batch 0: one queueText() per message with one pass of the event loop
    // after each (as when every message is typed or arrives as an event of
    // its own): sending and receiving overlap the queueing.
    auto queue = [&](const QString& conversation, int count, int batch) {
        for (int i = 0; i < count; i += std::max(1, batch)) {
            if (batch <= 1) {
                (void)alice->messenger().queueText(conversation, QStringLiteral("throughput message %1").arg(i));
                if (batch == 0)
                    QCoreApplication::processEvents();
                continue;
            }
            QStringList texts;
            for (int j = i; j < std::min(count, i + batch); ++j)
                texts << QStringLiteral("throughput message %1").arg(j);
            (void)alice->messenger().queueTexts(conversation, texts);
        }
    };
    auto toBobPhase = [&](int sendWindow, int count, int batch, Wait wait) {
        Phase p;
        const double cpuStart = cpuSeconds();
        alice->messenger().setSendWindow(sendWindow);
        const qsizetype expected = bob->received.size() + count;
        QElapsedTimer timer;
        timer.start();
        queue(toBob, count, batch);
        p.queueSeconds = double(timer.nsecsElapsed()) / 1e9;
        auto done = [&] { return bob->received.size() == expected; };
        if (!(wait == Wait::Polling ? QTest::qWaitFor(done, kWaitMs) : waitInEventLoop(done, kWaitMs)))
            return p;
        p.seconds = double(timer.nsecsElapsed()) / 1e9;
        p.cpuSeconds = cpuSeconds() - cpuStart;
        return p;
    };
    auto toCarolPhase = [&](int count, int batch) {
        Phase p;
        const double cpuStart = cpuSeconds();
        const double carolCpuStart = carol.cpuSeconds();
        alice->messenger().setSendWindow(window);
        const qsizetype expected = carol.received() + count;
        carol.wakeAt(expected);
        QElapsedTimer timer;
        timer.start();
        queue(toCarol, count, batch);
        p.queueSeconds = double(timer.nsecsElapsed()) / 1e9;
        if (!waitInEventLoop([&] { return carol.received() == expected; }, kWaitMs))
            return p;
        p.seconds = double(timer.nsecsElapsed()) / 1e9;
        p.cpuSeconds = cpuSeconds() - cpuStart;
        p.receiverCpuSeconds = carol.cpuSeconds() - carolCpuStart;
        return p;
    };
    // --only: the other phases are skipped (reported with zero figures).
    auto run = [&](const char* name, const std::function<Phase()>& phase) {
        return only.isEmpty() || only == QLatin1String(name) ? phase() : Phase { 0, 0, 0, -1 };
    };
    const Phase baseline = baselineMessages > 0
        ? run("before", [&] { return toBobPhase(1, baselineMessages, 1, Wait::Polling); })
        : Phase { 0, 0, 0, -1 };
    // Interleaved, so that the machine's load varies alike for all of them.
    const Phase pollingPerCall
        = run("singleThreadPolling.perCall", [&] { return toBobPhase(window, messages, 1, Wait::Polling); });
    const Phase loopPerCall
        = run("singleThread.perCall", [&] { return toBobPhase(window, messages, 1, Wait::EventLoop); });
    const Phase threadPerCall = run("receiverThread.perCall", [&] { return toCarolPhase(messages, 1); });
    const Phase pollingBatched
        = run("singleThreadPolling.batched", [&] { return toBobPhase(window, messages, queueBatch, Wait::Polling); });
    const Phase loopBatched
        = run("singleThread.batched", [&] { return toBobPhase(window, messages, queueBatch, Wait::EventLoop); });
    const Phase threadBatched = run("receiverThread.batched", [&] { return toCarolPhase(messages, queueBatch); });
    const Phase loopInterleaved
        = run("singleThread.perCallInterleaved", [&] { return toBobPhase(window, messages, 0, Wait::EventLoop); });
    const Phase threadInterleaved = run("receiverThread.perCallInterleaved", [&] { return toCarolPhase(messages, 0); });
    for (const Phase* p : { &baseline, &pollingPerCall, &loopPerCall, &threadPerCall, &pollingBatched, &loopBatched,
             &threadBatched, &loopInterleaved, &threadInterleaved })
        if (p->seconds < 0)
            return fail("throughput messages not received");
    // In order, once each (the receivers' timeline order is the relay's).
    for (qsizetype i = 1; i < bob->received.size(); ++i)
        if (bob->received[i].serverSeq <= bob->received[i - 1].serverSeq)
            return fail("messages received out of order");
    if (!carol.inOrder())
        return fail("messages received out of order on the receiver thread");
    carol.stop();

    double backlogSeconds = 0;
    if (backlog > 0 && (only.isEmpty() || only == QLatin1String("backlog"))) {
        bob->stop();
        bob->received.clear();
        for (int i = 0; i < backlog; ++i)
            (void)alice->messenger().queueText(toBob, QStringLiteral("backlog message %1").arg(i));
        if (!QTest::qWaitFor([&] { return alice->messenger().outboxSize().valueOr(-1) == 0; }, kWaitMs))
            return fail("backlog not sent");
        QElapsedTimer timer;
        timer.start();
        bob->start();
        if (!waitInEventLoop([&] { return bob->received.size() == backlog; }, kWaitMs))
            return fail("backlog not received");
        backlogSeconds = double(timer.nsecsElapsed()) / 1e9;
    }
    auto pair = [&](const Phase& perCall, const Phase& batched, const Phase* interleaved = nullptr) {
        QJsonObject o { { QStringLiteral("perCall"), toJson(perCall, messages, 1, window) },
            { QStringLiteral("batched"), toJson(batched, messages, queueBatch, window) } };
        if (interleaved)
            o.insert(QStringLiteral("perCallInterleaved"), toJson(*interleaved, messages, 1, window));
        return o;
    };
    const QJsonObject result { { QStringLiteral("before"), toJson(baseline, baselineMessages, 1, 1) },
        { QStringLiteral("singleThreadPolling"), pair(pollingPerCall, pollingBatched) },
        { QStringLiteral("singleThread"), pair(loopPerCall, loopBatched, &loopInterleaved) },
        { QStringLiteral("receiverThread"), pair(threadPerCall, threadBatched, &threadInterleaved) },
        { QStringLiteral("backlogMessages"), backlog }, { QStringLiteral("backlogSeconds"), backlogSeconds },
        { QStringLiteral("backlogMessagesPerSecond"), backlogSeconds > 0 ? backlog / backlogSeconds : 0 } };
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Indented).constData());
    return 0;
}
