// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Who is connected: every connection by id, and authenticated connections by
// user and device, for live fan-out. Async work (group commit) refers to
// connections by id so a connection that went away is simply skipped.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tenchat::relay {

class Connection;

class DeliveryHub {
public:
    void add(Connection* connection);
    void remove(Connection* connection);
    // Called once a connection authenticated as (userId, deviceId).
    void bind(Connection* connection);

    Connection* find(std::uint64_t connectionId) const;
    // Authenticated connections of one user (every device).
    const std::vector<Connection*>& connectionsOf(const std::string& userId) const;
    std::vector<Connection*> connectionsOf(const std::string& userId, std::uint32_t deviceId) const;
    std::vector<Connection*> all() const;

    std::size_t size() const { return byId_.size(); }
    std::size_t authenticatedCount() const;

private:
    std::unordered_map<std::uint64_t, Connection*> byId_;
    std::unordered_map<std::string, std::vector<Connection*>> byUser_;
};

} // namespace tenchat::relay
