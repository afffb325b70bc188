// SPDX-License-Identifier: GPL-3.0-or-later
#include "RequestValidator.h"

#include "BlobHandler.h"
#include "LinkHandler.h"

#include "tenchat/protocol/Protocol.h"

namespace tenchat::relay {

namespace {

using std::nullopt;
using std::optional;
using std::string;
namespace p = tenchat::protocol;
namespace v1 = tenchat::v1;

optional<string> bad(string reason)
{
    return optional<string>(std::move(reason));
}

bool validUser(const string& id)
{
    return id.size() == p::kUserIdBytes;
}

bool validDeviceAddress(const v1::DeviceAddress& address)
{
    return validUser(address.user_id()) && address.device_id() >= 1 && address.device_id() <= 0x7fffffff;
}

bool validPreKey(const string& key)
{
    return key.size() == p::kIdentityKeyBytes && static_cast<unsigned char>(key[0]) == 0x05;
}

bool validRole(v1::Role role, bool allowUnspecified)
{
    return (allowUnspecified && role == v1::ROLE_UNSPECIFIED) || role == v1::ROLE_OWNER || role == v1::ROLE_ADMIN
        || role == v1::ROLE_MEMBER;
}

bool validClass(v1::DeliveryClass c)
{
    return c == v1::DELIVERY_CLASS_MESSAGE || c == v1::DELIVERY_CLASS_RECEIPT;
}

bool validConversation(const string& id)
{
    return id.size() == p::kConversationIdBytes;
}

bool validCiphertext(const string& ciphertext, std::size_t maxBytes)
{
    return !ciphertext.empty() && ciphertext.size() <= maxBytes;
}

// RegisterAccount and RegisterDevice carry the same signed device keys
// (different message types, same field names), checked alike.
template <class Registration> optional<string> validateDeviceRegistration(const Registration& r)
{
    if (!validPreKey(r.identity_key()))
        return bad("identity_key must be a 33-byte libsignal public key");
    if (r.registration_id() < 1 || r.registration_id() > 16380)
        return bad("registration_id must be 1..16380");
    if (r.device_name().size() > 64)
        return bad("device_name longer than 64 bytes");
    if (r.signature().size() != p::kSignatureBytes)
        return bad("signature must be 64 bytes");
    return nullopt;
}

} // namespace

bool RequestValidator::isValidHandle(const std::string& handle)
{
    if (handle.size() < 3 || handle.size() > 32)
        return false;
    for (const char c : handle) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

bool RequestValidator::isValidIdentityKey(const std::string& key)
{
    return validPreKey(key);
}

optional<string> RequestValidator::validate(const v1::Request& request) const
{
    switch (request.kind_case()) {
    case v1::Request::KIND_NOT_SET: return bad("unknown or empty request");
    case v1::Request::kHello:
    case v1::Request::kRegisterAccount:
    case v1::Request::kRegisterDevice:
    case v1::Request::kChallenge:
    case v1::Request::kAuthenticate:
    case v1::Request::kLookupHandle:
    case v1::Request::kListDevices:
    case v1::Request::kRevokeDevice: return validateAccount(request);
    case v1::Request::kUploadPreKeys:
    case v1::Request::kPreKeyCount:
    case v1::Request::kFetchBundles: return validateKeys(request);
    case v1::Request::kCreateConversation:
    case v1::Request::kGetConversation:
    case v1::Request::kListConversations:
    case v1::Request::kAddMembers:
    case v1::Request::kRemoveMember:
    case v1::Request::kSetRole: return validateConversation(request);
    case v1::Request::kBlobUploadBegin:
    case v1::Request::kBlobHas:
    case v1::Request::kBlobPut:
    case v1::Request::kBlobUploadFinish:
    case v1::Request::kBlobGet:
    case v1::Request::kBlobQuota: return validateBlobRequest(request);
    case v1::Request::kLinkOffer:
    case v1::Request::kLinkFetch:
    case v1::Request::kLinkAnswer:
    case v1::Request::kLinkPoll: return LinkHandler::validate(request);
    default: return validateMessaging(request);
    }
}

optional<string> RequestValidator::validateAccount(const v1::Request& request) const
{
    switch (request.kind_case()) {
    case v1::Request::kHello: {
        const auto& r = request.hello();
        if (r.versions_size() == 0 || r.versions_size() > 16)
            return bad("hello needs 1..16 versions");
        if (r.features_size() > 32)
            return bad("too many features");
        for (const auto& f : r.features())
            if (f.empty() || f.size() > 64)
                return bad("feature names are 1..64 bytes");
        if (r.client_name().size() > 128)
            return bad("client_name longer than 128 bytes");
        return nullopt;
    }
    case v1::Request::kRegisterAccount: {
        const auto& r = request.register_account();
        if (!isValidHandle(r.handle()))
            return bad("handle must be 3..32 characters of a-z 0-9 _ . -");
        return validateDeviceRegistration(r);
    }
    case v1::Request::kRegisterDevice: return validateDeviceRegistration(request.register_device());
    case v1::Request::kChallenge: return nullopt;
    case v1::Request::kAuthenticate: {
        const auto& r = request.authenticate();
        if (!validUser(r.user_id()) || r.device_id() < 1 || r.device_id() > 0x7fffffff)
            return bad("authenticate needs a 16-byte user_id and a device_id >= 1");
        if (r.signature().size() != p::kSignatureBytes)
            return bad("signature must be 64 bytes");
        return nullopt;
    }
    case v1::Request::kLookupHandle:
        return isValidHandle(request.lookup_handle().handle()) ? nullopt : bad("not a valid handle");
    case v1::Request::kListDevices: {
        const auto& id = request.list_devices().user_id();
        return id.empty() || validUser(id) ? nullopt : bad("user_id must be 16 bytes");
    }
    case v1::Request::kRevokeDevice:
        return request.revoke_device().device_id() >= 1 ? nullopt : bad("device_id must be >= 1");
    default: return bad("unexpected request");
    }
}

optional<string> RequestValidator::validateKeys(const v1::Request& request) const
{
    switch (request.kind_case()) {
    case v1::Request::kUploadPreKeys: {
        const auto& r = request.upload_pre_keys();
        if (r.has_signed_pre_key()) {
            const auto& s = r.signed_pre_key();
            if (!validPreKey(s.public_key()) || s.signature().size() != p::kSignatureBytes)
                return bad("signed pre-key needs a 33-byte key and a 64-byte signature");
            if (s.key_id() > 0xffffff)
                return bad("signed pre-key id out of range");
        }
        if (static_cast<std::size_t>(r.one_time_pre_keys_size()) > limits_.maxPreKeysPerUpload)
            return bad("too many one-time pre-keys in one upload");
        for (const auto& k : r.one_time_pre_keys()) {
            if (!validPreKey(k.public_key()) || k.key_id() > 0xffffff)
                return bad("one-time pre-key needs a 33-byte key and an id below 2^24");
        }
        return nullopt;
    }
    case v1::Request::kPreKeyCount: return nullopt;
    case v1::Request::kFetchBundles:
        return validUser(request.fetch_bundles().user_id()) ? nullopt : bad("user_id must be 16 bytes");
    default: return bad("unexpected request");
    }
}

optional<string> RequestValidator::validateConversation(const v1::Request& request) const
{
    switch (request.kind_case()) {
    case v1::Request::kCreateConversation: {
        const auto& r = request.create_conversation();
        if (r.kind() != v1::CONVERSATION_KIND_DIRECT && r.kind() != v1::CONVERSATION_KIND_GROUP
            && r.kind() != v1::CONVERSATION_KIND_CHANNEL)
            return bad("unknown conversation kind");
        if (static_cast<std::size_t>(r.member_user_ids_size()) > limits_.maxMembers)
            return bad("too many members");
        if (r.kind() == v1::CONVERSATION_KIND_DIRECT && r.member_user_ids_size() > 1)
            return bad("a direct conversation has at most one other member");
        for (const auto& id : r.member_user_ids())
            if (!validUser(id))
                return bad("member user ids must be 16 bytes");
        if (r.ttl_seconds() > limits_.maxTtlSeconds)
            return bad("ttl_seconds too large");
        return nullopt;
    }
    case v1::Request::kGetConversation:
        return validConversation(request.get_conversation().conversation_id())
            ? nullopt
            : bad("conversation_id must be 16 bytes");
    case v1::Request::kListConversations: return nullopt;
    case v1::Request::kAddMembers: {
        const auto& r = request.add_members();
        if (!validConversation(r.conversation_id()))
            return bad("conversation_id must be 16 bytes");
        if (r.user_ids_size() == 0 || static_cast<std::size_t>(r.user_ids_size()) > limits_.maxMembers)
            return bad("add 1..1000 members at once");
        for (const auto& id : r.user_ids())
            if (!validUser(id))
                return bad("member user ids must be 16 bytes");
        return validRole(r.role(), true) ? nullopt : bad("unknown role");
    }
    case v1::Request::kRemoveMember: {
        const auto& r = request.remove_member();
        return validConversation(r.conversation_id()) && validUser(r.user_id())
            ? nullopt
            : bad("remove_member needs a 16-byte conversation_id and user_id");
    }
    case v1::Request::kSetRole: {
        const auto& r = request.set_role();
        if (!validConversation(r.conversation_id()) || !validUser(r.user_id()))
            return bad("set_role needs a 16-byte conversation_id and user_id");
        return validRole(r.role(), false) ? nullopt : bad("unknown role");
    }
    default: return bad("unexpected request");
    }
}

optional<string> RequestValidator::validateMessaging(const v1::Request& request) const
{
    switch (request.kind_case()) {
    case v1::Request::kAppend: {
        const auto& r = request.append();
        if (!validConversation(r.conversation_id()) || r.message_id().size() != p::kMessageIdBytes)
            return bad("append needs a 16-byte conversation_id and message_id");
        if (!validClass(r.delivery_class()))
            return bad("unknown delivery class");
        if (r.body_case() == v1::AppendRequest::kSenderKeyCiphertext) {
            if (!validCiphertext(r.sender_key_ciphertext(), limits_.maxCiphertextBytes))
                return bad("sender-key ciphertext empty or too large");
            return nullopt;
        }
        if (r.body_case() != v1::AppendRequest::kDeviceCiphertexts)
            return bad("append needs a body");
        const auto& list = r.device_ciphertexts().ciphertexts();
        if (list.empty() || static_cast<std::size_t>(list.size()) > limits_.maxDeviceCiphertexts)
            return bad("append needs 1..5000 device ciphertexts");
        for (const auto& c : list) {
            if (!validDeviceAddress(c.device()))
                return bad("device ciphertext needs a valid device address");
            if (!validCiphertext(c.ciphertext(), limits_.maxCiphertextBytes))
                return bad("device ciphertext empty or too large");
        }
        return nullopt;
    }
    case v1::Request::kSync: {
        const auto& r = request.sync();
        if (r.limit() > limits_.maxPageLimit)
            return bad("sync limit above 1000");
        if (static_cast<std::size_t>(r.cursors_size()) > limits_.maxCursors)
            return bad("too many cursors");
        for (const auto& c : r.cursors())
            if (!validConversation(c.conversation_id()))
                return bad("cursor conversation ids must be 16 bytes");
        return nullopt;
    }
    case v1::Request::kHistory: {
        const auto& r = request.history();
        if (!validConversation(r.conversation_id()))
            return bad("conversation_id must be 16 bytes");
        return r.limit() <= limits_.maxPageLimit ? nullopt : bad("history limit above 1000");
    }
    case v1::Request::kSendToDevice: {
        const auto& r = request.send_to_device();
        if (r.message_id().size() != p::kMessageIdBytes)
            return bad("message_id must be 16 bytes");
        if (r.envelopes_size() == 0 || static_cast<std::size_t>(r.envelopes_size()) > limits_.maxEnvelopes)
            return bad("send 1..1000 envelopes at once");
        if (!validClass(r.delivery_class()))
            return bad("unknown delivery class");
        for (const auto& e : r.envelopes()) {
            if (!validDeviceAddress(e.recipient()))
                return bad("envelope needs a valid recipient");
            if (!validCiphertext(e.ciphertext(), limits_.maxCiphertextBytes))
                return bad("envelope ciphertext empty or too large");
        }
        return nullopt;
    }
    case v1::Request::kFetchToDevice:
        return request.fetch_to_device().limit() <= limits_.maxPageLimit ? nullopt : bad("limit above 1000");
    case v1::Request::kAck: {
        const auto& r = request.ack();
        if (static_cast<std::size_t>(r.entries_size()) > limits_.maxAcks
            || static_cast<std::size_t>(r.to_device_ids_size()) > limits_.maxAcks)
            return bad("at most 1000 acks of each kind per request");
        for (const auto& c : r.entries())
            if (!validConversation(c.conversation_id()) || c.after_seq() == 0)
                return bad("entry acks need a 16-byte conversation_id and a seq");
        return nullopt;
    }
    case v1::Request::kTyping:
        return validConversation(request.typing().conversation_id()) ? nullopt
                                                                     : bad("conversation_id must be 16 bytes");
    case v1::Request::kPresence: {
        const auto s = request.presence().state();
        return s == v1::PRESENCE_STATE_ONLINE || s == v1::PRESENCE_STATE_AWAY || s == v1::PRESENCE_STATE_OFFLINE
            ? nullopt
            : bad("unknown presence state");
    }
    default: return bad("unknown request type");
    }
}

} // namespace tenchat::relay
