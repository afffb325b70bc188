// SPDX-License-Identifier: GPL-3.0-or-later
// GroupEngine: sender-key recovery. A group entry we cannot open for lack of
// the sender's key (missing, or ours is past the message) stays in the inbox
// and the sender device is asked for its key (rate limited); the sender
// answers current members only, from the iteration they need when it still
// has it. See docs/messaging.md, "Sender-key recovery".
#include "tenchat/core/messaging/GroupEngine.h"

#include "GroupKeys.h"
#include "KeyRequestLimiter.h"
#include "MessagingUtil.h"
#include "SenderKeyCheckpoints.h"
#include "ToDeviceBody.h"
#include "tenchat/core/messaging/Messenger.h"
#include "tenchat/crypto/GroupCipher.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace tenchat::core::messaging {

using namespace util;
using namespace groupkeys;

namespace {

// A waiting entry whose key does not come within a day is marked
// undecryptable (it stays, the UI says so).
constexpr qint64 kSenderKeyWaitMs = 24 * 3600 * 1000;
// Our own key is checkpointed every so many messages, so that a requester
// never needs more than libsignal's 2,000-message look-ahead.
constexpr std::uint32_t kCheckpointEvery = 1000;
constexpr int kMaxTimerMs = 3600 * 1000;

QByteArray toQByteArray(const crypto::Bytes& bytes)
{
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
}

} // namespace

GroupEngine::~GroupEngine() = default;

// --- the requesting side ----------------------------------------------------

bool GroupEngine::stillWaiting(const store::InboxEnvelope& envelope, const QString& stream)
{
    if (!isKeyWaitState(envelope.lastError))
        return false;
    const auto it = triedAt_.constFind(envelope.id);
    if (it == triedAt_.cend() || it->generation != keyGeneration_.value(stream))
        return false; // a key came since (or first time in this run): try it
    if (envelope.lastError == waitingForKeyState()) {
        if (nowMs() - envelope.receivedAt >= kSenderKeyWaitMs)
            return false; // time to give up: decided in keepUndecrypted
        wantKey(stream, it->want);
    }
    return true;
}

bool GroupEngine::keepUndecrypted(const store::InboxEnvelope& envelope, const QString& conversationId,
    const QString& senderHex, quint32 senderDevice, const crypto::SenderKeyPosition& position)
{
    auto& s = m_.account_.store();
    const QString stream = streamTag(conversationId, senderHex, senderDevice);
    const auto answered = answered_.value(stream);
    // Undecryptable once the sender answered for this key from this
    // iteration or earlier and it still does not open (or after a day).
    const bool givenUp = envelope.lastError == undecryptableState()
        || (answered.contains(position.keyId) && position.iteration >= answered.value(position.keyId))
        || nowMs() - envelope.receivedAt >= kSenderKeyWaitMs;
    const QString state = givenUp ? undecryptableState() : waitingForKeyState();
    if (state != envelope.lastError) {
        if (!s.inbox().recordFailure(envelope.id, state))
            return false;
        if (givenUp)
            (void)s.audit(QStringLiteral("envelope-undecryptable-kept"), conversationId);
        m_.announce([this, conversationId] { emit undecryptedChanged(conversationId); });
    }
    const KeyWant want { conversationId, senderHex, senderDevice, position.keyId, position.iteration };
    triedAt_.insert(envelope.id, Tried { keyGeneration_.value(stream), want });
    if (!givenUp)
        wantKey(stream, want);
    return true;
}

void GroupEngine::wantKey(const QString& stream, const KeyWant& want)
{
    auto it = wanted_.find(stream);
    if (it != wanted_.end()) {
        if (it->keyId == want.keyId && want.iteration < it->iteration)
            it->iteration = want.iteration; // one request covers the earliest
        return; // the timer is armed for when it may be asked (again)
    }
    wanted_.insert(stream, want);
    // Sent from the event loop: never inside the caller's transaction (the
    // request is a ratchet step of the pairwise session).
    requestTimer_.start(0);
}

void GroupEngine::flushKeyRequests()
{
    if (wanted_.isEmpty() || !m_.sync_.isLive())
        return; // again when live
    const qint64 now = nowMs();
    qint64 next = 0;
    for (auto it = wanted_.cbegin(); it != wanted_.cend(); ++it) {
        // A stream stays wanted until its answer comes: asked again with
        // backoff while none does.
        if (requestLimiter_->tryAcquire(it.key(), now))
            sendKeyRequest(it.key(), it.value());
        const qint64 due = requestLimiter_->nextAllowed(it.key());
        next = next == 0 ? due : std::min(next, due);
    }
    if (next > 0)
        requestTimer_.start(int(std::clamp<qint64>(next - now, 0, kMaxTimerMs)));
}

void GroupEngine::requestSenderKey(
    const QString& conversationId, const QString& senderUserHex, quint32 senderDevice, quint32 keyId, quint32 iteration)
{
    const QString stream = streamTag(conversationId, senderUserHex, senderDevice);
    sendKeyRequest(stream, KeyWant { conversationId, senderUserHex, senderDevice, keyId, iteration });
}

qint64 GroupEngine::requestAgain(const QString& conversationId)
{
    const qint64 now = nowMs();
    qint64 next = -1;
    bool asked = false;
    const auto wanted = wanted_; // sendKeyRequest may change it
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        if (it->conversationId != conversationId)
            continue;
        if (requestLimiter_->tryAcquire(it.key(), now)) {
            sendKeyRequest(it.key(), it.value());
            asked = true;
        } else {
            const qint64 due = requestLimiter_->nextAllowed(it.key());
            next = next < 0 ? due : std::min(next, due);
        }
    }
    if (asked)
        requestTimer_.start(0); // re-arms the backoff timer
    return asked ? 0 : next;
}

void GroupEngine::sendKeyRequest(const QString& stream, const KeyWant& want)
{
    asked_.insert(stream, want);
    ToDeviceBody body;
    body.op = ToDeviceBody::Op::SenderKeyRequest;
    body.conversationId = want.conversationId;
    body.keyId = want.keyId;
    body.iteration = want.iteration;
    (void)m_.account_.store().audit(QStringLiteral("sender-key-requested"), want.conversationId);
    emit senderKeyRequested(want.conversationId, want.userHex, want.device);
    saveKeyRequests();
    sendToDevice(body, want.userHex, want.device, [this, stream](MessagingOk ok) {
        if (!ok && (ok.error().code == MessagingErrorCode::Network || ok.error().code == MessagingErrorCode::Timeout)) {
            requestLimiter_->failed(stream, nowMs()); // not sent: again soon
            saveKeyRequests();
            requestTimer_.start(5000);
        }
    });
}

void GroupEngine::onSenderKeyAnswer(const QString& stream, const ToDeviceBody& body)
{
    ++keyGeneration_[stream]; // waiting entries of this sender are tried again
    const bool answer = body.op == ToDeviceBody::Op::SenderKeyUnavailable || body.answers;
    if (!answer)
        return;
    requestLimiter_->reset(stream);
    wanted_.remove(stream);
    if (asked_.contains(stream))
        saveKeyRequests(); // answered: no longer kept
    // From which iteration of which key the answer was meant to open entries.
    std::uint32_t keyId = body.keyId;
    std::uint32_t from = 0;
    if (body.op == ToDeviceBody::Op::SenderKey) {
        auto position = crypto::GroupCipher::distributionPosition(asBytes(body.senderKey.toStdString()));
        if (!position)
            return;
        keyId = position->keyId;
        from = position->iteration;
    }
    const auto asked = asked_.constFind(stream);
    if (asked != asked_.cend() && asked->keyId == keyId)
        from = std::min(from, asked->iteration);
    auto& answered = answered_[stream];
    answered.insert(keyId, answered.contains(keyId) ? std::min(answered.value(keyId), from) : from);
}

void GroupEngine::saveKeyRequests()
{
    QJsonObject all;
    for (auto it = asked_.cbegin(); it != asked_.cend(); ++it) {
        const auto limit = requestLimiter_->state(it.key());
        if (!limit)
            continue; // answered (or never sent): nothing to keep
        QJsonObject o { { QStringLiteral("conversation"), it->conversationId }, { QStringLiteral("user"), it->userHex },
            { QStringLiteral("device"), double(it->device) }, { QStringLiteral("keyId"), double(it->keyId) },
            { QStringLiteral("iteration"), double(it->iteration) } };
        o.insert(QStringLiteral("next"), double(limit->nextAllowedMs));
        o.insert(QStringLiteral("interval"), double(limit->intervalMs));
        o.insert(QStringLiteral("attempts"), limit->attempts);
        all.insert(it.key(), o);
    }
    (void)m_.account_.store().keyValues().setSetting(
        keyRequestsKey(), all.isEmpty() ? QByteArray() : QJsonDocument(all).toJson(QJsonDocument::Compact));
}

void GroupEngine::loadKeyRequests()
{
    auto stored = m_.account_.store().keyValues().setting(keyRequestsKey());
    if (!stored || !stored->has_value())
        return;
    const QJsonObject all = QJsonDocument::fromJson(**stored).object();
    const qint64 now = nowMs();
    for (auto it = all.constBegin(); it != all.constEnd(); ++it) {
        const QJsonObject o = it.value().toObject();
        KeyWant want { o.value(QStringLiteral("conversation")).toString(), o.value(QStringLiteral("user")).toString(),
            quint32(o.value(QStringLiteral("device")).toDouble()), quint32(o.value(QStringLiteral("keyId")).toDouble()),
            quint32(o.value(QStringLiteral("iteration")).toDouble()) };
        if (want.conversationId.isEmpty() || want.userHex.isEmpty()
            || it.key() != streamTag(want.conversationId, want.userHex, want.device))
            continue; // not ours
        asked_.insert(it.key(), want);
        KeyRequestLimiter::State limit;
        limit.intervalMs = qint64(o.value(QStringLiteral("interval")).toDouble());
        limit.attempts = o.value(QStringLiteral("attempts")).toInt();
        limit.nextAllowedMs = qint64(o.value(QStringLiteral("next")).toDouble());
        requestLimiter_->restore(it.key(), limit, now); // bounded there
    }
}

// --- the answering side -----------------------------------------------------

void GroupEngine::answerKeyRequest(const QString& requesterHex, quint32 device, const ToDeviceBody& request)
{
    auto& s = m_.account_.store();
    const QString conversationId = request.conversationId;
    QStringList memberUsers;
    if (auto members = s.conversations().members(conversationId); members)
        for (const auto& [user, role] : *members)
            memberUsers << user;
    const bool group = isGroup(conversationId);
    const auto verdict = checkKeyRequest(group, group && bool(canPost(conversationId)), memberUsers, requesterHex);
    if (verdict != KeyRequestVerdict::Answer) {
        // Not answered at all: a former member learns nothing, not even why.
        (void)s.audit(QStringLiteral("sender-key-request-refused"), conversationId);
        emit senderKeyRequestRefused(conversationId, requesterHex, device);
        return;
    }
    const QString tag = deviceTag(requesterHex, int(device));
    if (!answerLimiter_->tryAcquire(
            streamTag(conversationId, requesterHex, device) + QLatin1Char('#') + QString::number(request.keyId),
            nowMs()))
        return; // answered this key moments ago
    const crypto::SenderKeyName own { conversationId.toStdString(),
        { m_.account_.userIdHex().toStdString(), std::int32_t(m_.account_.deviceId()) } };
    auto cipher = crypto::GroupCipher::create(s.protocolStore(), own);
    if (!cipher)
        return;
    auto current = cipher->distributionMessage();
    if (!current)
        return;
    const auto currentAt = crypto::GroupCipher::distributionPosition(*current);
    auto stored = s.keyValues().setting(checkpointsKey(conversationId));
    const auto list = checkpoints::decode(stored ? stored->value_or(QByteArray()) : QByteArray());
    ToDeviceBody answer;
    answer.conversationId = conversationId;
    if (auto checkpoint = checkpoints::pick(list, request.keyId, request.iteration, tag)) {
        answer.senderKey = checkpoint->distribution; // from the iteration it needs
        answer.answers = true;
    } else if (currentAt && currentAt->keyId == request.keyId) {
        // Nothing this device may have from earlier: our key from now on.
        answer.senderKey = toQByteArray(*current);
        answer.answers = true;
        saveCheckpoint(conversationId, answer.senderKey, { tag });
    } else {
        answer.op = ToDeviceBody::Op::SenderKeyUnavailable; // that key is gone
        answer.keyId = request.keyId;
    }
    if (answer.op == ToDeviceBody::Op::SenderKey)
        if (auto conv = s.conversations().get(conversationId); conv && conv->has_value())
            answer.title = (*conv)->title;
    sendToDevice(answer, requesterHex, device, [this, conversationId, requesterHex, device](MessagingOk ok) {
        if (ok)
            emit senderKeyRequestAnswered(conversationId, requesterHex, device);
    });
}

void GroupEngine::saveCheckpoint(
    const QString& conversationId, const QByteArray& distribution, const QSet<QString>& devices)
{
    const auto position = crypto::GroupCipher::distributionPosition(asBytes(distribution.toStdString()));
    if (!position)
        return;
    auto& kv = m_.account_.store().keyValues();
    auto stored = kv.setting(checkpointsKey(conversationId));
    if (!stored)
        return;
    auto list = checkpoints::decode(stored->value_or(QByteArray()));
    checkpoints::add(list, SenderKeyCheckpoint { position->keyId, position->iteration, distribution, devices });
    (void)kv.setSetting(checkpointsKey(conversationId), checkpoints::encode(list));
}

void GroupEngine::checkpointIfDue(const QString& conversationId, const crypto::Bytes& ciphertext)
{
    const auto position = crypto::GroupCipher::messagePosition(ciphertext);
    if (!position || (position->iteration + 1) % kCheckpointEvery != 0)
        return;
    auto& s = m_.account_.store();
    const crypto::SenderKeyName own { conversationId.toStdString(),
        { m_.account_.userIdHex().toStdString(), std::int32_t(m_.account_.deviceId()) } };
    auto cipher = crypto::GroupCipher::create(s.protocolStore(), own);
    auto sent = s.keyValues().setting(sentKey(conversationId));
    if (!cipher || !sent)
        return;
    if (auto distribution = cipher->distributionMessage(); distribution)
        saveCheckpoint(conversationId, toQByteArray(*distribution), parseDevices(sent->value_or(QByteArray())));
}

// --- both -------------------------------------------------------------------

void GroupEngine::sendToDevice(
    const ToDeviceBody& body, const QString& userHex, quint32 device, std::function<void(MessagingOk)> done)
{
    // Authenticated is enough: a request read while syncing is answered at once.
    if (!m_.sync_.client().isOpen())
        return done(messagingError(MessagingErrorCode::Network, QStringLiteral("offline")));
    auto send = [this, body, userHex, device, done](MessagingOk ready) {
        if (!ready)
            return done(ready);
        tenchat::v1::Request req;
        auto tags = encryptToDevices(body, { { userHex, std::int32_t(device) } }, req);
        if (!tags)
            return done(Unexpected(tags.error()));
        if (tags->isEmpty())
            return done(messagingError(MessagingErrorCode::NotFound, QStringLiteral("no session with that device")));
        m_.sync_.client().request(req, [done](MessagingExpected<tenchat::v1::Response> r) {
            if (!r)
                return done(Unexpected(r.error()));
            if (r->status() != tenchat::v1::STATUS_OK)
                return done(messagingError(MessagingErrorCode::Relay, relayReason(*r), int(r->status())));
            done({});
        });
    };
    auto sessions = m_.account_.store().protocolStore().subDeviceSessions(userHex.toStdString());
    const bool known
        = sessions && std::find(sessions->begin(), sessions->end(), std::int32_t(device)) != sessions->end();
    if (known)
        return send({});
    m_.fetchBundles(userHex, device, send); // a session from the device's bundle first
}

MessagingExpected<QList<UndecryptedEntry>> GroupEngine::undecrypted(const QString& conversationId)
{
    auto& inbox = m_.account_.store().inbox();
    QList<UndecryptedEntry> out;
    qint64 after = 0;
    for (;;) {
        auto page = inbox.pending(500, after);
        if (!page)
            return fromStore(page.error());
        for (const auto& envelope : *page) {
            after = envelope.id;
            tenchat::v1::Entry entry;
            if (envelope.conversationId != conversationId || !isKeyWaitState(envelope.lastError)
                || !entry.ParseFromArray(envelope.envelope.constData(), int(envelope.envelope.size())))
                continue;
            UndecryptedEntry e;
            e.conversationId = conversationId;
            e.seq = envelope.serverSeq.value_or(0);
            e.senderUserId = hex(entry.sender().user_id());
            e.senderDeviceId = entry.sender().device_id();
            e.receivedAt = envelope.receivedAt;
            e.state = envelope.lastError == undecryptableState() ? UndecryptedEntry::State::Undecryptable
                                                                 : UndecryptedEntry::State::Waiting;
            out.append(e);
        }
        if (page->size() < 500)
            return out;
    }
}

} // namespace tenchat::core::messaging
