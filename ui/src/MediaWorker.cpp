// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaWorker.h"

#include "tenchat/core/media/MediaService.h"
#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/core/messaging/RelayClient.h"
#include "tenchat/core/messaging/SyncCoordinator.h"
#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/ui/MediaController.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QPointer>
#include <QTimer>

namespace tenchat::ui {

using core::media::DownloadJob;
using core::media::MediaError;
using core::media::MediaErrorCode;
using core::media::MediaExpected;
using core::media::MediaService;
using core::media::UploadJob;
using core::messaging::SyncCoordinator;
using core::store::DeliveryState;
using core::store::Message;
namespace v1 = tenchat::v1;

namespace {
constexpr int kNetworkRetryMs = 3000;
constexpr int kLimitsTimeoutMs = 10000;
} // namespace

MediaWorker::MediaWorker(core::messaging::Messenger& messenger, MediaService& media, QString cacheDir, QObject* parent)
    : QObject(parent), messenger_(messenger), media_(media), cacheDir_(std::move(cacheDir))
{
    connect(&messenger_.sync(), &SyncCoordinator::stateChanged, this, [this](SyncCoordinator::State state) {
        if (state == SyncCoordinator::State::Live)
            onLive();
        else
            onOffline();
    });
    connect(&media_, &MediaService::downloadStarted, this, &MediaWorker::trackDownload);
    connect(&media_, &MediaService::autoDownloaded, this,
        [this](const QString& id, const QString& path) { emit stateChanged(id, Complete, path, {}); });
    connect(&media_, &MediaService::autoDownloadFailed, this, [this](const QString& id, const QString& reason) {
        emit stateChanged(id, Failed, {}, tr("The automatic download failed: %1").arg(reason));
    });
    loadPending();
    // After the controller connected to the signals.
    QTimer::singleShot(0, this, [this] {
        if (messenger_.sync().isLive())
            onLive();
    });
}

MediaWorker::~MediaWorker()
{
    // Jobs belong to the MediaService; stop them so none outlives the engine.
    for (const auto& job : std::as_const(uploads_))
        if (job)
            job->disconnect(this);
    for (const auto& job : std::as_const(downloads_))
        if (job)
            job->disconnect(this);
}

QString MediaWorker::describe(const MediaError& error)
{
    switch (error.code) {
    case MediaErrorCode::Tampered: return tr("The file was altered on the way; it was not saved.");
    case MediaErrorCode::Missing: return tr("The file is no longer on the relay.");
    case MediaErrorCode::Forbidden: return tr("The relay refused access to this file.");
    case MediaErrorCode::QuotaExceeded: return tr("Your storage on the relay is full.");
    case MediaErrorCode::TooLarge: return tr("The file is larger than the relay accepts.");
    case MediaErrorCode::Network: return tr("No connection to the relay; waiting to continue.");
    case MediaErrorCode::InvalidManifest: return tr("The file message is damaged.");
    case MediaErrorCode::Cancelled: return tr("Cancelled.");
    case MediaErrorCode::Io: return tr("The file could not be read or written: %1").arg(error.message);
    case MediaErrorCode::Store: return tr("The local store failed: %1").arg(error.message);
    case MediaErrorCode::InvalidArgument: return tr("The file could not be sent: %1").arg(error.message);
    case MediaErrorCode::Relay: break;
    }
    return error.message;
}

QString MediaWorker::unreadableReason(const QString& path)
{
    const QFileInfo info(path);
    const QString name = info.fileName().isEmpty() ? path : info.fileName();
    if (!info.exists())
        return tr("%1 could not be sent: the file does not exist.").arg(name);
    if (!info.isFile())
        return tr("%1 could not be sent: it is not a file.").arg(name);
    QFile file(path);
    if (!info.isReadable() || !file.open(QIODevice::ReadOnly))
        return tr("%1 could not be sent: it cannot be read (%2).").arg(name, file.errorString());
    return {};
}

void MediaWorker::sendFiles(const QString& conversationId, const QStringList& paths)
{
    QStringList readable;
    for (const QString& path : paths) {
        if (const QString reason = unreadableReason(path); !reason.isEmpty())
            emit failed(reason);
        else
            readable << QFileInfo(path).absoluteFilePath();
    }
    if (readable.isEmpty())
        return;
    if (!messenger_.sync().isLive())
        return queueUploads(conversationId, readable); // the relay checks its limits when the upload begins
    // The relay's limits first: a file it would refuse is not queued at all.
    v1::Request request;
    request.mutable_blob_quota();
    QPointer<MediaWorker> self(this);
    messenger_.sync().client().request(
        request,
        [self, conversationId, readable](core::messaging::MessagingExpected<v1::Response> response) {
            if (!self)
                return;
            QStringList accepted;
            const bool known = response && response->status() == v1::STATUS_OK && response->has_blob_quota();
            const auto maxFile = known ? qint64(response->blob_quota().max_file_bytes()) : 0;
            const auto quota = known ? qint64(response->blob_quota().quota_bytes()) : 0;
            const auto used = known ? qint64(response->blob_quota().used_bytes()) : 0;
            for (const QString& path : readable) {
                const QFileInfo info(path);
                if (maxFile > 0 && info.size() > maxFile)
                    emit self->failed(tr("%1 is too large to send (%2): the relay accepts files up to %3.")
                                          .arg(info.fileName(), MediaController::humanSize(info.size()),
                                              MediaController::humanSize(maxFile)));
                else if (quota > 0 && used + info.size() > quota)
                    emit self->failed(
                        tr("%1 does not fit in your storage on the relay (%2 of %3 used).")
                            .arg(info.fileName(), MediaController::humanSize(used), MediaController::humanSize(quota)));
                else
                    accepted << path;
            }
            if (!accepted.isEmpty())
                self->queueUploads(conversationId, accepted);
        },
        kLimitsTimeoutMs);
}

void MediaWorker::queueUploads(const QString& conversationId, const QStringList& paths)
{
    auto& account = messenger_.account();
    auto& store = account.store();
    const bool live = messenger_.sync().isLive();
    const QString offline = tr("No connection to the relay; the upload starts when it is back.");
    for (const QString& path : paths) {
        const QFileInfo info(path);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        Message m;
        m.id = ulids_.next();
        m.conversationId = conversationId;
        m.senderUserId = account.userIdHex();
        m.senderDeviceId = int(account.deviceId());
        m.outgoing = true;
        m.read = true;
        m.sentAt = now;
        m.receivedAt = now;
        m.lamport = now; // after the messages already queued
        m.contentType = QLatin1String(kUploadContentType);
        const QJsonObject body { { QStringLiteral("name"), info.fileName() },
            { QStringLiteral("size"), double(info.size()) },
            { QStringLiteral("mime"), QMimeDatabase().mimeTypeForFile(info).name() },
            { QStringLiteral("path"), info.absoluteFilePath() } };
        m.body = QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact));
        if (auto inserted = store.messages().insert(m); !inserted) {
            emit failed(tr("%1 could not be queued: %2").arg(info.fileName(), inserted.error().message));
            continue;
        }
        pending_.insert(
            m.id, Pending { conversationId, info.absoluteFilePath(), false, false, live ? QString() : offline });
        if (!live)
            emit stateChanged(m.id, Waiting, info.absoluteFilePath(), offline);
    }
    savePending();
    if (live)
        onLive();
}

void MediaWorker::onLive()
{
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
        if (it->running && !it->error.isEmpty()) {
            it->error.clear(); // the job goes on by itself
            emit stateChanged(it.key(), Uploading, it->path, {});
        } else if (!it->running && !it->failed) {
            QTimer::singleShot(0, this, [this, id = it.key()] { startUpload(id); });
        }
    }
}

void MediaWorker::onOffline()
{
    // Running uploads retry by themselves; the bubbles say why they stall.
    const QString reason = tr("No connection to the relay; waiting to continue.");
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
        if (it->running && it->error.isEmpty()) {
            it->error = reason;
            emit stateChanged(it.key(), Waiting, it->path, reason);
        }
    }
}

void MediaWorker::startUpload(const QString& id)
{
    auto found = pending_.find(id);
    if (found == pending_.end() || found->running || found->failed || !messenger_.sync().isLive())
        return;
    found->running = true;
    found->error.clear();
    const QString path = found->path;
    const QString conversationId = found->conversationId; // `found` may be erased inside sendFile
    emit stateChanged(id, Uploading, path, {});
    auto* job = media_.sendFile(conversationId, path, [this, id, path](MediaExpected<MediaService::SentFile> sent) {
        uploads_.remove(id);
        auto it = pending_.find(id);
        if (it == pending_.end())
            return;
        it->running = false;
        auto& store = messenger_.account().store();
        if (sent || sent.error().code == MediaErrorCode::Cancelled) {
            // The file message is queued (or the user gave up): the placeholder goes.
            pending_.erase(it);
            savePending();
            (void)store.messages().remove(id);
            return;
        }
        if (sent.error().code == MediaErrorCode::Network) {
            it->error = describe(sent.error());
            emit stateChanged(id, Waiting, path, it->error);
            QTimer::singleShot(kNetworkRetryMs, this, [this, id] { startUpload(id); });
            return;
        }
        it->failed = true;
        it->error = describe(sent.error());
        (void)store.messages().setDeliveryState(id, DeliveryState::Failed);
        emit stateChanged(id, Failed, path, it->error);
    });
    if (!job)
        return;
    uploads_.insert(id, job);
    connect(job, &UploadJob::progress, this, [this, id](qint64 done, qint64 total) { emit progress(id, done, total); });
}

void MediaWorker::cancelUpload(const QString& id)
{
    if (auto job = uploads_.value(id)) {
        job->cancel(); // its completion removes the placeholder
        return;
    }
    if (pending_.remove(id) == 0)
        return;
    savePending();
    (void)messenger_.account().store().messages().remove(id);
}

void MediaWorker::retryUpload(const QString& id)
{
    auto it = pending_.find(id);
    if (it == pending_.end() || it->running)
        return;
    it->failed = false;
    it->error.clear();
    (void)messenger_.account().store().messages().setDeliveryState(id, DeliveryState::Queued);
    emit stateChanged(id, Waiting, it->path, {});
    startUpload(id); // now if the relay is there, else when it is back
}

void MediaWorker::trackDownload(const QString& messageId, DownloadJob* job)
{
    downloads_.insert(messageId, job);
    emit stateChanged(messageId, Downloading, {}, {});
    connect(job, &DownloadJob::progress, this,
        [this, messageId](qint64 done, qint64 total) { emit progress(messageId, done, total); });
}

void MediaWorker::download(const QString& messageId)
{
    if (downloads_.value(messageId))
        return;
    auto message = messenger_.account().store().messages().get(messageId);
    if (!message || !message->has_value())
        return emit stateChanged(messageId, Failed, {}, tr("The message is gone."));
    auto manifest = MediaService::manifestOf(**message);
    if (!manifest)
        return emit stateChanged(messageId, Failed, {}, describe(manifest.error()));
    const QString target = QDir(QDir(media_.mediaDir()).filePath(messageId)).filePath(manifest->name);
    if (QFileInfo(target).isFile())
        return emit stateChanged(messageId, Complete, target, {});
    media_.fetch(messageId, target, [this, messageId](MediaExpected<QString> result) {
        downloads_.remove(messageId);
        if (result)
            emit stateChanged(messageId, Complete, *result, {});
        else if (result.error().code == MediaErrorCode::Cancelled)
            emit stateChanged(messageId, Remote, {}, {});
        else
            emit stateChanged(messageId, Failed, {}, describe(result.error()));
    });
}

void MediaWorker::cancelDownload(const QString& messageId)
{
    if (auto job = downloads_.value(messageId))
        job->cancel();
}

void MediaWorker::queryState(const QString& messageId)
{
    if (auto it = pending_.constFind(messageId); it != pending_.cend()) {
        const int state = it->failed ? Failed : it->running && it->error.isEmpty() ? Uploading : Waiting;
        return emit stateChanged(messageId, state, it->path, it->error);
    }
    if (downloads_.value(messageId))
        return emit stateChanged(messageId, Downloading, {}, {});
    auto attachments = messenger_.account().store().account().attachments(messageId);
    if (attachments)
        for (const auto& attachment : *attachments)
            if (attachment.state == core::store::AttachmentState::Complete && QFileInfo(attachment.localPath).isFile())
                return emit stateChanged(messageId, Complete, attachment.localPath, {});
    emit stateChanged(messageId, Remote, {}, {});
}

void MediaWorker::saveCopy(const QString& messageId, const QString& source, const QString& destination)
{
    // Next to the destination first, then renamed: never a half-written file.
    const QString part = destination + QStringLiteral(".tenchat-part");
    QFile::remove(part);
    QString error;
    if (!QFileInfo(source).isFile())
        error = tr("The downloaded file is gone; download it again.");
    else if (!QFile::copy(source, part))
        error = tr("%1 could not be written.").arg(destination);
    else if ((QFileInfo::exists(destination) && !QFile::remove(destination)) || !QFile::rename(part, destination))
        error = tr("%1 could not be replaced.").arg(destination);
    if (!error.isEmpty())
        QFile::remove(part);
    emit saved(messageId, destination, error);
}

void MediaWorker::measureStorage()
{
    int files = 0;
    qint64 bytes = 0;
    for (const QString& dir : { media_.mediaDir(), cacheDir_ }) {
        QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            ++files;
            bytes += it.fileInfo().size();
        }
    }
    emit storageMeasured(files, bytes);
}

void MediaWorker::clearStorage()
{
    for (const auto& job : std::as_const(downloads_))
        if (job)
            job->cancel();
    if (auto cleared = media_.clearStorage(); !cleared)
        emit failed(describe(cleared.error()));
    // Cached files still waiting to be sent (pasted images) stay.
    QStringList keep;
    for (const Pending& p : std::as_const(pending_))
        keep << p.path;
    QDirIterator it(cacheDir_, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        if (!keep.contains(it.fileInfo().absoluteFilePath()))
            QFile::remove(file);
    }
    emit storageCleared();
    measureStorage();
}

void MediaWorker::loadAutoDownloadLimit()
{
    emit autoDownloadLimitLoaded(media_.autoDownloadLimit());
}

void MediaWorker::setAutoDownloadLimit(qint64 bytes)
{
    if (auto saved = media_.setAutoDownloadLimit(bytes); !saved)
        emit failed(describe(saved.error()));
    loadAutoDownloadLimit();
}

void MediaWorker::savePending()
{
    QJsonArray list;
    for (auto it = pending_.cbegin(); it != pending_.cend(); ++it)
        list.append(QJsonObject { { QStringLiteral("id"), it.key() },
            { QStringLiteral("conversation"), it->conversationId }, { QStringLiteral("path"), it->path } });
    (void)messenger_.account().store().keyValues().setSetting(
        QLatin1String(kPendingSetting), QJsonDocument(list).toJson(QJsonDocument::Compact));
}

void MediaWorker::loadPending()
{
    auto& store = messenger_.account().store();
    auto value = store.keyValues().setting(QLatin1String(kPendingSetting));
    if (!value || !value->has_value())
        return;
    for (const QJsonValue& entry : QJsonDocument::fromJson(**value).array()) {
        const QJsonObject o = entry.toObject();
        const QString id = o.value(QStringLiteral("id")).toString();
        auto message = store.messages().get(id);
        if (id.isEmpty() || !message || !message->has_value())
            continue; // removed meanwhile
        Pending p;
        p.conversationId = o.value(QStringLiteral("conversation")).toString();
        p.path = o.value(QStringLiteral("path")).toString();
        p.failed = (*message)->delivery == DeliveryState::Failed;
        if (p.failed)
            p.error
                = unreadableReason(p.path).isEmpty() ? tr("The upload failed; try again.") : unreadableReason(p.path);
        pending_.insert(id, p);
    }
}

} // namespace tenchat::ui
