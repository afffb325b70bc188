// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/core/store/StoreError.h"

namespace tenchat::core::store {

class Database;

// RAII transaction: rolls back unless commit() succeeded. BEGIN IMMEDIATE so
// that a writer learns about a competing writer up front (busy timeout) and
// never half-way through. Inside another transaction it becomes a SAVEPOINT,
// so repository calls compose into one larger atomic change.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    // Whether BEGIN succeeded; check before doing work.
    const StoreOk& begun() const { return begun_; }
    StoreOk commit();

private:
    Database& db_;
    StoreOk begun_;
    bool active_ = false;
    bool nested_ = false;
};

} // namespace tenchat::core::store
