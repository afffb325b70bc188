// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/MediaController.h"

#include "MediaWorker.h"
#include "tenchat/core/media/MediaManifest.h"
#include "tenchat/ui/MediaImageProvider.h"
#include "tenchat/ui/MessagingService.h"

#include <QClipboard>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMimeData>
#include <QMimeDatabase>

#include <algorithm>

namespace tenchat::ui {

using core::media::MediaManifest;

namespace {
const QString kImageScheme = QStringLiteral("image://") + QLatin1String(MediaImageProvider::kName);
constexpr int kMaxStatusEntries = 5000;
} // namespace

MediaController::MediaController(QObject* parent) : QObject(parent), images_(std::make_shared<MediaImageStore>())
{ }

MediaController::~MediaController() = default;

void MediaController::attach(MessagingService* messaging)
{
    messaging_ = messaging;
    worker_ = messaging ? messaging->mediaWorker() : nullptr;
    if (!worker_)
        return;
    cacheDir_ = worker_->cacheDir();
    // Queued: the worker lives on the store's thread.
    connect(worker_, &MediaWorker::stateChanged, this, &MediaController::onState);
    connect(worker_, &MediaWorker::progress, this, &MediaController::onProgress);
    connect(worker_, &MediaWorker::failed, this,
        [this](const QString& message) { emit errorOccurred(InputError::TransferFailed, message); });
    connect(worker_, &MediaWorker::autoDownloadLimitLoaded, this, [this](qint64 bytes) {
        autoDownloadLimit_ = bytes;
        emit settingsChanged();
    });
    connect(worker_, &MediaWorker::storageMeasured, this, [this](int files, qint64 bytes) {
        storageFiles_ = files;
        storageBytes_ = bytes;
        storageBusy_ = false;
        emit storageChanged();
    });
    connect(worker_, &MediaWorker::storageCleared, this, [this] {
        images_->forgetLocalFiles();
        const QStringList ids = status_.keys();
        status_.clear();
        for (const QString& id : ids)
            emit fileChanged(id);
    });
    connect(worker_, &MediaWorker::saved, this, [this](const QString& id, const QString& path, const QString& error) {
        if (error.isEmpty())
            emit saved(id, path);
        else
            emit errorOccurred(InputError::TransferFailed, error);
    });
    post([](MediaWorker& w) { w.loadAutoDownloadLimit(); });
}

void MediaController::post(std::function<void(MediaWorker&)> job)
{
    if (!worker_ || !messaging_)
        return;
    MediaWorker* worker = worker_;
    QMetaObject::invokeMethod(
        worker, [worker, job = std::move(job)] { job(*worker); }, Qt::QueuedConnection);
}

bool MediaController::isMediaType(const QString& contentType)
{
    return contentType == QLatin1String(MediaManifest::kFileContentType)
        || contentType == QLatin1String(MediaWorker::kUploadContentType);
}

QString MediaController::humanSize(qint64 bytes)
{
    if (bytes < 1000)
        return tr("%1 B").arg(bytes);
    const char* units[] = { "KB", "MB", "GB", "TB" };
    double value = double(bytes);
    int unit = -1;
    while (value >= 1000 && unit < 3) {
        value /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(QLocale().toString(value, 'f', value < 10 ? 1 : 0), QLatin1String(units[unit]));
}

QString MediaController::iconFor(const QString& mimeType)
{
    if (mimeType.startsWith(QLatin1String("image/")))
        return QStringLiteral("🖼");
    if (mimeType.startsWith(QLatin1String("audio/")))
        return QStringLiteral("🎵");
    if (mimeType.startsWith(QLatin1String("video/")))
        return QStringLiteral("🎬");
    if (mimeType == QLatin1String("application/pdf"))
        return QStringLiteral("📕");
    static const QStringList archives { QStringLiteral("zip"), QStringLiteral("x-7z"), QStringLiteral("x-tar"),
        QStringLiteral("gzip"), QStringLiteral("x-xz"), QStringLiteral("zstd"), QStringLiteral("x-rar") };
    for (const QString& a : archives)
        if (mimeType.contains(a))
            return QStringLiteral("🗜");
    if (mimeType.startsWith(QLatin1String("text/")))
        return QStringLiteral("📝");
    return QStringLiteral("📄");
}

QVariantMap MediaController::describe(const QString& messageId, const QString& contentType, const QString& body)
{
    if (const QVariantMap* cached = descriptions_.object(messageId))
        return *cached;
    QString name;
    QString mime;
    qint64 size = 0;
    int width = 0;
    int height = 0;
    bool thumbnail = false;
    if (contentType == QLatin1String(MediaManifest::kFileContentType)) {
        auto manifest = MediaManifest::fromJson(body.toUtf8());
        if (!manifest)
            return { { QStringLiteral("valid"), false }, { QStringLiteral("name"), tr("Damaged file message") } };
        name = manifest->name;
        mime = manifest->mimeType;
        size = manifest->size;
        width = manifest->width;
        height = manifest->height;
        thumbnail = mime.startsWith(QLatin1String("image/")) && images_->setThumbnail(messageId, manifest->thumbnail);
    } else {
        const QJsonObject o = QJsonDocument::fromJson(body.toUtf8()).object();
        name = o.value(QStringLiteral("name")).toString();
        mime = o.value(QStringLiteral("mime")).toString();
        size = qint64(o.value(QStringLiteral("size")).toDouble());
    }
    const bool image = mime.startsWith(QLatin1String("image/"));
    if (image && !imageIds_.contains(messageId)) {
        imageIds_.insert(messageId);
        // A status read before this description lacked the picture: refresh it.
        if (!status_.value(messageId).path.isEmpty())
            QMetaObject::invokeMethod(
                this, [this, messageId] { emit fileChanged(messageId); }, Qt::QueuedConnection);
    }
    const QString label = QMimeDatabase().mimeTypeForName(mime).comment();
    QVariantMap out { { QStringLiteral("valid"), true }, { QStringLiteral("name"), name },
        { QStringLiteral("size"), size }, { QStringLiteral("sizeText"), humanSize(size) },
        { QStringLiteral("mime"), mime }, { QStringLiteral("typeLabel"), label.isEmpty() ? mime : label },
        { QStringLiteral("icon"), iconFor(mime) }, { QStringLiteral("isImage"), image },
        { QStringLiteral("width"), width }, { QStringLiteral("height"), height },
        { QStringLiteral("thumbnail"), thumbnail ? kImageScheme + QStringLiteral("/thumb/") + messageId : QString() } };
    descriptions_.insert(messageId, new QVariantMap(out));
    return out;
}

QVariantMap MediaController::status(const QString& messageId)
{
    auto it = status_.constFind(messageId);
    if (it == status_.cend()) {
        // First look: ask the worker (answers with stateChanged).
        if (status_.size() > kMaxStatusEntries)
            status_.clear();
        it = status_.insert(messageId, Status {});
        post([messageId](MediaWorker& w) { w.queryState(messageId); });
    }
    const Status& s = *it;
    const bool hasPicture = imageIds_.contains(messageId) && !s.path.isEmpty();
    return { { QStringLiteral("state"), int(s.state) },
        { QStringLiteral("progress"), s.total > 0 ? double(s.done) / double(s.total) : 0.0 },
        { QStringLiteral("progressText"),
            s.total > 0 ? tr("%1 of %2").arg(humanSize(s.done), humanSize(s.total)) : QString() },
        { QStringLiteral("error"), s.error }, { QStringLiteral("path"), s.path },
        { QStringLiteral("image"), hasPicture ? kImageScheme + QStringLiteral("/full/") + messageId : QString() } };
}

void MediaController::onState(const QString& id, int state, const QString& path, const QString& error)
{
    Status& s = status_[id];
    s.state = FileState(state);
    s.error = error;
    if (!path.isEmpty() || s.state == FileState::Remote)
        s.path = path;
    if (s.state != FileState::Uploading && s.state != FileState::Downloading) {
        s.done = 0;
        s.total = 0;
    }
    if (!s.path.isEmpty())
        images_->setLocalFile(id, s.path);
    emit fileChanged(id);
}

void MediaController::onProgress(const QString& id, qint64 done, qint64 total)
{
    Status& s = status_[id];
    s.done = done;
    s.total = total;
    emit fileChanged(id);
}

InputError::Kind MediaController::checkFile(const QUrl& url, QString* message)
{
    const auto refuse = [message](InputError::Kind kind, const QString& text) {
        if (message)
            *message = text;
        return kind;
    };
    if (!url.isLocalFile())
        return refuse(InputError::FileNotLocal,
            tr("“%1” is not a file on this computer; only local files can be sent.").arg(url.toDisplayString()));
    const QFileInfo info(url.toLocalFile());
    const QString name = info.fileName().isEmpty() ? info.filePath() : info.fileName();
    if (!info.exists())
        return refuse(InputError::FileMissing, tr("“%1” no longer exists; it was moved or deleted.").arg(name));
    if (info.isDir())
        return refuse(InputError::FileIsDirectory, tr("“%1” is a folder; folders cannot be sent.").arg(name));
    if (!info.isFile())
        return refuse(InputError::FileUnreadable, tr("“%1” is not a regular file and cannot be sent.").arg(name));
    QFile file(info.absoluteFilePath());
    if (!info.isReadable() || !file.open(QIODevice::ReadOnly))
        return refuse(InputError::FileUnreadable, tr("“%1” cannot be read (no permission).").arg(name));
    return InputError::None;
}

int MediaController::sendFiles(const QString& conversationId, const QList<QUrl>& urls)
{
    if (urls.isEmpty())
        return 0;
    if (conversationId.isEmpty()) {
        refuse(InputError::NoConversation, tr("Open a conversation to send files into it."));
        return 0;
    }
    QStringList paths;
    for (const QUrl& url : urls) {
        QString message;
        if (const InputError::Kind kind = checkFile(url, &message); kind != InputError::None)
            refuse(kind, message);
        else
            paths << QFileInfo(url.toLocalFile()).absoluteFilePath();
    }
    if (paths.isEmpty())
        return 0;
    if (!worker_) {
        refuse(InputError::NotReady, tr("Files can be sent once the profile is open."));
        return 0;
    }
    // The worker checks again when it queues them (a file may vanish meanwhile).
    post([conversationId, paths](MediaWorker& w) { w.sendFiles(conversationId, paths); });
    return int(paths.size());
}

bool MediaController::pasteFromClipboard(const QString& conversationId)
{
    const QClipboard* clipboard = QGuiApplication::clipboard();
    const QMimeData* data = clipboard ? clipboard->mimeData() : nullptr;
    if (conversationId.isEmpty())
        return false;
    const bool hasText = data && data->hasText() && !data->text().trimmed().isEmpty();
    const QStringList formats = data ? data->formats() : QStringList();
    // Nothing at all, or only text formats whose text is empty.
    const bool empty = !hasText && (!data || (!data->hasImage() && !data->hasUrls()))
        && std::all_of(formats.cbegin(), formats.cend(),
            [](const QString& format) { return format.startsWith(QLatin1String("text/")); });
    if (empty) {
        refuse(InputError::ClipboardEmpty, tr("The clipboard is empty: there is nothing to paste."));
        return true;
    }
    const auto imageFormat = std::find_if(formats.cbegin(), formats.cend(),
        [](const QString& format) { return format.startsWith(QLatin1String("image/")); });
    if (data->hasImage() || imageFormat != formats.cend()) {
        QImage image = qvariant_cast<QImage>(data->imageData());
        if (image.isNull() && imageFormat != formats.cend())
            image = QImage::fromData(data->data(*imageFormat)); // encoded (image/png...) as another app put it
        if (image.isNull()) {
            refuse(InputError::ClipboardImageUnreadable, tr("The image on the clipboard cannot be read."));
            return true;
        }
        // Inside the profile only; the storage page counts and clears it.
        const QString path = cacheDir_.isEmpty()
            ? QString()
            : QDir(cacheDir_).filePath(
                QStringLiteral("pasted-%1.png")
                    .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"))));
        if (!worker_) {
            refuse(InputError::NotReady, tr("Files can be sent once the profile is open."));
            return true;
        }
        if (path.isEmpty() || !QDir().mkpath(cacheDir_) || !image.save(path, "PNG")) {
            refuse(InputError::ClipboardImageNotSaved, tr("The pasted image could not be saved."));
            return true;
        }
        sendFiles(conversationId, { QUrl::fromLocalFile(path) });
        return true;
    }
    QList<QUrl> files;
    for (const QUrl& url : data->urls())
        if (url.isLocalFile())
            files << url;
    if (!files.isEmpty()) {
        // Folders and vanished files are refused one by one, the rest is sent.
        sendFiles(conversationId, files);
        return true;
    }
    if (hasText)
        return false; // the composer pastes the text (web links included)
    refuse(InputError::ClipboardUnsupported,
        tr("The clipboard holds neither text, an image nor files: there is nothing to paste."));
    return true;
}

void MediaController::download(const QString& messageId)
{
    post([messageId](MediaWorker& w) { w.download(messageId); });
}

void MediaController::cancel(const QString& messageId)
{
    const FileState state = status_.value(messageId).state;
    if (state == FileState::Downloading)
        post([messageId](MediaWorker& w) { w.cancelDownload(messageId); });
    else
        post([messageId](MediaWorker& w) { w.cancelUpload(messageId); });
}

void MediaController::retry(const QString& messageId)
{
    const Status s = status_.value(messageId);
    // An upload keeps its local path; a failed download has none.
    if (!s.path.isEmpty())
        post([messageId](MediaWorker& w) { w.retryUpload(messageId); });
    else
        download(messageId);
}

bool MediaController::open(const QString& messageId)
{
    const Status s = status_.value(messageId);
    if (s.state != FileState::Complete || s.path.isEmpty())
        return false;
    return QDesktopServices::openUrl(QUrl::fromLocalFile(s.path));
}

void MediaController::saveAs(const QString& messageId, const QUrl& destination)
{
    const Status s = status_.value(messageId);
    if (s.state != FileState::Complete || s.path.isEmpty() || !destination.isLocalFile())
        return;
    const QString source = s.path;
    const QString target = destination.toLocalFile();
    post([messageId, source, target](MediaWorker& w) { w.saveCopy(messageId, source, target); });
}

void MediaController::refreshStorage()
{
    storageBusy_ = true;
    emit storageChanged();
    post([](MediaWorker& w) { w.measureStorage(); });
}

void MediaController::clearStorage()
{
    storageBusy_ = true;
    emit storageChanged();
    post([](MediaWorker& w) { w.clearStorage(); });
}

void MediaController::setAutoDownloadLimitMb(int megabytes)
{
    const qint64 bytes = qint64(std::max(0, megabytes)) << 20;
    if (bytes == autoDownloadLimit_)
        return;
    autoDownloadLimit_ = bytes;
    emit settingsChanged();
    post([bytes](MediaWorker& w) { w.setAutoDownloadLimit(bytes); });
}

} // namespace tenchat::ui
