// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/media/MediaService.h"

#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/crypto/Hash.h"
#include "tenchat/crypto/SecretStreamEncryptor.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>

namespace tenchat::core::media {

namespace {

const QString kAutoDownloadSetting = QStringLiteral("media.autoDownloadMaxBytes");

QString journalPlugin(const QString& id)
{
    return QStringLiteral("tenchat.media.upload/") + id;
}

QByteArray packRef(const ChunkRef& ref)
{
    QByteArray out = ref.id;
    out.append(QByteArray::number(ref.size)).append(ref.compressed ? ":z" : ":r");
    return out;
}

std::optional<ChunkRef> unpackRef(const QByteArray& bytes)
{
    if (bytes.size() < 32 + 3)
        return std::nullopt;
    ChunkRef ref;
    ref.id = bytes.left(32);
    const QByteArray rest = bytes.mid(32);
    const int colon = rest.lastIndexOf(':');
    bool ok = false;
    ref.size = rest.left(colon).toUInt(&ok);
    if (!ok || colon < 0)
        return std::nullopt;
    ref.compressed = rest.mid(colon + 1) == "z";
    return ref;
}

} // namespace

MediaService::MediaService(messaging::Messenger& messenger, QString mediaDir, QObject* parent)
    : QObject(parent), messenger_(messenger), mediaDir_(std::move(mediaDir))
{
    connect(&messenger_, &messaging::Messenger::messageReceived, this,
        [this](const store::Message& message, const QString&) { onMessageReceived(message); });
}

MediaService::~MediaService() = default;

messaging::RelayClient* MediaService::liveClient()
{
    return messenger_.sync().isLive() ? &messenger_.sync().client() : nullptr;
}

QString MediaService::uploadId(const QString& conversationId, const QString& path) const
{
    const QFileInfo info(path);
    const QByteArray identity = conversationId.toUtf8() + '\n' + info.absoluteFilePath().toUtf8() + '\n'
        + QByteArray::number(info.size()) + '\n' + QByteArray::number(info.lastModified().toMSecsSinceEpoch());
    return QString::fromLatin1(QCryptographicHash::hash(identity, QCryptographicHash::Sha256).toHex().left(32));
}

UploadJob* MediaService::sendFile(const QString& conversationId, const QString& path,
    std::function<void(MediaExpected<SentFile>)> done, UploadJob::Options options)
{
    auto& store = messenger_.account().store();
    const QFileInfo info(path);
    const QString id = uploadId(conversationId, path);
    const QString settingKey = QStringLiteral("media.upload.") + id;
    // A key from an interrupted upload of this very file, or a fresh one.
    crypto::SecretBytes key;
    auto saved = store.keyValues().setting(settingKey);
    if (saved && saved->has_value() && !(*saved)->isEmpty()) {
        const auto o = QJsonDocument::fromJson(**saved).object();
        const QByteArray raw = QByteArray::fromBase64(o.value(QStringLiteral("key")).toString().toLatin1());
        if (raw.size() == 32)
            key = crypto::SecretBytes(
                crypto::ByteView(reinterpret_cast<const std::uint8_t*>(raw.constData()), std::size_t(raw.size())));
    }
    if (key.empty()) {
        key = crypto::newSecretStreamKey();
        (void)store.keyValues().clearPluginState(journalPlugin(id)); // leftovers of an older key
        const QJsonObject o {
            { QStringLiteral("key"),
                QString::fromLatin1(
                    QByteArray(reinterpret_cast<const char*>(key.data()), qsizetype(key.size())).toBase64()) },
            { QStringLiteral("path"), info.absoluteFilePath() }, { QStringLiteral("conversation"), conversationId },
            { QStringLiteral("startedAt"), double(QDateTime::currentMSecsSinceEpoch()) }
        };
        if (auto ok = store.keyValues().setSetting(settingKey, QJsonDocument(o).toJson(QJsonDocument::Compact)); !ok) {
            done(mediaError(MediaErrorCode::Store, ok.error().message));
            return nullptr;
        }
    }
    const QString mime = QMimeDatabase().mimeTypeForFile(info).name();
    UploadJob::Journal journal;
    journal.load = [&store, id](int index) -> std::optional<ChunkRef> {
        auto value = store.keyValues().pluginState(journalPlugin(id), QString::number(index));
        if (!value || !value->has_value())
            return std::nullopt;
        return unpackRef(**value);
    };
    journal.save = [&store, id](int index, const ChunkRef& ref) {
        // Best effort: a chunk missing from the journal is only sent again.
        (void)store.keyValues().setPluginState(journalPlugin(id), QString::number(index), packRef(ref));
    };
    auto* job = new UploadJob([this] { return liveClient(); }, info.absoluteFilePath(),
        QByteArray::fromHex(conversationId.toLatin1()), mime, std::move(key), std::move(journal), options, this);
    if (inspector_ && mime.startsWith(QLatin1String("image/"))) {
        if (auto image = inspector_(info.absoluteFilePath(), mime))
            job->setImageInfo(image->width, image->height, image->thumbnailJpeg);
    }
    QPointer<UploadJob> guard(job);
    job->start([this, guard, conversationId, settingKey, id, path = info.absoluteFilePath(), done = std::move(done)](
                   MediaExpected<MediaManifest> manifest) {
        auto& store = messenger_.account().store();
        const int sent = guard ? guard->chunksSent() : 0;
        const int skipped = guard ? guard->chunksSkipped() : 0;
        if (guard)
            guard->deleteLater();
        if (!manifest) {
            // Kept for a resume unless the user gave up on it.
            if (manifest.error().code == MediaErrorCode::Cancelled) {
                (void)store.keyValues().clearPluginState(journalPlugin(id));
                (void)store.keyValues().setSetting(settingKey, {});
            }
            done(Unexpected<MediaError>(manifest.error()));
            return;
        }
        auto messageId = messenger_.queueContent(
            conversationId, QLatin1String(MediaManifest::kFileContentType), QString::fromUtf8(manifest->toJson()));
        if (!messageId) {
            done(mediaError(MediaErrorCode::Store, messageId.error().message));
            return;
        }
        store::Attachment attachment;
        attachment.id = *messageId;
        attachment.messageId = *messageId;
        attachment.manifest = manifest->toJson();
        attachment.mimeType = manifest->mimeType;
        attachment.size = manifest->size;
        attachment.localPath = path;
        attachment.state = store::AttachmentState::Complete;
        // The message is committed; the attachment row and the journal
        // cleanup are bookkeeping (a leftover journal is replaced next time).
        (void)store.account().saveAttachment(attachment);
        (void)store.keyValues().clearPluginState(journalPlugin(id));
        (void)store.keyValues().setSetting(settingKey, {});
        done(SentFile { *messageId, std::move(*manifest), sent, skipped });
    });
    return guard.data();
}

MediaExpected<MediaManifest> MediaService::manifestOf(const store::Message& message)
{
    if (message.contentType != QLatin1String(MediaManifest::kFileContentType) || message.tombstone)
        return mediaError(MediaErrorCode::InvalidManifest, QStringLiteral("message %1 is not a file").arg(message.id));
    return MediaManifest::fromJson(message.body.toUtf8());
}

DownloadJob* MediaService::fetch(const QString& messageId, const QString& destination,
    std::function<void(MediaExpected<QString>)> done, DownloadJob::Options options)
{
    auto& store = messenger_.account().store();
    auto message = store.messages().get(messageId);
    if (!message) {
        done(mediaError(MediaErrorCode::Store, message.error().message));
        return nullptr;
    }
    if (!message->has_value()) {
        done(mediaError(MediaErrorCode::InvalidArgument, QStringLiteral("no message %1").arg(messageId)));
        return nullptr;
    }
    auto manifest = manifestOf(**message);
    if (!manifest) {
        done(Unexpected<MediaError>(manifest.error()));
        return nullptr;
    }
    QString target = destination;
    if (QFileInfo(destination).isDir())
        target = QDir(destination).filePath(manifest->name);
    target = QFileInfo(target).absoluteFilePath();
    store::Attachment attachment;
    attachment.id = messageId;
    attachment.messageId = messageId;
    attachment.manifest = manifest->toJson();
    attachment.mimeType = manifest->mimeType;
    attachment.size = manifest->size;
    attachment.state = store::AttachmentState::Downloading;
    if (auto saved = store.account().saveAttachment(attachment); !saved) {
        done(mediaError(MediaErrorCode::Store, saved.error().message));
        return nullptr;
    }
    auto* job = new DownloadJob([this] { return liveClient(); }, std::move(*manifest), target, options, this);
    QPointer<DownloadJob> guard(job);
    emit downloadStarted(messageId, job);
    job->start([this, guard, messageId, target, done = std::move(done)](MediaOk result) {
        if (guard)
            guard->deleteLater();
        auto& store = messenger_.account().store();
        (void)store.account().setAttachmentState(messageId,
            result ? store::AttachmentState::Complete : store::AttachmentState::Failed, result ? target : QString());
        if (!result) {
            done(Unexpected<MediaError>(result.error()));
            return;
        }
        done(target);
    });
    return guard.data();
}

qint64 MediaService::autoDownloadLimit()
{
    auto value = messenger_.account().store().keyValues().setting(kAutoDownloadSetting);
    if (!value || !value->has_value() || (*value)->isEmpty())
        return kDefaultAutoDownloadBytes;
    return (*value)->toLongLong();
}

MediaOk MediaService::setAutoDownloadLimit(qint64 bytes)
{
    auto ok = messenger_.account().store().keyValues().setSetting(
        kAutoDownloadSetting, QByteArray::number(std::max<qint64>(0, bytes)));
    if (!ok)
        return mediaError(MediaErrorCode::Store, ok.error().message);
    return {};
}

void MediaService::onMessageReceived(const store::Message& message)
{
    if (message.outgoing || message.contentType != QLatin1String(MediaManifest::kFileContentType))
        return;
    auto manifest = manifestOf(message);
    if (!manifest || !manifest->mimeType.startsWith(QLatin1String("image/")) || manifest->size > autoDownloadLimit())
        return;
    const QString folder = QDir(mediaDir_).filePath(message.id);
    const QString target = QDir(folder).filePath(manifest->name);
    if (QFileInfo::exists(target))
        return;
    const QString id = message.id;
    fetch(id, target, [this, id](MediaExpected<QString> result) {
        if (result)
            emit autoDownloaded(id, *result);
        else
            emit autoDownloadFailed(id, result.error().message);
    });
}

qint64 MediaService::storageBytes() const
{
    qint64 total = 0;
    QDirIterator it(mediaDir_, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

MediaOk MediaService::clearStorage()
{
    QDir dir(mediaDir_);
    if (dir.exists() && !dir.removeRecursively())
        return mediaError(MediaErrorCode::Io, QStringLiteral("cannot remove everything in %1").arg(mediaDir_));
    return {};
}

} // namespace tenchat::core::media
