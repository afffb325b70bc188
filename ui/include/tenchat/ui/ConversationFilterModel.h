// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSet>
#include <QSortFilterProxyModel>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

// The conversation list as the sidebar shows it: the store's
// ConversationListModel (by recency) filtered by the search field
// (title or preview, case-insensitive), pinned conversations first, with the
// display roles the view needs (initials, short time, pinned).
class ConversationFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        PinnedRole = Qt::UserRole + 100,
        InitialsRole,
        TimeTextRole,
    };
    Q_ENUM(Role)

    explicit ConversationFilterModel(QObject* parent = nullptr);

    QString filterText() const { return filterText_; }
    void setFilterText(const QString& text);
    int count() const { return rowCount(); }

    void setPinned(const QStringList& ids);
    QStringList pinned() const { return QStringList(pinned_.cbegin(), pinned_.cend()); }
    bool isPinned(const QString& id) const { return pinned_.contains(id); }

    Q_INVOKABLE QString idAt(int row) const;
    Q_INVOKABLE int rowOfId(const QString& id) const;

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // "JD" for "Jane Doe", "A" for "alice": shared with the timeline.
    static QString initialsOf(const QString& name);
    // Time of day for today, weekday within a week, else a short date.
    static QString shortTime(qint64 msSinceEpoch, qint64 nowMs);

Q_SIGNALS:
    void filterTextChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString filterText_;
    QSet<QString> pinned_;
};

} // namespace tenchat::ui
