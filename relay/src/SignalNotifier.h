// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Turns SIGTERM/SIGINT into a Qt signal through a self-pipe: the POSIX
// handler only writes one byte; a QSocketNotifier reads it in the event loop.

#include <QObject>
#include <QSocketNotifier>

#include <memory>

namespace tenchat::relay {

class SignalNotifier : public QObject {
    Q_OBJECT
public:
    explicit SignalNotifier(QObject* parent = nullptr);
    ~SignalNotifier() override;
    bool valid() const { return notifier_ != nullptr; }

signals:
    void terminationRequested(int signal);

private:
    std::unique_ptr<QSocketNotifier> notifier_;
};

} // namespace tenchat::relay
