// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <memory>

namespace tenchat::core::store {
class AsyncStore;
}

// A profile on disk with the conversations and messages the UI tests and
// screenshots show: a group with replies, reactions, an edit, a deleted and
// an unsupported message over two days; direct chats with unread messages,
// a muted one, a pinned channel.
namespace tenchat::testing {

struct ChatFixture {
    static constexpr const char* kPassphrase = "correct horse battery staple";
    // This account's user id (hex, as the messaging engine writes it) and handle.
    static constexpr const char* kSelf = "5e1f00000000000000000000000000aa";
    static constexpr const char* kHandle = "sam";
    static constexpr const char* kGroup = "c-design";
    static constexpr const char* kAlice = "c-alice";
    static constexpr const char* kBob = "c-bob";
    static constexpr const char* kChannel = "c-news";
    static constexpr int kGroupMessages = 12;

    // Creates the profile in `dir` (fast test key derivation), registered as
    // @sam on a relay that never answers (ws://127.0.0.1:9), so the engine
    // starts and stays offline; "" on success, else the error.
    static QString create(const QString& dir);
    // create(), then the profile opened on a store worker as the view-models
    // use it; nullptr on failure (with the reason in `error`).
    static std::unique_ptr<core::store::AsyncStore> createAndOpen(const QString& dir, QString* error = nullptr);
};

} // namespace tenchat::testing
