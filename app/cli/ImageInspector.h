// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/media/MediaService.h"

#include <optional>

namespace tenchat::cli {

// The dimensions of an image file and a small JPEG thumbnail (longest side
// 160 px, at most 16 KiB) for its manifest, read with QImageReader.
// nullopt when the file is not a readable image.
std::optional<core::media::ImageInfo> inspectImage(const QString& path, const QString& mimeType);

} // namespace tenchat::cli
