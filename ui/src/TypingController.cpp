// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/TypingController.h"

#include <algorithm>

namespace tenchat::ui {

TypingController::TypingController(QObject* parent) : QObject(parent)
{
    idle_.setSingleShot(true);
    idle_.setInterval(kIdleMs);
    connect(&idle_, &QTimer::timeout, this, &TypingController::stop);
    expiry_.setSingleShot(true);
    connect(&expiry_, &QTimer::timeout, this, &TypingController::expire);
    clock_.start();
}

void TypingController::setIntervals(int resendMs, int idleMs, int expiryMs)
{
    resendMs_ = resendMs;
    idle_.setInterval(idleMs);
    expiryMs_ = expiryMs;
}

void TypingController::setConversation(const QString& conversationId)
{
    if (conversationId == conversationId_)
        return;
    stop();
    conversationId_ = conversationId;
    updateText();
}

void TypingController::composerEdited(const QString& text)
{
    if (conversationId_.isEmpty())
        return;
    if (text.trimmed().isEmpty())
        return stop();
    if (enabled_ && !enabled_())
        return stop();
    idle_.start();
    if (sentTyping_ && sentFor_ == conversationId_ && sinceSent_.elapsed() < resendMs_)
        return;
    send(true);
}

void TypingController::stop()
{
    idle_.stop();
    if (sentTyping_)
        send(false);
}

void TypingController::send(bool typing)
{
    const QString target = typing ? conversationId_ : sentFor_;
    sentTyping_ = typing;
    sentFor_ = target;
    sinceSent_.start();
    if (sender_ && !target.isEmpty())
        sender_(target, typing);
}

void TypingController::onRemoteTyping(const QString& conversationId, const QString& name, bool typing)
{
    if (conversationId.isEmpty() || name.isEmpty())
        return;
    auto& entries = remote_[conversationId];
    const auto found = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == name; });
    if (typing) {
        const qint64 until = clock_.elapsed() + expiryMs_;
        if (found != entries.end())
            found->second = until;
        else
            entries.append({ name, until });
        if (!expiry_.isActive() || expiry_.remainingTime() > expiryMs_)
            expiry_.start(expiryMs_);
    } else if (found != entries.end()) {
        entries.erase(found);
    }
    if (entries.isEmpty())
        remote_.remove(conversationId);
    updateText();
}

void TypingController::expire()
{
    const qint64 now = clock_.elapsed();
    qint64 next = -1;
    for (auto it = remote_.begin(); it != remote_.end();) {
        auto& entries = it.value();
        entries.removeIf([now](const auto& e) { return e.second <= now; });
        for (const auto& e : entries)
            next = next < 0 ? e.second : qMin(next, e.second);
        it = entries.isEmpty() ? remote_.erase(it) : std::next(it);
    }
    if (next >= 0)
        expiry_.start(int(qMax<qint64>(1, next - now)));
    updateText();
}

QStringList TypingController::typingIn(const QString& conversationId) const
{
    QStringList names;
    for (const auto& e : remote_.value(conversationId))
        names << e.first;
    return names;
}

void TypingController::updateText()
{
    const QStringList names = typingIn(conversationId_);
    QString text;
    if (names.size() == 1)
        text = tr("%1 is typing…").arg(names[0]);
    else if (names.size() == 2)
        text = tr("%1 and %2 are typing…").arg(names[0], names[1]);
    else if (names.size() > 2)
        text = names.size() == 3 ? tr("%1, %2 and one other are typing…").arg(names[0], names[1])
                                 : tr("%1, %2 and %3 others are typing…").arg(names[0], names[1]).arg(names.size() - 2);
    if (text == text_)
        return;
    text_ = text;
    emit textChanged();
}

} // namespace tenchat::ui
