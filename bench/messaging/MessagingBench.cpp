// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end messaging benchmark through a local relay (prints JSON):
//  - throughput: messages per second from Alice's queueText() to Bob's
//    decrypted and committed store (both online), side by side with a send
//    window of 1 (each append waits for the relay's answer: the behaviour
//    before pipelining) and the pipelined window (--window, default 128),
//    the latter twice: one queueText() (one commit) per message, and
//    queueTexts() of --queue-batch messages per commit (default 100);
//  - backlog: time for Bob, offline while Alice sent N messages, to take
//    them all in after connecting.
#include "MessagingTestClient.h"
#include "RelayProcess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <ctime>

using tenchat::testing::MessagingTestClient;

namespace {

constexpr int kWaitMs = 600000;

// CPU time of this process (both clients; the relay is another process).
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

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int messages = 5000;
    int baselineMessages = 300; // window 1 is slow (one relay round trip each)
    int backlog = 10000;
    int window = tenchat::core::messaging::Messenger::kDefaultSendWindow;
    int queueBatch = 100;
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
        else
            return fail("usage: [--messages N] [--baseline-messages N] [--backlog N] [--window N] [--queue-batch N]");
    }
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
    alice->start();
    bob->start();
    if (!alice->waitLive() || !bob->waitLive())
        return fail("clients did not connect");
    const QString conversation = alice->openDirect(QStringLiteral("bob"));
    if (conversation.isEmpty())
        return fail("no conversation");
    // Warm-up: the session set-up is not part of the figure.
    (void)alice->messenger().queueText(conversation, QStringLiteral("warm-up"));
    if (!QTest::qWaitFor([&] { return bob->received.size() == 1; }, kWaitMs))
        return fail("warm-up message not received");

    // Alice queues `count` messages (`batch` per commit: 1 = queueText())
    // until Bob has stored them all. `queueSeconds`: the queueing alone.
    qsizetype expected = bob->received.size();
    double queueSeconds = 0;
    double clientCpuSeconds = 0;
    auto run = [&](int sendWindow, int count, int batch) -> double {
        const double cpuStart = cpuSeconds();
        alice->messenger().setSendWindow(sendWindow);
        expected += count;
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < count; i += batch) {
            if (batch == 1) {
                (void)alice->messenger().queueText(conversation, QStringLiteral("throughput message %1").arg(i));
                continue;
            }
            QStringList texts;
            for (int j = i; j < std::min(count, i + batch); ++j)
                texts << QStringLiteral("throughput message %1").arg(j);
            (void)alice->messenger().queueTexts(conversation, texts);
        }
        queueSeconds = double(timer.nsecsElapsed()) / 1e9;
        if (!QTest::qWaitFor([&] { return bob->received.size() == expected; }, kWaitMs))
            return -1;
        clientCpuSeconds = cpuSeconds() - cpuStart;
        return double(timer.nsecsElapsed()) / 1e9;
    };
    const double baselineSeconds = baselineMessages > 0 ? run(1, baselineMessages, 1) : 0;
    const double throughputSeconds = run(window, messages, 1);
    const double perCallQueueSeconds = queueSeconds;
    const double perCallCpuSeconds = clientCpuSeconds;
    const double batchedSeconds = run(window, messages, queueBatch);
    const double batchedQueueSeconds = queueSeconds;
    const double batchedCpuSeconds = clientCpuSeconds;
    if (baselineSeconds < 0 || throughputSeconds < 0 || batchedSeconds < 0)
        return fail("throughput messages not received");
    // In order, once each (Bob's timeline order is the relay's).
    for (qsizetype i = 1; i < bob->received.size(); ++i)
        if (bob->received[i].serverSeq <= bob->received[i - 1].serverSeq)
            return fail("messages received out of order");

    double backlogSeconds = 0;
    if (backlog > 0) {
        bob->stop();
        bob->received.clear();
        for (int i = 0; i < backlog; ++i)
            (void)alice->messenger().queueText(conversation, QStringLiteral("backlog message %1").arg(i));
        if (!QTest::qWaitFor([&] { return alice->messenger().outboxSize().valueOr(-1) == 0; }, kWaitMs))
            return fail("backlog not sent");
        QElapsedTimer timer;
        timer.start();
        bob->start();
        if (!QTest::qWaitFor([&] { return bob->received.size() == backlog; }, kWaitMs))
            return fail("backlog not received");
        backlogSeconds = double(timer.nsecsElapsed()) / 1e9;
    }
    const QJsonObject baseline { { QStringLiteral("window"), 1 }, { QStringLiteral("messages"), baselineMessages },
        { QStringLiteral("endToEndSeconds"), baselineSeconds },
        { QStringLiteral("endToEndMessagesPerSecond"), baselineSeconds > 0 ? baselineMessages / baselineSeconds : 0 } };
    const QJsonObject pipelined { { QStringLiteral("window"), window }, { QStringLiteral("messages"), messages },
        { QStringLiteral("queueBatch"), 1 }, { QStringLiteral("queueSeconds"), perCallQueueSeconds },
        { QStringLiteral("clientCpuSeconds"), perCallCpuSeconds },
        { QStringLiteral("endToEndSeconds"), throughputSeconds },
        { QStringLiteral("endToEndMessagesPerSecond"), messages / throughputSeconds } };
    const QJsonObject batched { { QStringLiteral("window"), window }, { QStringLiteral("messages"), messages },
        { QStringLiteral("queueBatch"), queueBatch }, { QStringLiteral("queueSeconds"), batchedQueueSeconds },
        { QStringLiteral("clientCpuSeconds"), batchedCpuSeconds },
        { QStringLiteral("endToEndSeconds"), batchedSeconds },
        { QStringLiteral("endToEndMessagesPerSecond"), messages / batchedSeconds } };
    const QJsonObject result { { QStringLiteral("before"), baseline }, { QStringLiteral("after"), pipelined },
        { QStringLiteral("afterBatched"), batched }, { QStringLiteral("backlogMessages"), backlog },
        { QStringLiteral("backlogSeconds"), backlogSeconds },
        { QStringLiteral("backlogMessagesPerSecond"), backlogSeconds > 0 ? backlog / backlogSeconds : 0 } };
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Indented).constData());
    return 0;
}
