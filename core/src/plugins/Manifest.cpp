// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/plugins/Manifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

namespace tenchat::core::plugins {

namespace {

using Code = PluginErrorCode;

const QRegularExpression& namePattern()
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)+$"));
    return re;
}

const QRegularExpression& versionPattern()
{
    static const QRegularExpression re(
        QStringLiteral("^(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})$"));
    return re;
}

const QRegularExpression& conversationPattern()
{
    static const QRegularExpression re(QStringLiteral("^conversation:[A-Za-z0-9._-]{1,128}$"));
    return re;
}

const QRegularExpression& commandPattern()
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_-]{0,31}$"));
    return re;
}

// type/subtype with a custom subtype in the vnd. or x- tree (text/plain is
// the messenger's own and cannot be claimed).
const QRegularExpression& contentTypePattern()
{
    static const QRegularExpression re(QStringLiteral("^(application|text)/(vnd|x)[.-][a-z0-9][a-z0-9.+-]{0,100}$"));
    return re;
}

Unexpected<PluginError> typeError(const QString& field, const char* expected)
{
    return pluginError(Code::ManifestFieldType, QStringLiteral("'%1' must be %2").arg(field, QLatin1String(expected)));
}

PluginOk onlyKnownKeys(const QJsonObject& o, const QStringList& known, const QString& where)
{
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!known.contains(it.key()))
            return pluginError(Code::ManifestUnknownField, QStringLiteral("unknown field '%1%2'").arg(where, it.key()));
    return {};
}

PluginExpected<QStringList> stringList(const QJsonObject& o, const QString& key, bool required)
{
    if (!o.contains(key)) {
        if (required)
            return pluginError(Code::ManifestMissingField, QStringLiteral("'%1' is required").arg(key));
        return QStringList {};
    }
    if (!o.value(key).isArray())
        return typeError(key, "an array of strings");
    QStringList out;
    for (const QJsonValue& v : o.value(key).toArray()) {
        if (!v.isString())
            return typeError(key, "an array of strings");
        out << v.toString();
    }
    return out;
}

PluginExpected<QString> requiredString(const QJsonObject& o, const QString& key)
{
    if (!o.contains(key))
        return pluginError(Code::ManifestMissingField, QStringLiteral("'%1' is required").arg(key));
    if (!o.value(key).isString())
        return typeError(key, "a string");
    return o.value(key).toString();
}

PluginOk parseLimit(const QJsonObject& limits, const QString& key, int min, int max, int& out)
{
    if (!limits.contains(key))
        return {};
    const QJsonValue v = limits.value(key);
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != static_cast<double>(static_cast<qint64>(d)))
        return typeError(QStringLiteral("limits.") + key, "an integer");
    if (d < min || d > max)
        return pluginError(Code::LimitOutOfBounds,
            QStringLiteral("limits.%1 = %2 is outside %3..%4").arg(key).arg(static_cast<qint64>(d)).arg(min).arg(max));
    out = static_cast<int>(d);
    return {};
}

PluginExpected<PluginLimits> parseLimits(const QJsonObject& o)
{
    PluginLimits limits;
    if (!o.contains(QStringLiteral("limits")))
        return limits;
    if (!o.value(QStringLiteral("limits")).isObject())
        return typeError(QStringLiteral("limits"), "an object");
    const QJsonObject l = o.value(QStringLiteral("limits")).toObject();
    if (auto ok = onlyKnownKeys(l,
            { QStringLiteral("messagesPerMinute"), QStringLiteral("cpuMillisPerEvent"), QStringLiteral("storageBytes"),
                QStringLiteral("timers") },
            QStringLiteral("limits."));
        !ok)
        return makeUnexpected(ok.error());
    for (auto ok : { parseLimit(l, QStringLiteral("messagesPerMinute"), 1, PluginLimits::kMaxMessagesPerMinute,
                         limits.messagesPerMinute),
             parseLimit(l, QStringLiteral("cpuMillisPerEvent"), PluginLimits::kMinCpuMillis,
                 PluginLimits::kMaxCpuMillis, limits.cpuMillisPerEvent),
             parseLimit(l, QStringLiteral("storageBytes"), 0, PluginLimits::kMaxStorageBytes, limits.storageBytes),
             parseLimit(l, QStringLiteral("timers"), 0, PluginLimits::kMaxTimers, limits.timers) })
        if (!ok)
            return makeUnexpected(ok.error());
    return limits;
}

PluginExpected<CapabilitySet> parseCapabilities(const QStringList& names)
{
    CapabilitySet set = 0;
    for (const QString& name : names) {
        auto c = capabilityFromName(name);
        if (!c)
            return pluginError(Code::UnknownCapability, QStringLiteral("unknown capability '%1'").arg(name));
        if (set & bit(*c))
            return pluginError(Code::DuplicateCapability, QStringLiteral("capability '%1' listed twice").arg(name));
        set |= bit(*c);
    }
    return set;
}

PluginExpected<QList<PluginCommand>> parseCommands(const QJsonObject& o)
{
    QList<PluginCommand> commands;
    if (!o.contains(QStringLiteral("commands")))
        return commands;
    if (!o.value(QStringLiteral("commands")).isArray())
        return typeError(QStringLiteral("commands"), "an array of objects");
    QSet<QString> seen;
    for (const QJsonValue& v : o.value(QStringLiteral("commands")).toArray()) {
        if (!v.isObject())
            return typeError(QStringLiteral("commands"), "an array of objects");
        const QJsonObject c = v.toObject();
        if (auto ok = onlyKnownKeys(
                c, { QStringLiteral("name"), QStringLiteral("description") }, QStringLiteral("commands[]."));
            !ok)
            return makeUnexpected(ok.error());
        auto name = requiredString(c, QStringLiteral("name"));
        if (!name)
            return makeUnexpected(name.error());
        if (!commandPattern().match(*name).hasMatch() || seen.contains(*name))
            return pluginError(
                Code::InvalidCommand, QStringLiteral("invalid or repeated command name '%1'").arg(*name));
        seen.insert(*name);
        if (c.contains(QStringLiteral("description")) && !c.value(QStringLiteral("description")).isString())
            return typeError(QStringLiteral("commands[].description"), "a string");
        commands.append({ *name, c.value(QStringLiteral("description")).toString().left(200) });
    }
    return commands;
}

PluginOk parsePublisher(const QJsonObject& o, Manifest& m)
{
    const bool hasPublisher = o.contains(QStringLiteral("publisher"));
    const bool hasSignature = o.contains(QStringLiteral("signature"));
    if (hasSignature && !hasPublisher)
        return pluginError(Code::ManifestMissingField, QStringLiteral("'publisher' is required with 'signature'"));
    if (!hasPublisher)
        return {};
    if (!o.value(QStringLiteral("publisher")).isObject())
        return typeError(QStringLiteral("publisher"), "an object");
    const QJsonObject p = o.value(QStringLiteral("publisher")).toObject();
    if (auto ok
        = onlyKnownKeys(p, { QStringLiteral("name"), QStringLiteral("publicKey") }, QStringLiteral("publisher."));
        !ok)
        return ok;
    auto name = requiredString(p, QStringLiteral("name"));
    if (!name)
        return makeUnexpected(name.error());
    auto key = requiredString(p, QStringLiteral("publicKey"));
    if (!key)
        return makeUnexpected(key.error());
    auto decoded = QByteArray::fromBase64Encoding(key->toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 32)
        return pluginError(Code::InvalidPublisher, QStringLiteral("publisher.publicKey must be 32 bytes in base64"));
    m.publisherName = name->left(100);
    m.publisherKey = decoded.decoded;
    if (hasSignature) {
        const QJsonValue s = o.value(QStringLiteral("signature"));
        if (!s.isString())
            return typeError(QStringLiteral("signature"), "a string");
        auto sig = QByteArray::fromBase64Encoding(s.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!sig || sig.decoded.size() != 64)
            return pluginError(Code::SignatureInvalid, QStringLiteral("signature must be 64 bytes in base64"));
        m.signature = sig.decoded;
    }
    return {};
}

PluginOk checkDependencies(const Manifest& m)
{
    if (m.has(Capability::ReadMessageBody) && !m.has(Capability::ReadMessageMetadata))
        return pluginError(Code::CapabilityDependency, QStringLiteral("read.message.body needs read.message.metadata"));
    if (m.has(Capability::ReceiveCommand) && m.commands.isEmpty())
        return pluginError(Code::CapabilityDependency, QStringLiteral("receive.command needs a 'commands' list"));
    if (!m.has(Capability::ReceiveCommand) && !m.commands.isEmpty())
        return pluginError(Code::CapabilityDependency, QStringLiteral("'commands' needs receive.command"));
    if (m.has(Capability::RenderPayload) && m.contentTypes.isEmpty())
        return pluginError(Code::CapabilityDependency, QStringLiteral("render.payload needs 'contentTypes'"));
    return {};
}

} // namespace

QStringList ResourceScopes::toStrings() const
{
    if (all)
        return { QStringLiteral("all") };
    QStringList out;
    for (const QString& c : conversations)
        out << QStringLiteral("conversation:") + c;
    return out;
}

PluginExpected<ResourceScopes> ResourceScopes::parse(const QStringList& scopes)
{
    ResourceScopes out;
    for (const QString& s : scopes) {
        if (s == QLatin1String("all")) {
            out.all = true;
            continue;
        }
        if (!conversationPattern().match(s).hasMatch())
            return pluginError(Code::InvalidScope, QStringLiteral("invalid scope '%1'").arg(s.left(80)));
        const QString id = s.mid(int(sizeof("conversation:") - 1));
        if (out.conversations.contains(id))
            return pluginError(Code::InvalidScope, QStringLiteral("scope '%1' listed twice").arg(s));
        out.conversations << id;
    }
    if (scopes.isEmpty() || (out.all && !out.conversations.isEmpty()) || (out.all && scopes.size() > 1))
        return pluginError(Code::MixedScopes,
            QStringLiteral("resourceScopes must be [\"all\"] or a non-empty list of conversation:<id>"));
    return out;
}

bool ResourceScopes::covers(const ResourceScopes& narrower) const
{
    if (all)
        return true;
    if (narrower.all)
        return false;
    for (const QString& c : narrower.conversations)
        if (!conversations.contains(c))
            return false;
    return true;
}

bool Manifest::declaresCommand(const QString& command) const
{
    for (const PluginCommand& c : commands)
        if (c.name == command)
            return true;
    return false;
}

QJsonObject Manifest::unsignedObject(const QJsonObject& manifest)
{
    QJsonObject o = manifest;
    o.remove(QStringLiteral("signature"));
    return o;
}

PluginExpected<Manifest> Manifest::parse(const QByteArray& json)
{
    if (json.size() > kMaxBytes)
        return pluginError(Code::PackageTooLarge, QStringLiteral("manifest.json exceeds %1 bytes").arg(kMaxBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return pluginError(Code::ManifestNotJson, QStringLiteral("manifest.json is not a JSON object"));
    const QJsonObject o = doc.object();
    if (auto ok = onlyKnownKeys(o,
            { QStringLiteral("manifestVersion"), QStringLiteral("name"), QStringLiteral("version"),
                QStringLiteral("description"), QStringLiteral("capabilities"), QStringLiteral("resourceScopes"),
                QStringLiteral("limits"), QStringLiteral("contentTypes"), QStringLiteral("commands"),
                QStringLiteral("publisher"), QStringLiteral("signature") },
            QString());
        !ok)
        return makeUnexpected(ok.error());

    Manifest m;
    if (!o.contains(QStringLiteral("manifestVersion")))
        return pluginError(Code::ManifestMissingField, QStringLiteral("'manifestVersion' is required"));
    if (!o.value(QStringLiteral("manifestVersion")).isDouble())
        return typeError(QStringLiteral("manifestVersion"), "an integer");
    if (o.value(QStringLiteral("manifestVersion")).toDouble() != kVersion)
        return pluginError(Code::UnsupportedManifestVersion, QStringLiteral("manifestVersion must be 1"));

    auto name = requiredString(o, QStringLiteral("name"));
    if (!name)
        return makeUnexpected(name.error());
    if (name->size() > 64 || !namePattern().match(*name).hasMatch())
        return pluginError(Code::InvalidName,
            QStringLiteral("name must be reverse-DNS style (e.g. org.example.bot), at most 64 characters"));
    m.name = *name;

    auto version = requiredString(o, QStringLiteral("version"));
    if (!version)
        return makeUnexpected(version.error());
    if (!versionPattern().match(*version).hasMatch())
        return pluginError(Code::InvalidVersion, QStringLiteral("version must be MAJOR.MINOR.PATCH"));
    m.version = *version;

    auto description = requiredString(o, QStringLiteral("description"));
    if (!description)
        return makeUnexpected(description.error());
    if (description->trimmed().isEmpty() || description->size() > 500)
        return pluginError(Code::InvalidDescription, QStringLiteral("description must have 1..500 characters"));
    m.description = *description;

    auto capabilities = stringList(o, QStringLiteral("capabilities"), true);
    if (!capabilities)
        return makeUnexpected(capabilities.error());
    auto set = parseCapabilities(*capabilities);
    if (!set)
        return makeUnexpected(set.error());
    m.capabilities = *set;

    auto scopes = stringList(o, QStringLiteral("resourceScopes"), true);
    if (!scopes)
        return makeUnexpected(scopes.error());
    auto parsedScopes = ResourceScopes::parse(*scopes);
    if (!parsedScopes)
        return makeUnexpected(parsedScopes.error());
    m.scopes = *parsedScopes;

    auto limits = parseLimits(o);
    if (!limits)
        return makeUnexpected(limits.error());
    m.limits = *limits;

    auto contentTypes = stringList(o, QStringLiteral("contentTypes"), false);
    if (!contentTypes)
        return makeUnexpected(contentTypes.error());
    for (const QString& t : *contentTypes)
        if (!contentTypePattern().match(t).hasMatch() || contentTypes->count(t) > 1)
            return pluginError(Code::InvalidContentType,
                QStringLiteral("content type '%1' is not a unique application/vnd.* or x-* type").arg(t.left(80)));
    m.contentTypes = *contentTypes;

    auto commands = parseCommands(o);
    if (!commands)
        return makeUnexpected(commands.error());
    m.commands = *commands;

    if (auto ok = parsePublisher(o, m); !ok)
        return makeUnexpected(ok.error());
    if (auto ok = checkDependencies(m); !ok)
        return makeUnexpected(ok.error());
    return m;
}

} // namespace tenchat::core::plugins
