// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/RelayClient.h"

#include <functional>

namespace tenchat::core::messaging {

// The approving device's side of linking: reads the new device's offer with
// the code, registers the new device on the account (same identity key),
// and answers with the account transfer sealed for that device only.
class LinkApproval {
public:
    using DoneHandler = std::function<void(MessagingExpected<std::uint32_t>)>;

    // `client` must be authenticated as a device of `account`. `done` gets
    // the new device id, or a clear error: InvalidArgument (not a code, or a
    // wrong code), NotFound (no device waits for it, or it expired).
    static void approve(Account& account, RelayClient& client, const QString& code, DoneHandler done);
};

} // namespace tenchat::core::messaging
