// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace tenchat::core::plugins {

// What a plugin may do. A plugin gets nothing that is not listed in its
// manifest, granted by the user, and still granted at the moment it acts.
enum class Capability : std::uint32_t {
    ReadMessageMetadata = 1u << 0, // message events: id, conversation, sender, time, content type
    ReadMessageBody = 1u << 1, // message events also carry the text
    EmitMessage = 1u << 2, // send messages (and edit the ones it sent)
    ReceiveCommand = 1u << 3, // slash commands declared in the manifest
    React = 1u << 4, // add or remove reactions
    Storage = 1u << 5, // its own key-value store in the encrypted profile
    RenderPayload = 1u << 6, // render its content types as declarative cards
    Timer = 1u << 7, // run code later (setTimeout)
};

using CapabilitySet = std::uint32_t;

constexpr CapabilitySet bit(Capability c)
{
    return static_cast<CapabilitySet>(c);
}

// The manifest spelling, e.g. "read.message.body".
QString capabilityName(Capability c);
std::optional<Capability> capabilityFromName(const QString& name);
const QList<Capability>& allCapabilities();
QStringList capabilityNames(CapabilitySet set);
// nullopt if any name is unknown.
std::optional<CapabilitySet> capabilitySetFromNames(const QStringList& names);

} // namespace tenchat::core::plugins
