// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
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
    // Unread messages over all conversations that are not muted (window title, tray).
    Q_PROPERTY(int totalUnread READ totalUnread NOTIFY totalUnreadChanged)
public:
    enum Role {
        PinnedRole = Qt::UserRole + 100,
        InitialsRole,
        TimeTextRole,
        PreviewSenderNameRole, // "You" or the contact's name instead of a user id
        PresenceRole, // Presence of a direct chat's contact (Unknown for groups)
    };
    Q_ENUM(Role)
    // Coarse presence as the engine reports it (Unknown until it does).
    enum class Presence { Unknown, Online, Away, Offline };
    Q_ENUM(Presence)

    explicit ConversationFilterModel(QObject* parent = nullptr);

    QString filterText() const { return filterText_; }
    void setFilterText(const QString& text);
    int count() const { return rowCount(); }
    int totalUnread() const { return totalUnread_; }

    void setPinned(const QStringList& ids);
    void setSelfUserId(const QString& id) { selfUserId_ = id; }
    // Adds display names of users (contacts); rows showing them are updated.
    void addNames(const QHash<QString, QString>& names);
    // Preview senders without a known name (for the controller to look up).
    QStringList unnamedSenders() const;
    // Direct chats created by an incoming message have no title: they show
    // the other person's name, looked up by the controller.
    QStringList untitledConversations() const;
    void addTitles(const QHash<QString, QString>& titles);
    QString titleOf(const QModelIndex& index) const;
    // The presence of the contact of a direct conversation.
    void setPresence(const QString& conversationId, Presence presence);
    Presence presenceOf(const QString& conversationId) const { return presence_.value(conversationId); }
    QStringList pinned() const { return QStringList(pinned_.cbegin(), pinned_.cend()); }
    bool isPinned(const QString& id) const { return pinned_.contains(id); }

    Q_INVOKABLE QString idAt(int row) const;
    Q_INVOKABLE int rowOfId(const QString& id) const;

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // "JD" for "Jane Doe", "A" for "alice": shared with the timeline.
    static QString initialsOf(const QString& name);
    // Hours and minutes in the locale's format (never seconds).
    static QString timeOfDay(qint64 msSinceEpoch);
    // Time of day for today, weekday within a week, else a short date.
    static QString shortTime(qint64 msSinceEpoch, qint64 nowMs);

Q_SIGNALS:
    void filterTextChanged();
    void countChanged();
    void totalUnreadChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void recountUnread();

    int totalUnread_ = 0;
    QString selfUserId_;
    QHash<QString, QString> names_;
    QHash<QString, QString> titles_;
    QString filterText_;
    QSet<QString> pinned_;
    QHash<QString, Presence> presence_;
};

} // namespace tenchat::ui
