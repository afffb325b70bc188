// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace tenchat::ui {

// Typing indicators both ways. Outgoing: the composer reports edits; "typing"
// is sent at most once per resend interval while the text changes, and
// "stopped" after an idle pause, on send, on clearing the text or on
// switching conversations — only while the user's setting allows it.
// Incoming: who is typing in which conversation, each entry expiring on its
// own (a lost "stopped" does not leave it forever); `text` is the line the
// open chat shows ("Alice is typing…", "Alice and Bob are typing…").
class TypingController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(QString text READ text NOTIFY textChanged)
public:
    using Sender = std::function<void(const QString& conversationId, bool typing)>;

    explicit TypingController(QObject* parent = nullptr);

    void setSender(Sender sender) { sender_ = std::move(sender); }
    // Whether typing may be sent (the user's setting); read at every edit.
    void setEnabledCheck(std::function<bool()> enabled) { enabled_ = std::move(enabled); }
    void setIntervals(int resendMs, int idleMs, int expiryMs);

    void setConversation(const QString& conversationId);
    QString text() const { return text_; }
    // Names typing in a conversation, in the order they started.
    QStringList typingIn(const QString& conversationId) const;

    // The composer's text changed (typed, pasted, cleared).
    Q_INVOKABLE void composerEdited(const QString& text);
    // The message was sent: "stopped" at once.
    Q_INVOKABLE void stop();

    void onRemoteTyping(const QString& conversationId, const QString& name, bool typing);

    static constexpr int kResendMs = 3000;
    static constexpr int kIdleMs = 5000;
    static constexpr int kExpiryMs = 7000;

Q_SIGNALS:
    void textChanged();

private:
    void send(bool typing);
    void expire();
    void updateText();

    Sender sender_;
    std::function<bool()> enabled_;
    QString conversationId_;
    // Outgoing.
    bool sentTyping_ = false;
    QString sentFor_;
    QElapsedTimer sinceSent_;
    QTimer idle_;
    int resendMs_ = kResendMs;
    // Incoming: conversation -> name -> when it expires (ms on clock_).
    QHash<QString, QList<QPair<QString, qint64>>> remote_;
    QElapsedTimer clock_;
    QTimer expiry_;
    int expiryMs_ = kExpiryMs;
    QString text_;
};

} // namespace tenchat::ui
