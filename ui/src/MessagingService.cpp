// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/MessagingService.h"

#include "MediaWorker.h"
#include "MessagingServiceEngine.h"
#include "ThumbnailMaker.h"
#include "tenchat/core/media/MediaService.h"

#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/messaging/LinkRequest.h"
#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/core/messaging/RelayClient.h"
#include "tenchat/core/store/AsyncStore.h"
#include "tenchat/core/store/VisibleText.h"

#include <QDir>
#include <QTimer>

namespace tenchat::ui {

using core::messaging::Account;
using core::messaging::Messenger;
using core::messaging::OwnDevice;
using core::messaging::RelayClient;
using core::messaging::SyncCoordinator;
using core::store::AsyncStore;
using core::store::ProfileStore;

namespace {
constexpr int kRegistrationTimeoutMs = 20000;
constexpr int kLinkCodeTtlSeconds = 600;

MessagingService::State fromSync(SyncCoordinator::State state)
{
    switch (state) {
    case SyncCoordinator::State::Offline:
    case SyncCoordinator::State::BackingOff: return MessagingService::State::Offline;
    case SyncCoordinator::State::Connecting:
    case SyncCoordinator::State::Negotiating:
    case SyncCoordinator::State::Authenticating: return MessagingService::State::Connecting;
    case SyncCoordinator::State::Syncing: return MessagingService::State::Syncing;
    case SyncCoordinator::State::Live: return MessagingService::State::Live;
    }
    return MessagingService::State::Offline;
}
} // namespace

MessagingService::MessagingService(AsyncStore* store, QObject* parent)
    : QObject(parent), store_(store), engine_(std::make_shared<Engine>())
{ }

MessagingService::~MessagingService()
{
    if (!store_)
        return;
    // The engine's objects live on the worker: stop and destroy them there,
    // and wait, so no engine callback can run once this object is gone.
    store_->post([engine = std::move(engine_)](ProfileStore&) {
        engine->mediaWorker.reset();
        engine->media.reset();
        if (engine->messenger)
            engine->messenger->stop();
        engine->messenger.reset();
        engine->registration.reset();
        engine->link.reset();
        engine->account.reset();
    });
    store_->waitForIdle();
}

void MessagingService::toGui(std::function<void()> fn)
{
    QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection);
}

void MessagingService::setState(State state)
{
    if (state == state_)
        return;
    state_ = state;
    emit stateChanged();
}

void MessagingService::withEngine(std::function<void(Engine&)> job)
{
    if (!store_)
        return;
    store_->post([engine = engine_, job = std::move(job)](ProfileStore&) { job(*engine); });
}

void MessagingService::start(const QUrl& relayUrl, const QString& handle, Done done)
{
    if (!store_)
        return done(tr("The profile is not open."));
    setState(State::Connecting);
    store_->post([this, engine = engine_, relayUrl, handle, done = std::move(done)](ProfileStore& store) {
        if (!engine->account) {
            auto attached = Account::attach(store);
            if (!attached) {
                const QString error = attached.error().message;
                return toGui([this, done, error] {
                    setState(State::Offline);
                    done(error);
                });
            }
            engine->account = std::move(attached).value();
        }
        Engine* e = engine.get();
        // Runs on the worker once the account is registered.
        auto startMessenger = [this, e, done]() {
            e->messenger = std::make_unique<Messenger>(*e->account);
            Messenger* m = e->messenger.get();
            QObject::connect(&m->sync(), &SyncCoordinator::stateChanged, m,
                [this](SyncCoordinator::State s) { toGui([this, s] { setState(fromSync(s)); }); });
            QObject::connect(m, &Messenger::identityChangeDetected, m,
                [this](const QString& h) { toGui([this, h] { emit identityChangeDetected(h); }); });
            QObject::connect(
                m, &Messenger::messageReceived, m, [this](const core::store::Message& message, const QString& from) {
                    const QString conversation = message.conversationId;
                    const QString id = message.id;
                    // A file message's body is its manifest (with its key): only the name is shown.
                    const QString preview
                        = core::store::VisibleText::preview(message.contentType, message.body).left(200);
                    toGui([this, conversation, id, from, preview] {
                        emit messageReceived(conversation, id, from, preview);
                    });
                });
            connectEngineSignals(m);
            const QDir profile(e->account->store().directory());
            e->media = std::make_unique<core::media::MediaService>(*m, profile.filePath(QStringLiteral("media")));
            e->media->setImageInspector(&ThumbnailMaker::inspect);
            e->mediaWorker = std::make_unique<MediaWorker>(*m, *e->media, profile.filePath(QStringLiteral("cache")));
            MediaWorker* media = e->mediaWorker.get();
            const QString h = e->account->handle();
            const QString user = e->account->userIdHex();
            const QString devices = QStringLiteral("%1").arg(e->account->deviceId());
            m->start();
            toGui([this, done, h, user, devices, media] {
                mediaWorker_ = media;
                handle_ = h;
                userId_ = user;
                deviceSummary_ = devices;
                started_ = true;
                done(QString());
            });
        };
        if (engine->account->isRegistered())
            return startMessenger();
        if (handle.isEmpty() || !relayUrl.isValid())
            return toGui([this, done] {
                setState(State::Offline);
                done(tr("This profile is not registered on a relay yet. Choose a handle to finish setting it up."));
            });
        // First run: register the handle on the relay, then start.
        auto client = std::make_unique<RelayClient>();
        RelayClient* c = client.get();
        engine->registration = std::move(client);
        auto finished = std::make_shared<bool>(false);
        auto fail = [this, e, done, finished](const QString& reason) {
            if (*finished)
                return;
            *finished = true;
            if (e->registration)
                e->registration.release()->deleteLater(); // we may be inside one of its signals
            toGui([this, done, reason] {
                setState(State::Offline);
                done(reason);
            });
        };
        QObject::connect(c, &RelayClient::connected, c, [e, c, relayUrl, handle, fail, finished, startMessenger] {
            e->account->registerOnRelay(*c, relayUrl, handle, [e, fail, finished, startMessenger](auto ok) {
                if (!ok)
                    return fail(tr("Registration failed: %1").arg(ok.error().message));
                if (*finished)
                    return;
                *finished = true;
                if (e->registration)
                    e->registration.release()->deleteLater();
                startMessenger();
            });
        });
        QObject::connect(c, &RelayClient::disconnected, c, [fail, relayUrl](const QString& reason) {
            fail(tr("The relay at %1 is not reachable (%2).").arg(relayUrl.toString(), reason));
        });
        QTimer::singleShot(kRegistrationTimeoutMs, c, [fail] { fail(tr("The relay did not answer in time.")); });
        c->open(relayUrl);
    });
}

void MessagingService::queueText(
    const QString& conversationId, const QString& text, const QString& replyTo, IdDone done)
{
    withEngine([this, conversationId, text, replyTo, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done({}, tr("Not connected to the messaging engine yet.")); });
        auto id = e.messenger->queueText(conversationId, text, replyTo);
        const QString value = id ? *id : QString();
        const QString error = id ? QString() : id.error().message;
        toGui([done, value, error] { done(value, error); });
    });
}

void MessagingService::queueEdit(const QString& messageId, const QString& text, IdDone done)
{
    withEngine([this, messageId, text, done = std::move(done)](Engine& e) {
        auto id = e.messenger ? e.messenger->queueEdit(messageId, text)
                              : core::messaging::MessagingExpected<QString>(QString());
        const QString error = !e.messenger ? tr("Not connected yet.") : id ? QString() : id.error().message;
        toGui([done, messageId, error] { done(messageId, error); });
    });
}

void MessagingService::queueDelete(const QString& messageId, IdDone done)
{
    withEngine([this, messageId, done = std::move(done)](Engine& e) {
        auto id = e.messenger ? e.messenger->queueDelete(messageId)
                              : core::messaging::MessagingExpected<QString>(QString());
        const QString error = !e.messenger ? tr("Not connected yet.") : id ? QString() : id.error().message;
        toGui([done, messageId, error] { done(messageId, error); });
    });
}

void MessagingService::queueReaction(const QString& messageId, const QString& emoji, bool remove, IdDone done)
{
    withEngine([this, messageId, emoji, remove, done = std::move(done)](Engine& e) {
        auto id = e.messenger ? e.messenger->queueReaction(messageId, emoji, remove)
                              : core::messaging::MessagingExpected<QString>(QString());
        const QString error = !e.messenger ? tr("Not connected yet.") : id ? QString() : id.error().message;
        toGui([done, messageId, error] { done(messageId, error); });
    });
}

void MessagingService::retry(const QString& messageId, IdDone done)
{
    withEngine([this, messageId, done = std::move(done)](Engine& e) {
        QString error;
        QString newId;
        if (!e.messenger) {
            error = tr("Not connected yet.");
        } else if (auto old = e.account->store().messages().get(messageId); !old || !*old) {
            error = tr("The message is gone.");
        } else if ((*old)->delivery != core::store::DeliveryState::Failed
            || (*old)->contentType == QLatin1String(MediaWorker::kUploadContentType)) {
            error = tr("Only a failed message can be sent again.");
        } else {
            const core::store::Message message = **old;
            const bool text = message.contentType == QLatin1String("text/plain")
                || message.contentType == QLatin1String("text/markdown");
            auto queued = text ? e.messenger->queueText(message.conversationId, message.body, message.replyTo)
                               : e.messenger->queueContent(message.conversationId, message.contentType, message.body);
            if (queued) {
                newId = *queued;
                (void)e.account->store().messages().remove(messageId);
            } else {
                error = queued.error().message;
            }
        }
        toGui([done, newId, error] { done(newId, error); });
    });
}

void MessagingService::openDirect(const QString& handle, IdDone done)
{
    withEngine([this, handle, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done({}, tr("Not connected yet.")); });
        e.messenger->openDirect(handle, [this, done](core::messaging::MessagingExpected<QString> result) {
            const QString id = result ? *result : QString();
            const QString error = result ? QString() : result.error().message;
            toGui([done, id, error] { done(id, error); });
        });
    });
}

void MessagingService::safetyNumber(const QString& handle, IdDone done)
{
    withEngine([this, handle, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done({}, tr("Not connected yet.")); });
        auto number = e.messenger->safetyNumber(handle);
        const QString value = number ? *number : QString();
        const QString error = number ? QString() : number.error().message;
        toGui([done, value, error] { done(value, error); });
    });
}

void MessagingService::trust(const QString& handle, Done done)
{
    withEngine([this, handle, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done(tr("Not connected yet.")); });
        auto ok = e.messenger->trust(handle);
        const QString error = ok ? QString() : ok.error().message;
        toGui([done, error] { done(error); });
    });
}

void MessagingService::identityChanged(const QString& handle, std::function<void(bool)> done)
{
    withEngine([this, handle, done = std::move(done)](Engine& e) {
        auto changed
            = e.messenger ? e.messenger->identityChanged(handle) : core::messaging::MessagingExpected<bool>(false);
        const bool value = changed && *changed;
        toGui([done, value] { done(value); });
    });
}

void MessagingService::withMessenger(std::function<void(Messenger*)> job)
{
    withEngine([job = std::move(job)](Engine& e) { job(e.messenger.get()); });
}

// --- own devices and linking ------------------------------------------------

void MessagingService::startLink(const QUrl& relayUrl, const QString& deviceName, CodeShown onCode, Done done)
{
    if (!store_)
        return done(tr("The profile is not open."));
    setState(State::Connecting);
    store_->post([this, engine = engine_, relayUrl, deviceName, onCode = std::move(onCode), done = std::move(done)](
                     ProfileStore& store) {
        const auto fail = [this, done](const QString& error) {
            toGui([this, done, error] {
                setState(State::Offline);
                done(error);
            });
        };
        if (!engine->account) {
            auto attached = Account::attach(store);
            if (!attached)
                return fail(attached.error().message);
            engine->account = std::move(attached).value();
        }
        if (engine->account->isRegistered())
            return fail(tr("This profile is already registered as @%1.").arg(engine->account->handle()));
        if (engine->link)
            engine->link.release()->deleteLater(); // an earlier attempt, maybe inside its own callback
        engine->link = std::make_unique<core::messaging::LinkRequest>(*engine->account);
        core::messaging::LinkRequest* request = engine->link.get();
        Engine* e = engine.get();
        request->start(
            relayUrl, deviceName, kLinkCodeTtlSeconds,
            [this, onCode](const QString& code, qint64 expiresAtMs) {
                toGui([onCode, code, expiresAtMs] { onCode(code, expiresAtMs); });
            },
            [this, e, request, done](core::messaging::MessagingOk ok) {
                // Called from inside the request: delete it later, on the worker.
                if (e->link.get() == request)
                    e->link.release()->deleteLater();
                const QString error = ok ? QString() : ok.error().message;
                toGui([this, done, error] {
                    if (!error.isEmpty())
                        setState(State::Offline);
                    done(error);
                });
            });
    });
}

void MessagingService::cancelLink()
{
    withEngine([](Engine& e) {
        if (e.link)
            e.link.release()->deleteLater();
    });
}

void MessagingService::listDevices(DevicesDone done)
{
    withEngine([this, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done({}, tr("Not connected yet.")); });
        e.messenger->listDevices([this, done](core::messaging::MessagingExpected<QList<OwnDevice>> r) {
            const QList<OwnDevice> devices = r ? *r : QList<OwnDevice>();
            const QString error = r ? QString() : r.error().message;
            toGui([done, devices, error] { done(devices, error); });
        });
    });
}

void MessagingService::revokeDevice(quint32 deviceId, Done done)
{
    withEngine([this, deviceId, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done(tr("Not connected yet.")); });
        e.messenger->revokeDevice(deviceId, [this, done](core::messaging::MessagingOk ok) {
            const QString error = ok ? QString() : ok.error().message;
            toGui([done, error] { done(error); });
        });
    });
}

void MessagingService::approveLink(const QString& code, IdDone done)
{
    withEngine([this, code, done = std::move(done)](Engine& e) {
        if (!e.messenger)
            return toGui([done] { done({}, tr("Not connected yet.")); });
        e.messenger->approveLink(code, [this, done](core::messaging::MessagingExpected<quint32> r) {
            const QString id = r ? QString::number(*r) : QString();
            const QString error = r ? QString() : r.error().message;
            toGui([done, id, error] { done(id, error); });
        });
    });
}

} // namespace tenchat::ui
