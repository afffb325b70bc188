// SPDX-License-Identifier: GPL-3.0-or-later
#include "LinkTransfer.h"

#include "MessagingUtil.h"
#include "tenchat/core/messaging/Account.h"
#include "tenchat/core/store/Transaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tenchat::core::messaging::link {

using namespace util;

namespace {

// Settings that follow the account to a new device.
bool transferable(const QString& key)
{
    return key.startsWith(QLatin1String("pref.")) || key.startsWith(QLatin1String("identity.established."))
        || key.startsWith(QLatin1String("identity.pending."));
}

QString b64(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

QByteArray unb64(const QJsonValue& value)
{
    return QByteArray::fromBase64(value.toString().toLatin1());
}

} // namespace

MessagingExpected<QByteArray> exportAccount(Account& account, std::uint32_t deviceId)
{
    auto& db = account.store().database();
    auto keys = account.identityKeyPair();
    if (!keys)
        return Unexpected(keys.error());
    QJsonObject o;
    o.insert(QStringLiteral("v"), 1);
    o.insert(QStringLiteral("relay"), account.relayUrl().toString());
    o.insert(QStringLiteral("handle"), account.handle());
    o.insert(QStringLiteral("userId"), account.userIdHex());
    o.insert(QStringLiteral("deviceId"), qint64(deviceId));
    o.insert(QStringLiteral("identityPublic"), b64(keys->first));
    o.insert(QStringLiteral("identityPrivate"), b64(keys->second));
    keys->second.fill('\0');

    QJsonArray contacts;
    auto c = db.prepare("SELECT user_id, display_name, trust FROM contacts");
    if (!c)
        return fromStore(c.error());
    for (;;) {
        auto row = c->step();
        if (!row)
            return fromStore(row.error());
        if (!*row)
            break;
        contacts.append(QJsonObject { { QStringLiteral("userId"), c->text(0) },
            { QStringLiteral("handle"), c->text(1) }, { QStringLiteral("trust"), c->int32(2) } });
    }
    o.insert(QStringLiteral("contacts"), contacts);

    QJsonArray identities;
    auto i = db.prepare("SELECT name, device_id, public_key, trust FROM identities WHERE name <> ?");
    if (!i)
        return fromStore(i.error());
    i->bind(1, account.userIdHex());
    for (;;) {
        auto row = i->step();
        if (!row)
            return fromStore(row.error());
        if (!*row)
            break;
        identities.append(
            QJsonObject { { QStringLiteral("userId"), i->text(0) }, { QStringLiteral("deviceId"), i->int32(1) },
                { QStringLiteral("key"), b64(i->blob(2)) }, { QStringLiteral("trust"), i->int32(3) } });
    }
    o.insert(QStringLiteral("identities"), identities);

    QJsonObject settings;
    auto s = db.prepare("SELECT key, value FROM settings");
    if (!s)
        return fromStore(s.error());
    for (;;) {
        auto row = s->step();
        if (!row)
            return fromStore(row.error());
        if (!*row)
            break;
        if (transferable(s->text(0)))
            settings.insert(s->text(0), b64(s->blob(1)));
    }
    o.insert(QStringLiteral("settings"), settings);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

MessagingOk importAccount(Account& account, const QByteArray& transfer)
{
    const auto doc = QJsonDocument::fromJson(transfer);
    if (!doc.isObject() || doc.object().value(QStringLiteral("v")).toInt() != 1)
        return messagingError(MessagingErrorCode::InvalidArgument, QStringLiteral("unreadable link transfer"));
    const auto o = doc.object();
    const QUrl relay(o.value(QStringLiteral("relay")).toString());
    const QString handle = o.value(QStringLiteral("handle")).toString();
    const QByteArray userId = QByteArray::fromHex(o.value(QStringLiteral("userId")).toString().toLatin1());
    const auto deviceId = std::uint32_t(o.value(QStringLiteral("deviceId")).toInteger());
    if (!relay.isValid() || handle.isEmpty() || userId.size() != 16 || deviceId == 0)
        return messagingError(MessagingErrorCode::InvalidArgument, QStringLiteral("incomplete link transfer"));

    auto& s = account.store();
    store::Transaction tx(s.database());
    if (!tx.begun())
        return fromStore(tx.begun().error());
    QByteArray identityPrivate = unb64(o.value(QStringLiteral("identityPrivate")));
    auto adopted = account.adoptLinkedIdentity(
        unb64(o.value(QStringLiteral("identityPublic"))), identityPrivate, relay, handle, userId, deviceId);
    identityPrivate.fill('\0');
    if (!adopted)
        return adopted;
    const qint64 now = nowMs();
    for (const auto& value : o.value(QStringLiteral("contacts")).toArray()) {
        const auto c = value.toObject();
        store::Contact contact;
        contact.userId = c.value(QStringLiteral("userId")).toString();
        contact.displayName = c.value(QStringLiteral("handle")).toString();
        const int trust = c.value(QStringLiteral("trust")).toInt();
        contact.trust = trust == 1 ? store::ContactTrust::Verified
            : trust == 2           ? store::ContactTrust::Changed
                                   : store::ContactTrust::Unverified;
        if (contact.userId.isEmpty())
            continue;
        if (auto ok = s.keyValues().saveContact(contact, now); !ok)
            return fromStore(ok.error());
        if (auto ok = s.keyValues().setContactTrust(contact.userId, contact.trust, now); !ok)
            return fromStore(ok.error());
        if (!contact.displayName.isEmpty())
            if (auto ok = s.keyValues().setSetting(
                    QStringLiteral("contact.handle.") + contact.displayName, contact.userId.toLatin1());
                !ok)
                return fromStore(ok.error());
    }
    for (const auto& value : o.value(QStringLiteral("identities")).toArray()) {
        const auto i = value.toObject();
        const QByteArray key = unb64(i.value(QStringLiteral("key")));
        crypto::IdentityRecord record;
        record.publicKey = crypto::Bytes(key.begin(), key.end());
        const int trust = i.value(QStringLiteral("trust")).toInt();
        record.trust = trust == 1 ? crypto::TrustState::Verified
            : trust == 2          ? crypto::TrustState::Changed
                                  : crypto::TrustState::Unverified;
        const crypto::ProtocolAddress address { i.value(QStringLiteral("userId")).toString().toStdString(),
            std::int32_t(i.value(QStringLiteral("deviceId")).toInt()) };
        if (auto ok = s.protocolStore().saveIdentity(address, record); !ok)
            return messagingError(MessagingErrorCode::Store, QString::fromStdString(ok.error().message));
    }
    const auto settings = o.value(QStringLiteral("settings")).toObject();
    for (auto it = settings.begin(); it != settings.end(); ++it)
        if (transferable(it.key()))
            if (auto ok = s.keyValues().setSetting(it.key(), unb64(it.value())); !ok)
                return fromStore(ok.error());
    if (auto ok = tx.commit(); !ok)
        return fromStore(ok.error());
    return {};
}

} // namespace tenchat::core::messaging::link
