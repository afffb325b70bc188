// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MediaWorker.h"
#include "tenchat/core/media/MediaService.h"
#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/LinkRequest.h"
#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/core/messaging/RelayClient.h"
#include "tenchat/ui/MessagingService.h"

#include <memory>

namespace tenchat::ui {

// Worker-thread side of MessagingService: owned through a shared_ptr,
// created and destroyed in jobs on the store's worker thread.
struct MessagingService::Engine {
    std::unique_ptr<core::messaging::Account> account;
    std::unique_ptr<core::messaging::Messenger> messenger;
    std::unique_ptr<core::media::MediaService> media; // uses messenger
    std::unique_ptr<MediaWorker> mediaWorker; // uses media
    std::unique_ptr<core::messaging::RelayClient> registration;
    std::unique_ptr<core::messaging::LinkRequest> link; // a first run that links to an existing account
};

} // namespace tenchat::ui
