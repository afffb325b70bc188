// SPDX-License-Identifier: GPL-3.0-or-later
#include "MosquittoLoad.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QThread>

#include <mosquitto.h>

#include <chrono>
#include <cstring>
#include <string>

namespace tenchat::bench {

namespace {

std::int64_t steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

MosquittoLoad* self(void* userdata)
{
    return static_cast<MosquittoLoad*>(userdata);
}

std::string topicOf(std::size_t index)
{
    return "tenchat-bench/" + std::to_string(index);
}

} // namespace

MosquittoLoad::MosquittoLoad(int port, LoadOptions options) : port_(port), options_(options)
{ }

MosquittoLoad::~MosquittoLoad()
{
    for (auto* client : clients_) {
        mosquitto_disconnect(client);
        mosquitto_loop_stop(client, true);
        mosquitto_destroy(client);
    }
    if (libraryReady_)
        mosquitto_lib_cleanup();
}

void MosquittoLoad::onMessage(const void* payload, int size)
{
    if (size < static_cast<int>(sizeof(std::int64_t)))
        return;
    std::int64_t sentNs = 0;
    std::memcpy(&sentNs, payload, sizeof sentNs);
    const double ms = static_cast<double>(steadyNs() - sentNs) / 1e6;
    delivered_.fetch_add(1);
    std::lock_guard lock(latencyMutex_);
    latency_.add(ms);
}

bool MosquittoLoad::setup(QString& error)
{
    mosquitto_lib_init();
    libraryReady_ = true;
    const int n = std::max(2, options_.devices - options_.devices % 2);
    const std::string prefix = "lg" + std::to_string(QRandomGenerator::global()->bounded(100000000));
    for (int i = 0; i < n; ++i) {
        const std::string id = prefix + "-" + std::to_string(i);
        // clean_session = false: a persistent session, like a device's queue.
        auto* client = mosquitto_new(id.c_str(), false, this);
        if (!client) {
            error = QStringLiteral("mosquitto_new failed");
            return false;
        }
        clients_.push_back(client);
        mosquitto_connect_callback_set(client, [](mosquitto*, void* u, int rc) {
            if (rc == 0)
                self(u)->onConnected();
        });
        mosquitto_subscribe_callback_set(
            client, [](mosquitto*, void* u, int, int, const int*) { self(u)->onSubscribed(); });
        mosquitto_publish_callback_set(client, [](mosquitto*, void* u, int) { self(u)->onPublished(); });
        mosquitto_message_callback_set(client,
            [](mosquitto*, void* u, const mosquitto_message* m) { self(u)->onMessage(m->payload, m->payloadlen); });
        mosquitto_max_inflight_messages_set(client, 0);
        if (mosquitto_connect(client, "127.0.0.1", port_, 60) != MOSQ_ERR_SUCCESS
            || mosquitto_loop_start(client) != MOSQ_ERR_SUCCESS) {
            error = QStringLiteral("cannot connect to mosquitto");
            return false;
        }
    }
    QElapsedTimer wait;
    wait.start();
    while (connected_.load() < n && wait.elapsed() < 120000)
        QThread::msleep(10);
    for (int i = 0; i < n; ++i)
        mosquitto_subscribe(
            clients_[static_cast<std::size_t>(i)], nullptr, topicOf(static_cast<std::size_t>(i)).c_str(), 1);
    while (subscribed_.load() < n && wait.elapsed() < 120000)
        QThread::msleep(10);
    if (subscribed_.load() < n) {
        error = QStringLiteral("only %1 of %2 mosquitto clients connected, %3 subscribed")
                    .arg(connected_.load())
                    .arg(n)
                    .arg(subscribed_.load());
        return false;
    }
    return true;
}

LoadResult MosquittoLoad::run(const std::function<void()>& sample)
{
    LoadResult result;
    std::string payload(static_cast<std::size_t>(std::max(options_.size, 8)), 'x');
    QElapsedTimer clock;
    clock.start();
    std::size_t next = 0;
    qint64 lastSample = 0;
    const qint64 durationMs = static_cast<qint64>(options_.seconds * 1000);
    while (clock.elapsed() < durationMs) {
        const auto due = static_cast<std::uint64_t>(options_.rate * static_cast<double>(clock.nsecsElapsed()) / 1e9);
        std::uint64_t budget = std::min<std::uint64_t>(
            due - std::min(due, result.sent), static_cast<std::uint64_t>(std::max(1.0, options_.rate / 100.0)));
        while (budget-- > 0) {
            auto* client = clients_[next];
            const std::size_t peer = next ^ 1u;
            next = (next + 1) % clients_.size();
            const std::int64_t now = steadyNs();
            std::memcpy(payload.data(), &now, sizeof now);
            if (mosquitto_publish(
                    client, nullptr, topicOf(peer).c_str(), static_cast<int>(payload.size()), payload.data(), 1, false)
                == MOSQ_ERR_SUCCESS)
                ++result.sent;
            else
                ++result.errors;
        }
        if (clock.elapsed() - lastSample >= 250) {
            sample();
            lastSample = clock.elapsed();
        }
        QThread::usleep(500);
    }
    QElapsedTimer drain;
    drain.start();
    while (delivered_.load() < result.sent && drain.elapsed() < 5000)
        QThread::msleep(5);
    sample();
    result.sendSeconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    result.delivered = delivered_.load();
    result.acked = acked_.load();
    std::lock_guard lock(latencyMutex_);
    result.latency = latency_;
    return result;
}

} // namespace tenchat::bench
