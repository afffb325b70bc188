// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Small helpers to build responses, ids and times.

#include "StorageTypes.h"

#include "tenchat/v1/frame.pb.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <string>

namespace tenchat::relay {

inline tenchat::v1::Response errorResponse(tenchat::v1::Status status, std::string reason)
{
    tenchat::v1::Response response;
    response.set_status(status);
    response.set_reason(std::move(reason));
    return response;
}

inline tenchat::v1::Response okResponse()
{
    tenchat::v1::Response response;
    response.set_status(tenchat::v1::STATUS_OK);
    response.set_reason("ok");
    return response;
}

inline tenchat::v1::Response storageFailure(const StorageError& error)
{
    switch (error.code) {
    case StorageErrorCode::Conflict: return errorResponse(tenchat::v1::STATUS_CONFLICT, error.message);
    case StorageErrorCode::NotFound: return errorResponse(tenchat::v1::STATUS_NOT_FOUND, error.message);
    case StorageErrorCode::Failure: break;
    }
    return errorResponse(tenchat::v1::STATUS_INTERNAL, "storage failure; nothing was changed");
}

inline std::uint64_t nowMs()
{
    return static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch());
}

inline std::string randomBytes(std::size_t size)
{
    std::string out(size, '\0');
    for (auto& c : out)
        c = static_cast<char>(QRandomGenerator::system()->bounded(256));
    return out;
}

} // namespace tenchat::relay
