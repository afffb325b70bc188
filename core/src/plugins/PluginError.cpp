// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/core/plugins/PluginError.h"

namespace tenchat::core::plugins {

const char* toString(PluginErrorCode code)
{
    switch (code) {
    case PluginErrorCode::PackageNotFound: return "PackageNotFound";
    case PluginErrorCode::PackageUnreadable: return "PackageUnreadable";
    case PluginErrorCode::PackageTooLarge: return "PackageTooLarge";
    case PluginErrorCode::UnsafePath: return "UnsafePath";
    case PluginErrorCode::DuplicateEntry: return "DuplicateEntry";
    case PluginErrorCode::ManifestMissing: return "ManifestMissing";
    case PluginErrorCode::ManifestNotJson: return "ManifestNotJson";
    case PluginErrorCode::ManifestUnknownField: return "ManifestUnknownField";
    case PluginErrorCode::ManifestMissingField: return "ManifestMissingField";
    case PluginErrorCode::ManifestFieldType: return "ManifestFieldType";
    case PluginErrorCode::UnsupportedManifestVersion: return "UnsupportedManifestVersion";
    case PluginErrorCode::InvalidName: return "InvalidName";
    case PluginErrorCode::InvalidVersion: return "InvalidVersion";
    case PluginErrorCode::InvalidDescription: return "InvalidDescription";
    case PluginErrorCode::UnknownCapability: return "UnknownCapability";
    case PluginErrorCode::DuplicateCapability: return "DuplicateCapability";
    case PluginErrorCode::CapabilityDependency: return "CapabilityDependency";
    case PluginErrorCode::InvalidScope: return "InvalidScope";
    case PluginErrorCode::MixedScopes: return "MixedScopes";
    case PluginErrorCode::LimitOutOfBounds: return "LimitOutOfBounds";
    case PluginErrorCode::InvalidContentType: return "InvalidContentType";
    case PluginErrorCode::InvalidCommand: return "InvalidCommand";
    case PluginErrorCode::EntryPointMissing: return "EntryPointMissing";
    case PluginErrorCode::InvalidPublisher: return "InvalidPublisher";
    case PluginErrorCode::Unsigned: return "Unsigned";
    case PluginErrorCode::UnknownPublisher: return "UnknownPublisher";
    case PluginErrorCode::SignatureInvalid: return "SignatureInvalid";
    case PluginErrorCode::DigestMismatch: return "DigestMismatch";
    case PluginErrorCode::AlreadyInstalled: return "AlreadyInstalled";
    case PluginErrorCode::NotInstalled: return "NotInstalled";
    case PluginErrorCode::GrantNotRequested: return "GrantNotRequested";
    case PluginErrorCode::PermissionDenied: return "PermissionDenied";
    case PluginErrorCode::RateLimited: return "RateLimited";
    case PluginErrorCode::QuotaExceeded: return "QuotaExceeded";
    case PluginErrorCode::InvalidArgument: return "InvalidArgument";
    case PluginErrorCode::InvalidCard: return "InvalidCard";
    case PluginErrorCode::ScriptError: return "ScriptError";
    case PluginErrorCode::Interrupted: return "Interrupted";
    case PluginErrorCode::Disabled: return "Disabled";
    case PluginErrorCode::Environment: return "Environment";
    }
    return "Unknown";
}

} // namespace tenchat::core::plugins
