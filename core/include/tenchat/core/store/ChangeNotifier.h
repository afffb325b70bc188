// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreTypes.h"

#include <QObject>

namespace tenchat::core::store {

// Emitted by the repositories after a change is committed, on the thread that
// made it (the store's worker thread). Models on the GUI thread connect to
// these (queued) to update single rows instead of reloading.
class ChangeNotifier : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

Q_SIGNALS:
    void messageUpserted(const tenchat::core::store::Message& message); // new, edited, receipt, reaction
    void messageRemoved(const QString& conversationId, const QString& messageId);
    void conversationChanged(const QString& conversationId); // metadata, unread count, preview
    void conversationRemoved(const QString& conversationId);
};

} // namespace tenchat::core::store
