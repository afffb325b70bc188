// SPDX-License-Identifier: GPL-3.0-or-later
#include "SignalNotifier.h"

#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tenchat::relay {

namespace {
int g_fds[2] = { -1, -1 };

void onSignal(int signal)
{
    const char byte = static_cast<char>(signal);
    // Async-signal-safe; a full pipe just means a signal is already pending.
    [[maybe_unused]] const auto written = ::write(g_fds[0], &byte, 1);
}
} // namespace

SignalNotifier::SignalNotifier(QObject* parent) : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_fds) != 0)
        return;
    ::fcntl(g_fds[0], F_SETFL, O_NONBLOCK);
    ::fcntl(g_fds[1], F_SETFL, O_NONBLOCK);
    notifier_ = std::make_unique<QSocketNotifier>(g_fds[1], QSocketNotifier::Read);
    connect(notifier_.get(), &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        while (::read(g_fds[1], &byte, 1) == 1)
            emit terminationRequested(static_cast<int>(byte));
    });
    struct sigaction action { };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

SignalNotifier::~SignalNotifier()
{
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGINT, SIG_DFL);
    notifier_.reset();
    ::close(g_fds[0]);
    ::close(g_fds[1]);
    g_fds[0] = g_fds[1] = -1;
}

} // namespace tenchat::relay
