// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <functional>
#include <memory>

namespace tenchat::ui {

// Where "Remember on this device" keeps the profile's passphrase: the OS
// keychain (Secret Service, KWallet, Keychain, Credential Manager through
// QtKeychain), or a fake in tests. Answers come back on the calling thread,
// later. A backend that fails (no Secret Service running, access denied)
// reports `Unavailable`, and the UI then stops offering the option.
class PassphraseKeychain {
public:
    enum class Result { Ok, NotFound, Unavailable };
    using ReadDone = std::function<void(Result result, QString secret)>;
    using Done = std::function<void(Result result)>;

    virtual ~PassphraseKeychain() = default;

    virtual void read(const QString& key, ReadDone done) = 0;
    virtual void write(const QString& key, const QString& secret, Done done) = 0;
    // Ok also when there was nothing to remove.
    virtual void remove(const QString& key, Done done) = 0;

    // The OS keychain, or null when this build has no QtKeychain.
    static std::unique_ptr<PassphraseKeychain> createSystem();
};

} // namespace tenchat::ui
