// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

// Rates a passphrase for the strength meter of the first-run screen: 0 (too
// weak to accept) to 4 (strong), from its length and the character classes it
// mixes, with penalties for repeats and runs. An estimate for the user, not a
// policy: the key derivation is Argon2id either way.
class PassphraseMeter : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
public:
    using QObject::QObject;

    static constexpr int kMinimumAcceptedScore = 2;

    Q_INVOKABLE static int score(const QString& passphrase);
    Q_INVOKABLE static bool acceptable(const QString& passphrase) { return score(passphrase) >= kMinimumAcceptedScore; }
};

} // namespace tenchat::ui
