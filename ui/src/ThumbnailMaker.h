// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/media/MediaService.h"

namespace tenchat::ui {

// The desktop's MediaService::ImageInspector: dimensions and a small JPEG
// thumbnail (at most 16 KiB, 160 px) of an image about to be sent.
class ThumbnailMaker {
public:
    static std::optional<core::media::ImageInfo> inspect(const QString& path, const QString& mimeType);
};

} // namespace tenchat::ui
