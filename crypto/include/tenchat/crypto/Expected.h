// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A small std::expected stand-in: the floor compilers (GCC 12 in C++20 mode,
// clang 14) do not ship <expected>. Errors are values at every module
// boundary in TenChat; this is the one type that carries them.

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace tenchat {

template <class E> class Unexpected {
public:
    explicit Unexpected(E error) : error_(std::move(error)) { }
    const E& error() const& { return error_; }
    E&& error() && { return std::move(error_); }

private:
    E error_;
};

template <class E> Unexpected<std::decay_t<E>> makeUnexpected(E&& error)
{
    return Unexpected<std::decay_t<E>>(std::forward<E>(error));
}

template <class T, class E> class [[nodiscard]] Expected {
public:
    using value_type = T;
    using error_type = E;

    Expected() requires std::is_default_constructible_v<T> : storage_(std::in_place_index<0>) { }
    Expected(T value) : storage_(std::in_place_index<0>, std::move(value)) { }
    template <class G>
    Expected(Unexpected<G> unexpected) : storage_(std::in_place_index<1>, std::move(unexpected).error())
    { }

    bool hasValue() const { return storage_.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    T& value() &
    {
        assert(hasValue());
        return std::get<0>(storage_);
    }
    const T& value() const&
    {
        assert(hasValue());
        return std::get<0>(storage_);
    }
    T&& value() &&
    {
        assert(hasValue());
        return std::get<0>(std::move(storage_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }

    const E& error() const&
    {
        assert(!hasValue());
        return std::get<1>(storage_);
    }
    E&& error() &&
    {
        assert(!hasValue());
        return std::get<1>(std::move(storage_));
    }

    template <class U> T valueOr(U&& fallback) const&
    {
        return hasValue() ? value() : static_cast<T>(std::forward<U>(fallback));
    }

private:
    std::variant<T, E> storage_;
};

// Expected<void, E>: success carries no value.
template <class E> class [[nodiscard]] Expected<void, E> {
public:
    using value_type = void;
    using error_type = E;

    Expected() = default;
    template <class G> Expected(Unexpected<G> unexpected) : error_(std::move(unexpected).error()), failed_(true) { }

    bool hasValue() const { return !failed_; }
    explicit operator bool() const { return hasValue(); }
    const E& error() const&
    {
        assert(failed_);
        return error_;
    }
    E&& error() &&
    {
        assert(failed_);
        return std::move(error_);
    }

private:
    E error_ {};
    bool failed_ = false;
};

} // namespace tenchat
