// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeliveryHub.h"

#include "Connection.h"

#include <algorithm>

namespace tenchat::relay {

void DeliveryHub::add(Connection* connection)
{
    byId_[connection->id()] = connection;
}

void DeliveryHub::remove(Connection* connection)
{
    byId_.erase(connection->id());
    if (!connection->userId().empty()) {
        auto it = byUser_.find(connection->userId());
        if (it != byUser_.end()) {
            std::erase(it->second, connection);
            if (it->second.empty())
                byUser_.erase(it);
        }
    }
}

void DeliveryHub::bind(Connection* connection)
{
    auto& list = byUser_[connection->userId()];
    if (std::find(list.begin(), list.end(), connection) == list.end())
        list.push_back(connection);
}

Connection* DeliveryHub::find(std::uint64_t connectionId) const
{
    const auto it = byId_.find(connectionId);
    return it == byId_.end() ? nullptr : it->second;
}

const std::vector<Connection*>& DeliveryHub::connectionsOf(const std::string& userId) const
{
    static const std::vector<Connection*> none;
    const auto it = byUser_.find(userId);
    return it == byUser_.end() ? none : it->second;
}

std::vector<Connection*> DeliveryHub::connectionsOf(const std::string& userId, std::uint32_t deviceId) const
{
    std::vector<Connection*> out;
    for (auto* c : connectionsOf(userId))
        if (c->deviceId() == deviceId)
            out.push_back(c);
    return out;
}

std::vector<Connection*> DeliveryHub::all() const
{
    std::vector<Connection*> out;
    out.reserve(byId_.size());
    for (const auto& [id, c] : byId_)
        out.push_back(c);
    return out;
}

std::size_t DeliveryHub::authenticatedCount() const
{
    std::size_t n = 0;
    for (const auto& [user, list] : byUser_)
        n += list.size();
    return n;
}

} // namespace tenchat::relay
