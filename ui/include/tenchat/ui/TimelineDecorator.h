// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCache>
#include <QHash>
#include <QIdentityProxyModel>
#include <QList>
#include <QPersistentModelIndex>
#include <QtQml/qqmlregistration.h>

namespace tenchat::core::store {
class TimelineModel;
}

namespace tenchat::ui {

class PluginCardCache;

// The store's TimelineModel (newest first) with what a chat view derives
// from neighbouring rows and names: day separators, whether a bubble shows
// its sender (groups, first of a run), initials, time of day, the quoted text
// of a reply and whether the content type is one this client can show.
// Row changes pass straight through (no reset); a neighbour whose derived
// roles change gets a dataChanged.
class TimelineDecorator : public QIdentityProxyModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(bool canFetchOlder READ canFetchOlder NOTIFY loadingChanged)
public:
    enum Role {
        DayLabelRole = Qt::UserRole + 200, // non-empty on the first (oldest) message of a day
        ShowSenderRole,
        SenderNameRole,
        InitialsRole,
        TimeTextRole,
        ReplySenderRole,
        ReplyBodyRole,
        UnsupportedRole,
        GroupedWithOlderRole, // same sender as the previous (older) message: tighter spacing
        BodyHtmlRole, // the body's Markdown as safe HTML (cached)
        UnreadMarkerRole, // the oldest message that was unread when the conversation was opened
        ReactedByMeRole, // emojis this user reacted with (list)
        CardRole, // structured content: the plugin's card (PluginCardCache), else empty
    };
    Q_ENUM(Role)

    explicit TimelineDecorator(QObject* parent = nullptr);

    void setTimeline(core::store::TimelineModel* timeline);
    core::store::TimelineModel* timeline() const { return timeline_; }
    void setGroup(bool group);
    // Where cards of structured messages come from (plugins); none: the unsupported card.
    void setCards(PluginCardCache* cards);
    void setNames(const QHash<QString, QString>& names, const QString& selfUserId);
    // `unread` incoming messages were unread on opening: the marker goes
    // above the oldest of them.
    void setUnreadCount(int unread);
    QString unreadMarkerId() const { return markerId_; }

    int count() const { return rowCount(); }
    bool loading() const;
    bool canFetchOlder() const;
    Q_INVOKABLE int rowOfId(const QString& id) const;
    // Loads the next page of older messages, if any (the view calls it near the top).
    Q_INVOKABLE void fetchOlder();

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static bool isSupportedContentType(const QString& contentType);
    // "Today", "Yesterday", a weekday within a week, else a long date.
    static QString dayLabel(qint64 msSinceEpoch, qint64 nowMs);

Q_SIGNALS:
    void countChanged();
    void loadingChanged();
    void unreadMarkerChanged();

private:
    QString nameOf(const QString& userId) const;
    void refreshRow(int row);
    void flushRefresh();
    void findUnreadMarker();

    core::store::TimelineModel* timeline_ = nullptr;
    PluginCardCache* cards_ = nullptr;
    bool group_ = false;
    QHash<QString, QString> names_;
    QString selfUserId_;
    QString markerId_;
    int unreadPending_ = 0;
    QList<QPersistentModelIndex> pendingRefresh_;
    // Rendered Markdown by message id and edit time: bounded, so years of
    // history do not stay in memory.
    mutable QCache<QString, QString> htmlCache_ { 2000 };
};

} // namespace tenchat::ui
