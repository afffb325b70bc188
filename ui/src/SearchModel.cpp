// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/SearchModel.h"

#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/ui/ConversationFilterModel.h"

#include <QDateTime>

namespace tenchat::ui {

using namespace core::store;

namespace {
constexpr int kDebounceMs = 180;
constexpr int kMaxResults = 100;
const QChar kOpen(0x01);
const QChar kClose(0x02);
} // namespace

SearchModel::SearchModel(QObject* parent) : QAbstractListModel(parent)
{
    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &SearchModel::run);
}

void SearchModel::setQuery(const QString& query)
{
    if (query == query_)
        return;
    query_ = query;
    emit queryChanged();
    debounce_.start();
}

void SearchModel::runNow()
{
    debounce_.stop();
    run();
}

void SearchModel::run()
{
    const QString text = query_.trimmed();
    const quint64 generation = ++generation_;
    if (text.isEmpty() || !store_) {
        beginResetModel();
        hits_.clear();
        endResetModel();
        emit countChanged();
        return;
    }
    searching_ = true;
    emit searchingChanged();
    store_->query<QList<Hit>>(
        [text](ProfileStore& profile) {
            SearchIndex::Query query;
            query.text = text;
            query.limit = kMaxResults;
            query.highlightOpen = QString(kOpen);
            query.highlightClose = QString(kClose);
            QList<Hit> out;
            auto hits = profile.search().search(query);
            if (!hits)
                return out;
            QHash<QString, QString> titles;
            for (const SearchHit& hit : *hits) {
                if (!titles.contains(hit.conversationId)) {
                    auto conversation = profile.conversations().get(hit.conversationId);
                    titles.insert(hit.conversationId,
                        conversation && *conversation ? (*conversation)->title : hit.conversationId);
                }
                out.append(Hit { hit, titles.value(hit.conversationId) });
            }
            return out;
        },
        this,
        [this, generation](QList<Hit> hits) {
            if (generation != generation_)
                return; // a newer query is on its way
            // Results replace each other as the user types: one reset per query.
            beginResetModel();
            hits_ = std::move(hits);
            endResetModel();
            searching_ = false;
            emit searchingChanged();
            emit countChanged();
        });
}

int SearchModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(hits_.size());
}

QVariant SearchModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= hits_.size())
        return {};
    const Hit& h = hits_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case SnippetHtmlRole: return snippetToHtml(h.hit.snippet, QString());
    case MessageIdRole: return h.hit.messageId;
    case ConversationIdRole: return h.hit.conversationId;
    case ConversationTitleRole: return h.title;
    case TimeTextRole: return ConversationFilterModel::shortTime(h.hit.sentAt, QDateTime::currentMSecsSinceEpoch());
    default: return {};
    }
}

QHash<int, QByteArray> SearchModel::roleNames() const
{
    return { { MessageIdRole, "messageId" }, { ConversationIdRole, "conversationId" },
        { ConversationTitleRole, "conversationTitle" }, { SnippetHtmlRole, "snippetHtml" },
        { TimeTextRole, "timeText" } };
}

QString SearchModel::snippetToHtml(const QString& snippet, const QString& highlightColor)
{
    QString html = snippet.toHtmlEscaped();
    html.replace(QLatin1String("\n"), QLatin1String(" "));
    const QString open = highlightColor.isEmpty()
        ? QStringLiteral("<b>")
        : QStringLiteral("<b style=\"background-color:%1\">").arg(highlightColor.toHtmlEscaped());
    html.replace(kOpen, open);
    html.replace(kClose, QLatin1String("</b>"));
    return html;
}

} // namespace tenchat::ui
