// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyRequestLimiter.h"

#include <algorithm>

namespace tenchat::core::messaging {

KeyRequestLimiter::KeyRequestLimiter(qint64 firstIntervalMs, qint64 maxIntervalMs)
    : firstIntervalMs_(std::max<qint64>(1, firstIntervalMs)), maxIntervalMs_(std::max(firstIntervalMs, maxIntervalMs))
{ }

bool KeyRequestLimiter::tryAcquire(const QString& stream, qint64 nowMs)
{
    State& state = states_[stream];
    if (nowMs < state.nextAllowedMs)
        return false;
    state.intervalMs = state.attempts == 0 ? firstIntervalMs_ : std::min(state.intervalMs * 2, maxIntervalMs_);
    state.nextAllowedMs = nowMs + state.intervalMs;
    ++state.attempts;
    return true;
}

void KeyRequestLimiter::reset(const QString& stream)
{
    states_.remove(stream);
}

void KeyRequestLimiter::failed(const QString& stream, qint64 nowMs, qint64 retryMs)
{
    auto it = states_.find(stream);
    if (it == states_.end())
        return;
    // Not an attempt: the interval goes back to what it was before it.
    it->attempts = std::max(0, it->attempts - 1);
    if (it->attempts > 0)
        it->intervalMs = std::max(firstIntervalMs_, it->intervalMs / 2);
    it->nextAllowedMs = nowMs + retryMs;
}

qint64 KeyRequestLimiter::nextAllowed(const QString& stream) const
{
    const auto it = states_.constFind(stream);
    return it == states_.cend() ? 0 : it->nextAllowedMs;
}

std::optional<KeyRequestLimiter::State> KeyRequestLimiter::state(const QString& stream) const
{
    const auto it = states_.constFind(stream);
    if (it == states_.cend())
        return std::nullopt;
    return *it;
}

void KeyRequestLimiter::restore(const QString& stream, const State& state, qint64 nowMs)
{
    State s = state;
    s.attempts = std::max(0, s.attempts);
    s.intervalMs = std::clamp(s.intervalMs, qint64(0), maxIntervalMs_);
    s.nextAllowedMs = std::min(s.nextAllowedMs, nowMs + s.intervalMs);
    states_.insert(stream, s);
}

int KeyRequestLimiter::attempts(const QString& stream) const
{
    return states_.value(stream).attempts;
}

} // namespace tenchat::core::messaging
