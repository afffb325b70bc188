// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// RAII ownership for libsignal-protocol-c objects. Every ref-counted object
// is released with signal_type_unref exactly once; every signal_buffer is
// zeroed before it is freed, because most of them hold key material.
// Internal header: nothing outside crypto/src sees libsignal types.

#include <signal/signal_protocol.h>

#include "tenchat/crypto/Bytes.h"

#include <memory>

namespace tenchat::crypto::detail {

struct SignalUnref {
    void operator()(void* object) const
    {
        if (object)
            signal_type_unref(static_cast<signal_type_base*>(object));
    }
};

template <class T> using SignalPtr = std::unique_ptr<T, SignalUnref>;

struct SignalBufferFree {
    void operator()(signal_buffer* buffer) const { signal_buffer_bzero_free(buffer); }
};
using SignalBuffer = std::unique_ptr<signal_buffer, SignalBufferFree>;

// Adapts a smart pointer to a C out-parameter: `f(out(ptr))` lets the
// library write a raw pointer that `ptr` adopts when the expression ends,
// including on the error path (libsignal sometimes sets the out-parameter
// before it fails).
template <class Smart> class OutParam {
public:
    explicit OutParam(Smart& owner) : owner_(owner) { }
    ~OutParam() { owner_.reset(raw_); }
    OutParam(const OutParam&) = delete;
    OutParam& operator=(const OutParam&) = delete;
    operator typename Smart::pointer *() { return &raw_; }

private:
    Smart& owner_;
    typename Smart::pointer raw_ = nullptr;
};

template <class Smart> OutParam<Smart> out(Smart& owner)
{
    return OutParam<Smart>(owner);
}

inline ByteView viewOf(const signal_buffer* buffer)
{
    if (!buffer)
        return {};
    return { signal_buffer_const_data(buffer), signal_buffer_len(buffer) };
}

inline Bytes bytesOf(const signal_buffer* buffer)
{
    const ByteView view = viewOf(buffer);
    return Bytes(view.begin(), view.end());
}

} // namespace tenchat::crypto::detail
