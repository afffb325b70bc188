// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/plugins/Capability.h"

namespace tenchat::core::plugins {

QString capabilityName(Capability c)
{
    switch (c) {
    case Capability::ReadMessageMetadata: return QStringLiteral("read.message.metadata");
    case Capability::ReadMessageBody: return QStringLiteral("read.message.body");
    case Capability::EmitMessage: return QStringLiteral("emit.message");
    case Capability::ReceiveCommand: return QStringLiteral("receive.command");
    case Capability::React: return QStringLiteral("react");
    case Capability::Storage: return QStringLiteral("storage");
    case Capability::RenderPayload: return QStringLiteral("render.payload");
    case Capability::Timer: return QStringLiteral("timer");
    }
    return {};
}

const QList<Capability>& allCapabilities()
{
    static const QList<Capability> all { Capability::ReadMessageMetadata, Capability::ReadMessageBody,
        Capability::EmitMessage, Capability::ReceiveCommand, Capability::React, Capability::Storage,
        Capability::RenderPayload, Capability::Timer };
    return all;
}

std::optional<Capability> capabilityFromName(const QString& name)
{
    for (Capability c : allCapabilities())
        if (capabilityName(c) == name)
            return c;
    return std::nullopt;
}

QStringList capabilityNames(CapabilitySet set)
{
    QStringList names;
    for (Capability c : allCapabilities())
        if (set & bit(c))
            names << capabilityName(c);
    return names;
}

std::optional<CapabilitySet> capabilitySetFromNames(const QStringList& names)
{
    CapabilitySet set = 0;
    for (const QString& name : names) {
        auto c = capabilityFromName(name);
        if (!c)
            return std::nullopt;
        set |= bit(*c);
    }
    return set;
}

} // namespace tenchat::core::plugins
