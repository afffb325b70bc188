// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/MarkdownRenderer.h"

#include <cmark.h>

#include <QByteArray>
#include <QRegularExpression>
#include <QUrl>

#include <cstdlib>
#include <vector>

namespace tenchat::ui {

namespace {

bool isAllowedLink(const char* url)
{
    if (!url || !*url)
        return false;
    const QString scheme = QUrl(QString::fromUtf8(url)).scheme().toLower();
    return scheme == QLatin1String("http") || scheme == QLatin1String("https") || scheme == QLatin1String("mailto");
}

// Replaces an image by a link to its address (or by its alt text when the
// address is not an allowed link), so nothing is fetched.
void neutralizeImage(cmark_node* image)
{
    const char* url = cmark_node_get_url(image);
    cmark_node* replacement = nullptr;
    if (isAllowedLink(url)) {
        replacement = cmark_node_new(CMARK_NODE_LINK);
        cmark_node_set_url(replacement, url);
    } else {
        replacement = cmark_node_new(CMARK_NODE_EMPH);
    }
    while (cmark_node* child = cmark_node_first_child(image))
        cmark_node_append_child(replacement, child); // moves the alt text
    if (!cmark_node_first_child(replacement)) {
        cmark_node* text = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(text, "image");
        cmark_node_append_child(replacement, text);
    }
    cmark_node_replace(image, replacement);
    cmark_node_free(image);
}

// Raw HTML is shown as the text it is, never interpreted.
void htmlToText(cmark_node* html)
{
    const bool block = cmark_node_get_type(html) == CMARK_NODE_HTML_BLOCK;
    cmark_node* text = cmark_node_new(CMARK_NODE_TEXT);
    QByteArray literal(cmark_node_get_literal(html));
    if (block)
        literal = literal.trimmed();
    cmark_node_set_literal(text, literal.constData());
    if (block) {
        cmark_node* paragraph = cmark_node_new(CMARK_NODE_PARAGRAPH);
        cmark_node_append_child(paragraph, text);
        text = paragraph;
    }
    cmark_node_replace(html, text);
    cmark_node_free(html);
}

// Bare http(s) addresses in text become links (as GitHub-flavoured Markdown does).
void autolink(cmark_node* textNode)
{
    static const QRegularExpression url(QStringLiteral(R"((https?://[^\s<>"]+[^\s<>".,;:!?)\]'*_]))"));
    const QString text = QString::fromUtf8(cmark_node_get_literal(textNode));
    auto it = url.globalMatch(text);
    if (!it.hasNext())
        return;
    int pos = 0;
    const auto addText = [textNode](const QString& part) {
        if (part.isEmpty())
            return;
        cmark_node* node = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(node, part.toUtf8().constData());
        cmark_node_insert_before(textNode, node);
    };
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        addText(text.mid(pos, match.capturedStart() - pos));
        cmark_node* link = cmark_node_new(CMARK_NODE_LINK);
        cmark_node_set_url(link, match.captured().toUtf8().constData());
        cmark_node* label = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(label, match.captured().toUtf8().constData());
        cmark_node_append_child(link, label);
        cmark_node_insert_before(textNode, link);
        pos = int(match.capturedEnd());
    }
    addText(text.mid(pos));
    cmark_node_free(textNode);
}

// A link with a scheme we do not open keeps its text and loses the link.
void unwrapLink(cmark_node* link)
{
    while (cmark_node* child = cmark_node_first_child(link))
        cmark_node_insert_before(link, child);
    cmark_node_free(link);
}

} // namespace

QString MarkdownRenderer::toHtml(const QString& markdown)
{
    const QByteArray utf8 = markdown.toUtf8();
    constexpr int options = CMARK_OPT_SAFE | CMARK_OPT_HARDBREAKS | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;
    cmark_node* document = cmark_parse_document(utf8.constData(), size_t(utf8.size()), options);
    if (!document)
        return markdown.toHtmlEscaped();
    std::vector<cmark_node*> images;
    std::vector<cmark_node*> badLinks;
    std::vector<cmark_node*> rawHtml;
    std::vector<cmark_node*> texts; // outside links: candidates for autolinking
    int linkDepth = 0;
    cmark_iter* iter = cmark_iter_new(document);
    for (cmark_event_type event; (event = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
        cmark_node* node = cmark_iter_get_node(iter);
        const cmark_node_type type = cmark_node_get_type(node);
        if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
            linkDepth += event == CMARK_EVENT_ENTER ? 1 : -1;
        }
        if (event != CMARK_EVENT_ENTER)
            continue;
        switch (type) {
        case CMARK_NODE_IMAGE: images.push_back(node); break;
        case CMARK_NODE_LINK:
            if (!isAllowedLink(cmark_node_get_url(node)))
                badLinks.push_back(node);
            break;
        case CMARK_NODE_HTML_INLINE:
        case CMARK_NODE_HTML_BLOCK: rawHtml.push_back(node); break;
        case CMARK_NODE_TEXT:
            if (linkDepth == 0)
                texts.push_back(node);
            break;
        default: break;
        }
    }
    cmark_iter_free(iter);
    for (cmark_node* text : texts)
        autolink(text);
    for (cmark_node* node : rawHtml)
        htmlToText(node);
    for (cmark_node* image : images)
        neutralizeImage(image);
    for (cmark_node* link : badLinks)
        unwrapLink(link);
    char* html = cmark_render_html(document, options);
    QString result = QString::fromUtf8(html).trimmed();
    std::free(html);
    cmark_node_free(document);
    // One paragraph (most messages): no paragraph margins in the bubble.
    if (result.startsWith(QLatin1String("<p>")) && result.endsWith(QLatin1String("</p>"))
        && result.indexOf(QLatin1String("<p>"), 3) < 0)
        result = result.mid(3, result.size() - 7);
    return result;
}

} // namespace tenchat::ui
