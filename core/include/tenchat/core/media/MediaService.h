// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/media/DownloadJob.h"
#include "tenchat/core/media/UploadJob.h"
#include "tenchat/core/store/StoreTypes.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace tenchat::core::messaging {
class Messenger;
}

namespace tenchat::core::media {

// Image facts for the manifest. The core has no image codecs (no Qt GUI):
// the application installs an inspector (QImage based) that reads the
// dimensions and renders a small JPEG thumbnail.
struct ImageInfo {
    int width = 0;
    int height = 0;
    QByteArray thumbnailJpeg; // at most a few KiB
};

// Files in conversations: sending (upload, then the file message) and
// receiving (on demand, and small images automatically), on top of the
// messenger of one device and its store.
//
// Resumable uploads: an upload is identified by (conversation, absolute
// path, size, modification time). Its per-file key is kept in the store's
// settings ("media.upload.<id>") and every chunk the relay confirmed in the
// plugin_state table (plugin "tenchat.media.upload/<id>", key = chunk
// index), both inside the encrypted profile database. Sending the same file
// again after an interruption resumes it; completion clears both.
class MediaService : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kDefaultAutoDownloadBytes = 8ll << 20;

    struct SentFile {
        QString messageId;
        MediaManifest manifest;
        int chunksSent = 0;
        int chunksSkipped = 0; // already on the relay (resumed)
    };
    using ImageInspector = std::function<std::optional<ImageInfo>(const QString& path, const QString& mimeType)>;

    MediaService(messaging::Messenger& messenger, QString mediaDir, QObject* parent = nullptr);
    ~MediaService() override;

    // Uploads `path` into `conversationId` and queues the file message. The
    // returned job reports progress and can be cancelled; it is owned by the
    // service and deleted after `done`.
    UploadJob* sendFile(const QString& conversationId, const QString& path,
        std::function<void(MediaExpected<SentFile>)> done, UploadJob::Options options = {});

    // Downloads the file of message `messageId` to `destination`: a file
    // path, or an existing folder (the sender's file name inside it).
    DownloadJob* fetch(const QString& messageId, const QString& destination,
        std::function<void(MediaExpected<QString>)> done, DownloadJob::Options options = {});

    // The manifest of a file message (InvalidManifest for other messages).
    static MediaExpected<MediaManifest> manifestOf(const store::Message& message);

    // Images up to this size are downloaded into the media folder as they
    // arrive (0 = never). Kept in the setting "media.autoDownloadMaxBytes".
    qint64 autoDownloadLimit();
    MediaOk setAutoDownloadLimit(qint64 bytes);
    void setImageInspector(ImageInspector inspector) { inspector_ = std::move(inspector); }

    // Media kept by this profile (downloaded files in the media folder).
    qint64 storageBytes() const;
    MediaOk clearStorage();
    QString mediaDir() const { return mediaDir_; }

signals:
    // Every download this service starts (on request or automatic), for
    // progress and cancel; the job is deleted after it finishes.
    void downloadStarted(const QString& messageId, tenchat::core::media::DownloadJob* job);
    void autoDownloaded(const QString& messageId, const QString& path);
    void autoDownloadFailed(const QString& messageId, const QString& reason);

private:
    messaging::RelayClient* liveClient();
    void onMessageReceived(const store::Message& message);
    QString uploadId(const QString& conversationId, const QString& path) const;

    messaging::Messenger& messenger_;
    QString mediaDir_;
    ImageInspector inspector_;
};

} // namespace tenchat::core::media
