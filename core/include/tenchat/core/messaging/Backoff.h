// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace tenchat::core::messaging {

// Exponential reconnect delay with full jitter: attempt n waits a uniformly
// random time in [base * 2^n / 2, base * 2^n], capped at `max`, so many
// clients that lost the same relay do not come back in lock step.
class Backoff {
public:
    Backoff(int baseMs = 250, int maxMs = 15000) : baseMs_(baseMs), maxMs_(maxMs) { }
    int nextDelayMs();
    void reset() { attempt_ = 0; }
    int attempt() const { return attempt_; }

private:
    int baseMs_;
    int maxMs_;
    int attempt_ = 0;
};

} // namespace tenchat::core::messaging
