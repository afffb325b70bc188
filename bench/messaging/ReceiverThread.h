// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A receiving client on its own thread, as on another machine: its own
// Account, store connection, Messenger and event loop. The benchmark's main
// thread reads only the atomics; the client lives and dies on the worker.

#include <QObject>
#include <QString>
#include <QThread>
#include <QUrl>

#include <atomic>
#include <memory>

namespace tenchat::bench {

class ReceiverThread {
public:
    ReceiverThread() = default;
    ~ReceiverThread();
    ReceiverThread(const ReceiverThread&) = delete;
    ReceiverThread& operator=(const ReceiverThread&) = delete;

    // Registers `handle` on `relay` and connects it, on the worker thread;
    // returns once it is live (false with `error` otherwise).
    bool start(const QUrl& relay, const QString& handle, QString* error);
    // Stops the client and joins the thread.
    void stop();

    // Messages stored and reported by the receiving Messenger so far.
    qsizetype received() const { return received_.load(); }
    // The main thread is woken (a posted event) when received() reaches it.
    void wakeAt(qsizetype count) { wakeAt_.store(count); }
    // False once a message arrived with a seq not above the previous one.
    bool inOrder() const { return inOrder_.load(); }
    // CPU time of the worker thread (the receiving client alone).
    double cpuSeconds() const;

private:
    void run(const QUrl& relay, const QString& handle);

    std::unique_ptr<QThread> thread_;
    std::unique_ptr<QObject> context_; // affine to the worker
    std::atomic<int> state_ { 0 }; // 0 starting, 1 live, 2 failed
    QString error_; // written by the worker before state_ = 2
    std::atomic<qsizetype> received_ { 0 };
    std::atomic<qsizetype> wakeAt_ { -1 };
    std::atomic<bool> inOrder_ { true };
    std::atomic<bool> stop_ { false };
    std::atomic<long> clockId_ { 0 }; // clockid_t of the worker's CPU clock
};

} // namespace tenchat::bench
