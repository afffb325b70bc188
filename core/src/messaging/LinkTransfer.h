// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What moves from an existing device to a newly linked one, inside the
// end-to-end encrypted link answer (not a public API): the registration,
// the identity key pair, contacts with their trust state, the contacts'
// identity keys (so verified safety numbers stay verified) and the
// preferences. Never written anywhere in the clear.

#include "tenchat/core/messaging/MessagingError.h"

#include <QByteArray>

namespace tenchat::core::messaging {

class Account;

namespace link {

// The transfer for the new device `deviceId` (JSON; the caller wipes it).
MessagingExpected<QByteArray> exportAccount(Account& account, std::uint32_t deviceId);
// Applies a transfer to a fresh, unregistered profile (one transaction).
MessagingOk importAccount(Account& account, const QByteArray& transfer);

} // namespace link

} // namespace tenchat::core::messaging
