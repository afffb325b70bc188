// SPDX-License-Identifier: GPL-3.0-or-later
// send-file, fetch: files through the encrypted media pipeline.
#include "CliCommands.h"
#include "CliContext.h"

#include "tenchat/core/media/MediaService.h"

#ifdef TENCHAT_CLI_IMAGES
#include "ImageInspector.h"
#endif

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonObject>

#include <cstdio>

namespace tenchat::cli {

using core::media::MediaError;
using core::media::MediaExpected;
using core::media::MediaService;
using core::messaging::Messenger;

namespace {

constexpr int kConnectTimeoutMs = 20000;
// A transfer has no overall deadline: the jobs give up on their own after
// repeated failures.
constexpr int kNoTimeout = 0;

// Progress on stderr: one line per step of 5% (or every 2 s), so that logs
// and test harnesses can follow it.
class ProgressPrinter {
public:
    ProgressPrinter(const char* verb, QString name) : verb_(verb), name_(std::move(name)) { timer_.start(); }
    void update(qint64 done, qint64 total)
    {
        const int percent = total > 0 ? int(done * 100 / total) : 100;
        if (percent < lastPercent_ + 5 && timer_.elapsed() < lastMs_ + 2000 && done != total)
            return;
        if (percent == lastPercent_)
            return;
        lastPercent_ = percent;
        lastMs_ = timer_.elapsed();
        const double seconds = std::max<double>(0.001, double(timer_.elapsed()) / 1000.0);
        std::fprintf(stderr, "%s %s: %d%% (%.1f of %.1f MB, %.1f MB/s)\n", verb_, qPrintable(name_), percent,
            double(done) / 1e6, double(total) / 1e6, double(done) / 1e6 / seconds);
        std::fflush(stderr);
    }

private:
    const char* verb_;
    QString name_;
    QElapsedTimer timer_;
    int lastPercent_ = -100;
    qint64 lastMs_ = 0;
};

QString mediaFailure(const MediaError& error)
{
    return QStringLiteral("%1: %2").arg(QLatin1String(core::media::toString(error.code)), error.message);
}

} // namespace

int runSendFile(CliContext& context)
{
    const auto args = context.positionals();
    if (args.size() != 2 || args[1].isEmpty())
        return context.usage(QStringLiteral("send-file needs @handle (or a conversation id) and PATH"));
    const QFileInfo file(args[1]);
    if (!file.isFile() || !file.isReadable())
        return context.usage(QStringLiteral("%1 is not a readable file").arg(args[1]));
    if (int code = context.openAccount(); code != kExitOk)
        return code;
    auto& messenger = context.messenger();
    if (!context.goLive(kConnectTimeoutMs))
        return context.failure(QStringLiteral("cannot reach the relay (files are uploaded before they are sent)"));

    QString conversationId = args[0];
    if (args[0].startsWith(QLatin1Char('@'))) {
        auto conversation = context.await<core::messaging::MessagingExpected<QString>>(
            [&](auto done) { messenger.openDirect(stripAt(args[0]), done); }, kConnectTimeoutMs);
        if (int code = context.failureOf(conversation); code != kExitOk)
            return code;
        conversationId = **conversation;
    }

    MediaService media(messenger, QDir(context.profileDir()).filePath(QStringLiteral("media")));
#ifdef TENCHAT_CLI_IMAGES
    media.setImageInspector(&inspectImage);
#endif
    ProgressPrinter printer("sending", file.fileName());
    std::optional<MediaExpected<MediaService::SentFile>> result;
    auto* job = media.sendFile(conversationId, file.absoluteFilePath(), [&](MediaExpected<MediaService::SentFile> r) {
        result = std::move(r);
        context.finish(kExitOk);
    });
    if (job) {
        printer.update(0, job->totalBytes());
        QObject::connect(job, &core::media::UploadJob::progress, [&](qint64 d, qint64 t) { printer.update(d, t); });
    }
    if (!result)
        context.run(kNoTimeout);
    if (!result || !*result)
        return context.failure(result ? mediaFailure(result->error()) : QStringLiteral("the upload did not finish"));

    const auto& sent = **result;
    // The file message itself: wait until the relay accepted it.
    bool delivered = false;
    auto c = QObject::connect(&messenger, &Messenger::outboxDrained, [&] {
        delivered = true;
        context.finish(kExitOk);
    });
    if (messenger.outboxSize().valueOr(1) == 0)
        delivered = true;
    else
        context.run(kConnectTimeoutMs);
    QObject::disconnect(c);
    const QString state = delivered ? QStringLiteral("sent") : QStringLiteral("queued");
    context.print(
        QJsonObject { { QStringLiteral("messageId"), sent.messageId },
            { QStringLiteral("conversation"), conversationId }, { QStringLiteral("name"), sent.manifest.name },
            { QStringLiteral("size"), double(sent.manifest.size) },
            { QStringLiteral("mimeType"), sent.manifest.mimeType },
            { QStringLiteral("chunks"), int(sent.manifest.chunks.size()) },
            { QStringLiteral("chunksSent"), sent.chunksSent }, { QStringLiteral("chunksSkipped"), sent.chunksSkipped },
            { QStringLiteral("width"), sent.manifest.width }, { QStringLiteral("height"), sent.manifest.height },
            { QStringLiteral("thumbnailBytes"), int(sent.manifest.thumbnail.size()) },
            { QStringLiteral("state"), state } },
        QStringLiteral("%1 %2").arg(state, sent.messageId));
    return kExitOk;
}

int runFetch(CliContext& context)
{
    const auto args = context.positionals();
    if (args.size() != 2 || args[0].isEmpty() || args[1].isEmpty())
        return context.usage(QStringLiteral("fetch needs MESSAGE_ID and DEST (a file or an existing folder)"));
    if (int code = context.openAccount(); code != kExitOk)
        return code;
    auto& messenger = context.messenger();
    if (!context.goLive(kConnectTimeoutMs))
        return context.failure(QStringLiteral("cannot reach the relay"));
    MediaService media(messenger, QDir(context.profileDir()).filePath(QStringLiteral("media")));
    core::media::DownloadJob::Options options;
    options.overwrite = context.option(QStringLiteral("overwrite")).has_value();
    ProgressPrinter printer("fetching", args[0]);
    std::optional<MediaExpected<QString>> result;
    auto* job = media.fetch(
        args[0], args[1],
        [&](MediaExpected<QString> r) {
            result = std::move(r);
            context.finish(kExitOk);
        },
        options);
    if (job) {
        printer.update(0, job->totalBytes());
        QObject::connect(job, &core::media::DownloadJob::progress, [&](qint64 d, qint64 t) { printer.update(d, t); });
    }
    if (!result)
        context.run(kNoTimeout);
    if (!result)
        return context.failure(QStringLiteral("the download did not finish"));
    if (!*result)
        return context.failure(mediaFailure(result->error()));
    const QFileInfo saved(**result);
    context.print(QJsonObject { { QStringLiteral("messageId"), args[0] }, { QStringLiteral("path"), saved.filePath() },
                      { QStringLiteral("size"), double(saved.size()) } },
        saved.filePath());
    return kExitOk;
}

} // namespace tenchat::cli
