// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

// Full-text search over every conversation (Ctrl+F): results newest first,
// each with its conversation, time and a snippet whose matches are
// highlighted (HTML-escaped message text, so a message cannot inject markup).
// Queries run on the store's worker, debounced while the user types.
class SearchModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool searching READ searching NOTIFY searchingChanged)
public:
    enum Role {
        MessageIdRole = Qt::UserRole + 300,
        ConversationIdRole,
        ConversationTitleRole,
        SnippetHtmlRole,
        TimeTextRole,
    };
    Q_ENUM(Role)

    explicit SearchModel(QObject* parent = nullptr);
    void attach(core::store::AsyncStore* store) { store_ = store; }

    QString query() const { return query_; }
    void setQuery(const QString& query);
    int count() const { return rowCount(); }
    bool searching() const { return searching_; }
    // Runs the pending query now (tests; the view waits for the debounce).
    void runNow();

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The store's snippet (with \x01/\x02 around matches) as safe HTML.
    static QString snippetToHtml(const QString& snippet, const QString& highlightColor);

Q_SIGNALS:
    void queryChanged();
    void countChanged();
    void searchingChanged();

private:
    struct Hit {
        core::store::SearchHit hit;
        QString title;
    };
    void run();

    QPointer<core::store::AsyncStore> store_;
    QString query_;
    QList<Hit> hits_;
    QTimer debounce_;
    bool searching_ = false;
    quint64 generation_ = 0;
};

} // namespace tenchat::ui
