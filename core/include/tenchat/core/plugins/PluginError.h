// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/crypto/Expected.h"

#include <QString>

namespace tenchat::core::plugins {

// Every way installing, loading or running a plugin can fail. Each failure of
// package validation has its own code, so that a bot author (and a test) can
// tell exactly what is wrong.
enum class PluginErrorCode {
    // Package and manifest.
    PackageNotFound, // no such folder or file
    PackageUnreadable, // a file could not be read, or the zip is damaged
    PackageTooLarge, // an entry or the whole package exceeds its size limit
    UnsafePath, // a zip entry with '..', an absolute path, a backslash or a link
    DuplicateEntry, // the same path twice in a zip
    ManifestMissing, // no manifest.json at the package root
    ManifestNotJson, // manifest.json is not a JSON object
    ManifestUnknownField, // a top-level or nested key the schema does not define
    ManifestMissingField, // a required field is absent
    ManifestFieldType, // a field has the wrong JSON type
    UnsupportedManifestVersion, // manifestVersion other than 1
    InvalidName, // name not reverse-DNS-like [a-z0-9-]+(.[a-z0-9-]+)+, max 64
    InvalidVersion, // version not MAJOR.MINOR.PATCH
    InvalidDescription, // empty or longer than 500 characters
    UnknownCapability, // a capability this container does not know
    DuplicateCapability, // a capability listed twice
    CapabilityDependency, // e.g. read.message.body without read.message.metadata
    InvalidScope, // not "all" and not "conversation:<id>"
    MixedScopes, // "all" together with conversation scopes, or no scope
    LimitOutOfBounds, // a limit outside its documented range
    InvalidContentType, // not type/subtype, or not vnd./x- for custom types
    InvalidCommand, // a slash command name outside [a-z][a-z0-9_-]{0,31}
    EntryPointMissing, // no main.js
    InvalidPublisher, // publisher key not 32 bytes of base64
    // Signature and trust.
    Unsigned, // no signature: needs the explicit allowUnsigned confirmation
    UnknownPublisher, // valid signature from a key the user does not trust yet
    SignatureInvalid, // the signature does not match the package (tampered)
    DigestMismatch, // an installed copy changed on disk since it was installed
    // Install and run.
    AlreadyInstalled,
    NotInstalled,
    GrantNotRequested, // a grant for a capability or scope the manifest did not request
    PermissionDenied, // a capability or scope that is not granted (now)
    RateLimited, // messagesPerMinute exceeded
    QuotaExceeded, // storage or timer quota exceeded
    InvalidArgument, // a bad argument from plugin code
    InvalidCard, // a card that fails the card schema
    ScriptError, // main.js threw or does not compile
    Interrupted, // the CPU watchdog stopped a run
    Disabled, // the plugin is disabled (by the user or the watchdog)
    Environment, // the messenger or the store refused
};

const char* toString(PluginErrorCode code);

struct PluginError {
    PluginErrorCode code = PluginErrorCode::InvalidArgument;
    QString message; // human readable; never message text or key material

    QString describe() const { return QStringLiteral("%1: %2").arg(QLatin1String(toString(code)), message); }
};

template <class T> using PluginExpected = Expected<T, PluginError>;
using PluginOk = Expected<void, PluginError>;

inline Unexpected<PluginError> pluginError(PluginErrorCode code, QString message)
{
    return Unexpected<PluginError>(PluginError { code, std::move(message) });
}

} // namespace tenchat::core::plugins
