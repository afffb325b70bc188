// SPDX-License-Identifier: GPL-3.0-or-later
#include "Watchdog.h"

namespace tenchat::core::plugins {

Watchdog::Watchdog(std::function<void()> onExpire) : onExpire_(std::move(onExpire)), thread_([this] { loop(); })
{ }

Watchdog::~Watchdog()
{
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void Watchdog::arm(std::chrono::milliseconds slice)
{
    {
        std::lock_guard lock(mutex_);
        armed_ = true;
        fired_ = false;
        ++generation_;
        deadline_ = std::chrono::steady_clock::now() + slice;
    }
    cv_.notify_all();
}

bool Watchdog::disarm()
{
    std::lock_guard lock(mutex_);
    armed_ = false;
    ++generation_;
    return fired_;
}

void Watchdog::loop()
{
    std::unique_lock lock(mutex_);
    while (!quit_) {
        if (!armed_) {
            cv_.wait(lock);
            continue;
        }
        const std::uint64_t generation = generation_;
        const auto deadline = deadline_;
        if (cv_.wait_until(lock, deadline, [&] { return quit_ || generation_ != generation; }))
            continue;
        // Still the same run, past its deadline.
        fired_ = true;
        armed_ = false;
        onExpire_();
    }
}

} // namespace tenchat::core::plugins
