// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/plugins/Capability.h"
#include "tenchat/core/plugins/Manifest.h"

#include <QList>
#include <QMutex>
#include <QString>

#include <atomic>

namespace tenchat::core::plugins {

// The live grant of one running plugin, shared by the host thread (which
// revokes and grants again) and the plugin's worker thread (which checks on every call), so a
// revocation is seen by the very next call. Also the messagesPerMinute window.
class PluginGuard {
public:
    PluginGuard(CapabilitySet granted, ResourceScopes scopes, int messagesPerMinute)
        : granted_(granted), scopes_(std::move(scopes)), messagesPerMinute_(messagesPerMinute)
    { }

    bool enabled() const { return enabled_.load(); }
    void disable() { enabled_.store(false); }
    bool has(Capability c) const { return enabled() && (granted_.load() & bit(c)); }
    CapabilitySet granted() const { return granted_.load(); }
    void revoke(Capability c) { granted_.fetch_and(~bit(c)); }
    // Only the user gives a capability back (PluginHost::grant); plugin code has no path here.
    void grant(Capability c) { granted_.fetch_or(bit(c)); }

    bool inScope(const QString& conversationId) const
    {
        QMutexLocker lock(&mutex_);
        return scopes_.allows(conversationId);
    }
    ResourceScopes scopes() const
    {
        QMutexLocker lock(&mutex_);
        return scopes_;
    }
    void setScopes(ResourceScopes scopes)
    {
        QMutexLocker lock(&mutex_);
        scopes_ = std::move(scopes);
    }

    // Takes one message from the sliding one-minute window; false when the
    // plugin has used up its messagesPerMinute.
    bool takeMessageToken(qint64 nowMs)
    {
        QMutexLocker lock(&mutex_);
        while (!sent_.isEmpty() && sent_.first() <= nowMs - 60000)
            sent_.removeFirst();
        if (sent_.size() >= messagesPerMinute_)
            return false;
        sent_.append(nowMs);
        return true;
    }

private:
    std::atomic<bool> enabled_ { true };
    std::atomic<CapabilitySet> granted_;
    mutable QMutex mutex_;
    ResourceScopes scopes_;
    int messagesPerMinute_;
    QList<qint64> sent_;
};

} // namespace tenchat::core::plugins
