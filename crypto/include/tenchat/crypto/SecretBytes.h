// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/crypto/Bytes.h"

#include <cstddef>
#include <cstdint>

namespace tenchat::crypto {

// Owns secret material (keys, passphrase-derived bytes). The memory is
// zeroed with sodium_memzero when released or reassigned, is never copied
// implicitly, and compares in constant time.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(std::size_t size);
    explicit SecretBytes(ByteView bytes);
    ~SecretBytes();

    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;

    // An explicit, visible copy for the rare place that needs one.
    SecretBytes clone() const { return SecretBytes(view()); }

    std::uint8_t* data() { return data_; }
    const std::uint8_t* data() const { return data_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    ByteView view() const { return { data_, size_ }; }

    // Constant-time equality (sodium_memcmp).
    bool equals(ByteView other) const;

private:
    void release();

    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace tenchat::crypto
