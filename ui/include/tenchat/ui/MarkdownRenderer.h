// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace tenchat::ui {

// Message Markdown (CommonMark through libcmark) to the HTML subset a Qt
// Quick TextEdit shows. Safe by construction: raw HTML is dropped, links
// other than http(s)/mailto are removed, and images become plain links, so
// nothing remote is ever loaded. Single newlines are line breaks, as people
// expect in chat.
class MarkdownRenderer {
public:
    static QString toHtml(const QString& markdown);
};

} // namespace tenchat::ui
