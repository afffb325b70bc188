// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Rate limit of sender-key requests (and answers), per stream: one request
// at once, the next one only after an interval that doubles up to a maximum
// while no answer comes; an answer resets it. A flood of undecryptable
// messages from one sender device produces one request. The clock is passed
// in (milliseconds). Not a public API.

#include <QHash>
#include <QString>

#include <optional>

namespace tenchat::core::messaging {

class KeyRequestLimiter {
public:
    // One stream's limit: when it may ask next, the interval it waited last
    // and how many requests went out without an answer.
    struct State {
        qint64 nextAllowedMs = 0;
        qint64 intervalMs = 0;
        int attempts = 0;
    };

    explicit KeyRequestLimiter(qint64 firstIntervalMs = 60'000, qint64 maxIntervalMs = 3'600'000);

    // true: send now (the stream then waits for the interval, which doubles
    // for the next time); false: one was sent too recently.
    bool tryAcquire(const QString& stream, qint64 nowMs);
    // The answer arrived: the next request may go at once.
    void reset(const QString& stream);
    // The request could not be sent (offline): it may be tried again after
    // `retryMs`, without counting as an attempt.
    void failed(const QString& stream, qint64 nowMs, qint64 retryMs = 5'000);
    // When `stream` may send again (nowMs or earlier: at once).
    qint64 nextAllowed(const QString& stream) const;
    int attempts(const QString& stream) const;
    // For keeping the limit across restarts: a stream's state (none when it
    // is free), and putting a saved one back. A saved state is only trusted
    // within the limiter's bounds: a damaged value or a clock set back never
    // silences a stream for longer than its (clamped) interval from `nowMs`.
    std::optional<State> state(const QString& stream) const;
    void restore(const QString& stream, const State& state, qint64 nowMs);

private:
    qint64 firstIntervalMs_;
    qint64 maxIntervalMs_;
    QHash<QString, State> states_;
};

} // namespace tenchat::core::messaging
