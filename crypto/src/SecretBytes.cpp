// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/crypto/SecretBytes.h"

#include <sodium.h>

#include <cstring>
#include <new>

namespace tenchat::crypto {

SecretBytes::SecretBytes(std::size_t size) : size_(size)
{
    if (size_ > 0) {
        data_ = new std::uint8_t[size_];
        std::memset(data_, 0, size_);
    }
}

SecretBytes::SecretBytes(ByteView bytes) : SecretBytes(bytes.size())
{
    if (size_ > 0)
        std::memcpy(data_, bytes.data(), size_);
}

SecretBytes::~SecretBytes()
{
    release();
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : data_(other.data_), size_(other.size_)
{
    other.data_ = nullptr;
    other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept
{
    if (this != &other) {
        release();
        data_ = other.data_;
        size_ = other.size_;
        other.data_ = nullptr;
        other.size_ = 0;
    }
    return *this;
}

bool SecretBytes::equals(ByteView other) const
{
    if (other.size() != size_)
        return false;
    if (size_ == 0)
        return true;
    return sodium_memcmp(data_, other.data(), size_) == 0;
}

void SecretBytes::release()
{
    if (data_) {
        sodium_memzero(data_, size_);
        delete[] data_;
    }
    data_ = nullptr;
    size_ = 0;
}

} // namespace tenchat::crypto
