// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/ui/PassphraseKeychain.h"

#include <QHash>
#include <QTimer>

#include <memory>

namespace tenchat::testing {

// An in-memory keychain that answers later, on the event loop, like the OS
// one. `entries` is shared with the test, so it can look inside and prefill;
// `broken` makes every call fail as a missing Secret Service does.
class FakeKeychain final : public tenchat::ui::PassphraseKeychain {
public:
    struct State {
        QHash<QString, QString> entries;
        bool broken = false;
        int writes = 0;
    };
    explicit FakeKeychain(std::shared_ptr<State> state) : state_(std::move(state)) { }

    void read(const QString& key, ReadDone done) override
    {
        later([state = state_, key, done] {
            if (state->broken)
                return done(Result::Unavailable, {});
            if (!state->entries.contains(key))
                return done(Result::NotFound, {});
            done(Result::Ok, state->entries.value(key));
        });
    }
    void write(const QString& key, const QString& secret, Done done) override
    {
        later([state = state_, key, secret, done] {
            if (state->broken)
                return done(Result::Unavailable);
            state->entries.insert(key, secret);
            ++state->writes;
            done(Result::Ok);
        });
    }
    void remove(const QString& key, Done done) override
    {
        later([state = state_, key, done] {
            if (state->broken)
                return done(Result::Unavailable);
            state->entries.remove(key);
            done(Result::Ok);
        });
    }

private:
    static void later(std::function<void()> fn) { QTimer::singleShot(0, std::move(fn)); }
    std::shared_ptr<State> state_;
};

} // namespace tenchat::testing
