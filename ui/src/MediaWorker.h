// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/media/MediaError.h"
#include "tenchat/core/store/Ulid.h"
#include "tenchat/core/store/VisibleText.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

namespace tenchat::core::media {
class DownloadJob;
class MediaService;
class UploadJob;
} // namespace tenchat::core::media
namespace tenchat::core::messaging {
class Messenger;
}

namespace tenchat::ui {

// The media side of the engine, on the store's worker thread (created and
// destroyed there, next to the MediaService it drives). MediaController
// talks to it with queued calls and listens to its signals (queued back to
// the GUI thread; Qt drops them safely if the controller is gone).
//
// Sending: each file first becomes a local placeholder message (content
// type kUploadContentType: name, size, type and the local path; it never
// leaves the device) that shows at once, also offline, and is remembered in
// the setting "media.pendingUploads" across restarts. Its upload starts when
// the engine is live (MediaService resumes an interrupted one) and, once
// done, the real file message is queued through the outbox and the
// placeholder removed. Offline or on a dropped connection it waits for the
// next live connection. Files that cannot be read, or that the relay would
// refuse (larger than its maximum file size or the account's remaining
// quota, asked before anything is stored), get a clear error (`failed`)
// and no placeholder.
class MediaWorker : public QObject {
    Q_OBJECT
public:
    static constexpr const char* kUploadContentType = core::store::VisibleText::kUploadContentType;
    static constexpr const char* kPendingSetting = "media.pendingUploads";
    // Mirrors MediaController::FileState.
    enum State { Remote = 0, Waiting, Uploading, Downloading, Complete, Failed };

    MediaWorker(core::messaging::Messenger& messenger, core::media::MediaService& media, QString cacheDir,
        QObject* parent = nullptr);
    ~MediaWorker() override;

    // Set at construction, readable from any thread.
    QString cacheDir() const { return cacheDir_; }

    // All on the worker thread.
    void sendFiles(const QString& conversationId, const QStringList& paths);
    void cancelUpload(const QString& placeholderId);
    void retryUpload(const QString& placeholderId);
    void download(const QString& messageId);
    void cancelDownload(const QString& messageId);
    void queryState(const QString& messageId);
    // Copies a verified local file to where the user chose (replacing it).
    void saveCopy(const QString& messageId, const QString& source, const QString& destination);
    void measureStorage();
    void clearStorage();
    void loadAutoDownloadLimit();
    void setAutoDownloadLimit(qint64 bytes);
    // Human text for a media error (what the bubble shows).
    static QString describe(const core::media::MediaError& error);

Q_SIGNALS:
    void progress(const QString& id, qint64 done, qint64 total);
    void stateChanged(const QString& id, int state, const QString& path, const QString& error);
    void storageMeasured(int files, qint64 bytes);
    void autoDownloadLimitLoaded(qint64 bytes);
    void failed(const QString& message);
    void storageCleared();
    void saved(const QString& id, const QString& destination, const QString& error);

private:
    struct Pending {
        QString conversationId;
        QString path;
        bool running = false;
        bool failed = false; // a permanent error: waits for the user (retry or cancel)
        QString error; // why it waits or failed (shown with "Try again")
    };
    void onLive();
    void onOffline();
    // The placeholders and pending uploads of files already checked.
    void queueUploads(const QString& conversationId, const QStringList& paths);
    // Empty when `path` can be sent, else the reason (for the user).
    static QString unreadableReason(const QString& path);
    void startUpload(const QString& placeholderId);
    void savePending();
    void loadPending();
    void trackDownload(const QString& messageId, core::media::DownloadJob* job);

    core::messaging::Messenger& messenger_;
    core::media::MediaService& media_;
    QString cacheDir_;
    core::store::UlidGenerator ulids_;
    QHash<QString, Pending> pending_; // placeholder id -> upload
    QHash<QString, QPointer<core::media::UploadJob>> uploads_;
    QHash<QString, QPointer<core::media::DownloadJob>> downloads_;
};

} // namespace tenchat::ui
