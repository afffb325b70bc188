// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace tenchat::core::plugins {

// A request from plugin code, checked on the worker thread and carried out
// (after checking again) by the host on its thread.
struct PluginAction {
    enum class Kind { Send, Edit, React, StorageSet, StorageRemove };

    Kind kind = Kind::Send;
    int requestId = 0; // > 0 when the plugin passed a callback
    QString conversationId;
    QString messageId;
    QString text;
    QString contentType;
    QString replyTo;
    QString emoji;
    bool remove = false;
    QString key;
    QByteArray value;
};

} // namespace tenchat::core::plugins
