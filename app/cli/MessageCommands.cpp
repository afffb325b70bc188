// SPDX-License-Identifier: GPL-3.0-or-later
// send, listen, history, search, react, edit, delete.
#include "CliCommands.h"
#include "CliContext.h"

#include "tenchat/core/media/MediaManifest.h"

#include <QDateTime>
#include <QJsonObject>

#include <algorithm>

namespace tenchat::cli {

using core::messaging::MessagingErrorCode;
using core::messaging::Messenger;
using core::messaging::UndecryptedEntry;
using core::store::DeliveryState;
using core::store::Message;

namespace {

QString stateName(DeliveryState state)
{
    switch (state) {
    case DeliveryState::Queued: return QStringLiteral("queued");
    case DeliveryState::Sent: return QStringLiteral("sent");
    case DeliveryState::Delivered: return QStringLiteral("delivered");
    case DeliveryState::Read: return QStringLiteral("read");
    case DeliveryState::Failed: return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

bool isFile(const Message& m)
{
    return m.contentType == QLatin1String(core::media::MediaManifest::kFileContentType);
}

// A file message's body is its manifest, which holds the per-file key: the
// CLI prints what the file is, never the manifest itself.
QString fileSummary(const Message& m)
{
    auto manifest = core::media::MediaManifest::fromJson(m.body.toUtf8());
    if (!manifest)
        return QStringLiteral("[file: unreadable manifest]");
    return QStringLiteral("[file] %1 (%2 bytes, %3)").arg(manifest->name).arg(manifest->size).arg(manifest->mimeType);
}

QJsonObject fileJson(const Message& m)
{
    auto manifest = core::media::MediaManifest::fromJson(m.body.toUtf8());
    if (!manifest)
        return {};
    QJsonObject file { { QStringLiteral("name"), manifest->name }, { QStringLiteral("size"), double(manifest->size) },
        { QStringLiteral("mimeType"), manifest->mimeType }, { QStringLiteral("chunks"), manifest->chunkCount() } };
    if (manifest->width > 0) {
        file.insert(QStringLiteral("width"), manifest->width);
        file.insert(QStringLiteral("height"), manifest->height);
        file.insert(QStringLiteral("thumbnailBytes"), int(manifest->thumbnail.size()));
    }
    return file;
}

QString displayText(const Message& m)
{
    return isFile(m) && !m.tombstone ? fileSummary(m) : m.body;
}

QJsonObject messageJson(const Message& m, const QString& fromHandle)
{
    QJsonObject o { { QStringLiteral("conversation"), m.conversationId },
        { QStringLiteral("from"), QStringLiteral("@") + fromHandle }, { QStringLiteral("text"), displayText(m) },
        { QStringLiteral("messageId"), m.id }, { QStringLiteral("sentAt"), double(m.sentAt) },
        { QStringLiteral("contentType"), m.contentType }, { QStringLiteral("outgoing"), m.outgoing },
        { QStringLiteral("state"), stateName(m.delivery) } };
    if (m.serverSeq)
        o.insert(QStringLiteral("seq"), double(*m.serverSeq));
    if (!m.replyTo.isEmpty())
        o.insert(QStringLiteral("replyTo"), m.replyTo);
    if (m.editedAt)
        o.insert(QStringLiteral("edited"), true);
    if (m.tombstone)
        o.insert(QStringLiteral("deleted"), true);
    if (isFile(m) && !m.tombstone)
        o.insert(QStringLiteral("file"), fileJson(m));
    return o;
}

QString messageLine(const Message& m, const QString& fromHandle)
{
    const QString when = QDateTime::fromMSecsSinceEpoch(m.sentAt).toString(Qt::ISODate);
    const QString text = m.tombstone ? QStringLiteral("(deleted)") : displayText(m);
    return QStringLiteral("%1 @%2: %3").arg(when, fromHandle, text);
}

// A group message this device received but cannot read (yet): its place in
// the history, who sent it and why it shows no text.
QString undecryptedState(const UndecryptedEntry& e)
{
    return e.state == UndecryptedEntry::State::Undecryptable ? QStringLiteral("undecryptable")
                                                             : QStringLiteral("waiting");
}

QJsonObject undecryptedJson(const UndecryptedEntry& e, const QString& fromHandle)
{
    return QJsonObject { { QStringLiteral("conversation"), e.conversationId },
        { QStringLiteral("from"), QStringLiteral("@") + fromHandle }, { QStringLiteral("messageId"), QJsonValue() },
        { QStringLiteral("seq"), double(e.seq) }, { QStringLiteral("receivedAt"), double(e.receivedAt) },
        { QStringLiteral("senderDevice"), double(e.senderDeviceId) }, { QStringLiteral("outgoing"), false },
        { QStringLiteral("state"), undecryptedState(e) } };
}

QString undecryptedLine(const UndecryptedEntry& e, const QString& fromHandle)
{
    const QString when = QDateTime::fromMSecsSinceEpoch(e.receivedAt).toString(Qt::ISODate);
    const QString text = e.state == UndecryptedEntry::State::Undecryptable
        ? QStringLiteral("(this message could not be decrypted)")
        : QStringLiteral("(waiting for this message: @%1's device has not shared its key yet)").arg(fromHandle);
    return QStringLiteral("%1 @%2: %3").arg(when, fromHandle, text);
}

// Waits until the outbox is empty (or the timeout). Returns whether it is.
bool drainOutbox(CliContext& context, Messenger& messenger)
{
    if (messenger.outboxSize().valueOr(1) == 0)
        return true;
    auto c = QObject::connect(&messenger, &Messenger::outboxDrained, [&] { context.finish(kExitOk); });
    context.run(kNetworkTimeoutMs);
    QObject::disconnect(c);
    return messenger.outboxSize().valueOr(1) == 0;
}

} // namespace

int runSend(CliContext& context)
{
    const auto args = context.positionals();
    if (args.size() != 2 || args[1].isEmpty() || args[0].isEmpty() || args[0] == QLatin1String("@"))
        return context.usage(QStringLiteral("send needs @handle (or GROUP) and TEXT"));
    if (int code = context.openAccount(); code != kExitOk)
        return code;
    auto& messenger = context.messenger();
    const bool toGroup = !args[0].startsWith(QLatin1Char('@'));
    const QString handle = stripAt(args[0]);
    const bool live = context.goLive(kNetworkTimeoutMs);

    using ConversationId = core::messaging::MessagingExpected<QString>;
    // A group's name or conversation id is known from the local store (the
    // sync above took in the groups we were added to).
    const auto conversation = toGroup
        ? std::optional<ConversationId>(messenger.groups().resolve(args[0]))
        : context.await<ConversationId>([&](auto done) { messenger.openDirect(handle, done); });
    if (int code = context.failureOf(conversation); code != kExitOk)
        return code;

    auto replyTo = context.option(QStringLiteral("reply-to")).value_or(QString());
    auto id = messenger.queueText(**conversation, args[1], replyTo);
    if (!id)
        return context.failure(id.error().message);

    std::optional<DeliveryState> state;
    if (live) {
        auto c
            = QObject::connect(&messenger, &Messenger::deliveryChanged, [&](const QString& messageId, DeliveryState s) {
                  if (messageId == *id) {
                      state = s;
                      context.finish(kExitOk);
                  }
              });
        context.run(kNetworkTimeoutMs);
        QObject::disconnect(c);
        drainOutbox(context, messenger); // earlier queued messages, if any
    }
    const DeliveryState final = state.value_or(DeliveryState::Queued);
    if (final == DeliveryState::Failed)
        return context.failure(QStringLiteral("the relay refused message %1").arg(*id));
    context.print(
        QJsonObject { { QStringLiteral("messageId"), *id }, { QStringLiteral("conversation"), **conversation },
            { QStringLiteral("to"), toGroup ? args[0] : QStringLiteral("@") + handle },
            { QStringLiteral("state"), stateName(final) } },
        QStringLiteral("%1 %2").arg(stateName(final), *id));
    return kExitOk;
}

int runListen(CliContext& context)
{
    const auto count = context.intOption(QStringLiteral("count"));
    const auto timeout = context.intOption(QStringLiteral("timeout"));
    if ((count && *count < 0) || (timeout && *timeout < 0))
        return context.usage(QStringLiteral("--count and --timeout take a non-negative number"));
    if (!context.positionals().isEmpty())
        return context.usage(QStringLiteral("listen takes no arguments"));
    if (int code = context.openAccount(); code != kExitOk)
        return code;
    auto& messenger = context.messenger();
    qint64 received = 0;
    QObject::connect(&messenger, &Messenger::messageReceived, [&](const Message& m, const QString& from) {
        if (m.outgoing)
            return;
        if (count && received >= *count)
            return;
        ++received;
        context.print(messageJson(m, from), messageLine(m, from));
        if (count && received >= *count)
            context.finish(kExitOk);
    });
    QObject::connect(&messenger.sync(), &core::messaging::SyncCoordinator::fatalError,
        [&](const QString& reason) { context.finish(context.failure(reason)); });
    messenger.start();
    if (count && *count == 0)
        return kExitOk;
    const int code = context.run(timeout ? int(*timeout * 1000) : 0);
    if (code >= 0)
        return code;
    // Timed out.
    if (count)
        return context.failure(QStringLiteral("timed out after %1 of %2 message(s)").arg(received).arg(*count));
    return kExitOk;
}

int runHistory(CliContext& context)
{
    if (context.positionals().size() != 1)
        return context.usage(QStringLiteral("history needs @handle or a conversation id"));
    const auto limit = context.intOption(QStringLiteral("limit"));
    if (limit && *limit <= 0)
        return context.usage(QStringLiteral("--limit takes a positive number"));
    if (int code = context.openAccount(); code != kExitOk)
        return code;
    auto& messenger = context.messenger();
    const QString target = context.positionals().constFirst();
    QString error;
    const auto resolved = storedConversation(context, target, error);
    if (!resolved)
        return context.failure(error);
    const QString conversationId = *resolved;
    auto& store = context.account().store();
    const int count = int(limit.value_or(50));
    auto page = store.messages().page(conversationId, std::nullopt, count);
    if (!page)
        return context.failure(page.error().message);
    // A group's messages that cannot be read (yet) are listed at their place
    // (relay seq) among the messages: those newer than the page's oldest,
    // every one when the page is the whole history.
    QList<UndecryptedEntry> undecrypted;
    if (messenger.groups().isGroup(conversationId)) {
        auto entries = messenger.groups().undecrypted(conversationId);
        if (!entries)
            return context.failure(entries.error().message);
        const bool whole = page->size() < count;
        for (const auto& e : std::as_const(*entries))
            if (whole || e.seq > page->constLast().sortSeq())
                undecrypted << e;
    }
    // Newest first, then the newest `count`; printed oldest first like a chat.
    struct Row {
        qint64 sortSeq = 0;
        const Message* message = nullptr;
        const UndecryptedEntry* entry = nullptr;
    };
    QList<Row> rows;
    for (const auto& m : std::as_const(*page))
        rows << Row { m.sortSeq(), &m, nullptr };
    for (const auto& e : std::as_const(undecrypted))
        rows << Row { e.seq, nullptr, &e };
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.sortSeq > b.sortSeq; });
    if (rows.size() > count)
        rows.resize(count);
    for (auto it = rows.crbegin(); it != rows.crend(); ++it) {
        if (it->message) {
            const QString from = messenger.handleOf(it->message->senderUserId);
            context.print(messageJson(*it->message, from), messageLine(*it->message, from));
        } else {
            const QString from = messenger.handleOf(it->entry->senderUserId);
            context.print(undecryptedJson(*it->entry, from), undecryptedLine(*it->entry, from));
        }
    }
    return kExitOk;
}

int runSearch(CliContext& context)
{
    if (context.positionals().isEmpty())
        return context.usage(QStringLiteral("search needs TEXT"));
    const auto limit = context.intOption(QStringLiteral("limit"));
    if (limit && *limit <= 0)
        return context.usage(QStringLiteral("--limit takes a positive number"));
    if (int code = context.openAccount(); code != kExitOk)
        return code;
    auto& store = context.account().store();
    core::store::SearchIndex::Query query;
    query.text = context.positionals().join(QLatin1Char(' '));
    query.limit = int(limit.value_or(50));
    auto hits = store.search().search(query);
    if (!hits)
        return context.failure(hits.error().message);
    for (const auto& hit : *hits) {
        auto message = store.messages().get(hit.messageId);
        if (!message || !message->has_value())
            continue;
        const QString from = context.messenger().handleOf((*message)->senderUserId);
        context.print(messageJson(**message, from), messageLine(**message, from));
    }
    return kExitOk;
}

int runModify(CliContext& context)
{
    const QString command = context.command();
    const auto args = context.positionals();
    const bool needsText = command != QLatin1String("delete");
    if (args.size() != (needsText ? 2 : 1))
        return context.usage(needsText
                ? QStringLiteral("%1 needs MESSAGE_ID and %2")
                      .arg(
                          command, command == QLatin1String("react") ? QStringLiteral("EMOJI") : QStringLiteral("TEXT"))
                : QStringLiteral("delete needs MESSAGE_ID"));
    if (int code = context.openAccount(); code != kExitOk)
        return code;
    auto& messenger = context.messenger();
    core::messaging::MessagingExpected<QString> id = QString();
    if (command == QLatin1String("react"))
        id = messenger.queueReaction(args[0], args[1], context.option(QStringLiteral("remove")).has_value());
    else if (command == QLatin1String("edit"))
        id = messenger.queueEdit(args[0], args[1]);
    else
        id = messenger.queueDelete(args[0]);
    if (!id)
        return context.failure(id.error().message);
    const bool sent = context.goLive(kNetworkTimeoutMs) && drainOutbox(context, messenger);
    context.print(QJsonObject { { QStringLiteral("messageId"), *id }, { QStringLiteral("target"), args[0] },
                      { QStringLiteral("state"), sent ? QStringLiteral("sent") : QStringLiteral("queued") } },
        QStringLiteral("%1 %2").arg(sent ? QStringLiteral("sent") : QStringLiteral("queued"), *id));
    return kExitOk;
}

} // namespace tenchat::cli
