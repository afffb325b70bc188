// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/ui/InputError.h"
#include "tenchat/ui/MediaImageStore.h"

#include <QCache>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QUrl>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <memory>

namespace tenchat::ui {

class MediaWorker;
class MessagingService;

// Files in the chat view: attaching (file dialog, drop, paste), the state
// of each file message's transfer (upload or download progress, errors,
// the verified local file), opening and saving copies, pictures for image
// bubbles (image://tenchatmedia, see MediaImageProvider) and the storage
// page. The work runs in the engine's MediaWorker on the store's worker
// thread; this object only keeps what the views show.
class MediaController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(int autoDownloadLimitMb READ autoDownloadLimitMb WRITE setAutoDownloadLimitMb NOTIFY settingsChanged)
    Q_PROPERTY(int storageFiles READ storageFiles NOTIFY storageChanged)
    Q_PROPERTY(qint64 storageBytes READ storageBytes NOTIFY storageChanged)
    Q_PROPERTY(bool storageBusy READ storageBusy NOTIFY storageChanged)
public:
    enum class FileState { Remote, Waiting, Uploading, Downloading, Complete, Failed };
    Q_ENUM(FileState)

    explicit MediaController(QObject* parent = nullptr);
    ~MediaController() override;

    // Called once the engine runs.
    void attach(MessagingService* messaging);
    std::shared_ptr<MediaImageStore> images() const { return images_; }

    int autoDownloadLimitMb() const { return int(autoDownloadLimit_ >> 20); }
    void setAutoDownloadLimitMb(int megabytes);
    int storageFiles() const { return storageFiles_; }
    qint64 storageBytes() const { return storageBytes_; }
    bool storageBusy() const { return storageBusy_; }

    // Whether a message is a file (sent, received or being uploaded).
    Q_INVOKABLE static bool isMediaType(const QString& contentType);
    // {name, size, sizeText, mime, typeLabel, icon, isImage, width, height,
    // thumbnail (url or "")} of a file message, parsed once and cached.
    Q_INVOKABLE QVariantMap describe(const QString& messageId, const QString& contentType, const QString& body);
    // {state (FileState), progress (0..1), error, path, image (url or "")}.
    Q_INVOKABLE QVariantMap status(const QString& messageId);

    // Sends local files (file dialog, drop) into a conversation. Each is
    // checked first: a folder, a file that is gone, unreadable or not local
    // is refused with errorOccurred (nothing is queued for it); the others
    // are sent. Returns how many were accepted.
    Q_INVOKABLE int sendFiles(const QString& conversationId, const QList<QUrl>& urls);
    // Sends the clipboard's image (saved in the profile's cache first) or
    // its local files; false when it holds text (the composer pastes it).
    // An empty clipboard, one with nothing usable, or an image that does
    // not decode is refused with errorOccurred (and true: nothing to paste).
    Q_INVOKABLE bool pasteFromClipboard(const QString& conversationId);
    // Why a file cannot be sent (InputError::None when it can), with the
    // sentence shown to the person in `message`.
    static InputError::Kind checkFile(const QUrl& url, QString* message = nullptr);
    Q_INVOKABLE void download(const QString& messageId);
    // Cancels the upload (the placeholder goes) or the download.
    Q_INVOKABLE void cancel(const QString& messageId);
    // After an error: the upload or the download again.
    Q_INVOKABLE void retry(const QString& messageId);
    Q_INVOKABLE bool open(const QString& messageId);
    Q_INVOKABLE void saveAs(const QString& messageId, const QUrl& destination);
    Q_INVOKABLE void refreshStorage();
    Q_INVOKABLE void clearStorage();

    // "0 B", "12.3 KB", "4.5 MB", "1.2 GB" (decimal units).
    Q_INVOKABLE static QString humanSize(qint64 bytes);
    // Icon glyph and label by MIME type (image, audio, video, PDF, archive, text, other).
    static QString iconFor(const QString& mimeType);

    // Where pasted images are kept (inside the profile).
    QString cacheDir() const { return cacheDir_; }

Q_SIGNALS:
    void fileChanged(const QString& messageId);
    void storageChanged();
    void settingsChanged();
    void saved(const QString& messageId, const QString& path);
    // Refused input (InputError kinds) and failed transfers (TransferFailed).
    void errorOccurred(tenchat::ui::InputError::Kind kind, const QString& message);

private:
    struct Status {
        FileState state = FileState::Remote;
        qint64 done = 0;
        qint64 total = 0;
        QString error;
        QString path;
    };
    void onState(const QString& id, int state, const QString& path, const QString& error);
    void onProgress(const QString& id, qint64 done, qint64 total);
    // Runs `job` on the worker thread with the engine's media side.
    void post(std::function<void(MediaWorker&)> job);
    void refuse(InputError::Kind kind, const QString& message) { emit errorOccurred(kind, message); }

    QPointer<MessagingService> messaging_;
    MediaWorker* worker_ = nullptr;
    QString cacheDir_;
    std::shared_ptr<MediaImageStore> images_;
    QHash<QString, Status> status_;
    QSet<QString> imageIds_; // image messages (their local file becomes the full picture)
    QCache<QString, QVariantMap> descriptions_ { 1000 };
    qint64 autoDownloadLimit_ = 0;
    int storageFiles_ = 0;
    qint64 storageBytes_ = 0;
    bool storageBusy_ = false;
};

} // namespace tenchat::ui
