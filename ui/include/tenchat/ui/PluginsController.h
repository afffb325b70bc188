// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tenchat/ui/PluginCardCache.h"
#include "tenchat/ui/PluginListModel.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace tenchat::core::store {
class AsyncStore;
}

namespace tenchat::ui {

class MessagingService;
class PluginService;

// The desktop side of the plugin container: the plugins page (installed
// plugins, enable, revoke, grant again, remove, log, install from a file with a review of
// what the package asks for), slash commands from the composer, and the cards
// plugins draw in the timeline. At unlock it installs the bundled examples
// (disabled) and starts the enabled plugins; all work runs off the GUI thread.
class PluginsController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(tenchat::ui::PluginListModel* model READ model CONSTANT)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // The outcome of the last action on the page: errors carry the precise code.
    Q_PROPERTY(QString errorText READ errorText NOTIFY statusChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusChanged)
    // The package under review: { path, name, title, version, description,
    // publisher, signature ("signed"/"unsigned"), signatureText, needsConfirmation,
    // confirmationText, capabilities [{name, text}], scopesText, commands, contentTypes }.
    Q_PROPERTY(QVariantMap review READ review NOTIFY reviewChanged)
    // A revoked capability the user is about to give back: { name, title,
    // capability, text, details (what it allows, with limits), scopesText,
    // signatureText, confirmationText }; empty when none is under review.
    Q_PROPERTY(QVariantMap grantReview READ grantReview NOTIFY grantReviewChanged)
    Q_PROPERTY(QString logPlugin READ logPlugin NOTIFY logChanged)
    Q_PROPERTY(QVariantList logEntries READ logEntries NOTIFY logChanged) // [{ time, level, text }]
    // Shown under the composer after a slash command no plugin takes.
    Q_PROPERTY(QString commandHint READ commandHint NOTIFY commandHintChanged)
    Q_PROPERTY(QStringList commandNames READ commandNames NOTIFY commandsChanged)
public:
    explicit PluginsController(QObject* parent = nullptr);
    ~PluginsController() override;

    // Starts the container on the open profile (SessionController, via ChatController).
    void attach(core::store::AsyncStore* store, MessagingService* messaging);

    PluginListModel* model() const { return model_; }
    PluginCardCache* cards() const { return cards_; }
    bool busy() const { return busy_ > 0; }
    QString errorText() const { return errorText_; }
    QString statusText() const { return statusText_; }
    QVariantMap review() const { return review_; }
    QVariantMap grantReview() const { return grantReview_; }
    QString logPlugin() const { return logPlugin_; }
    QVariantList logEntries() const { return logEntries_; }
    QString commandHint() const { return commandHint_; }
    QStringList commandNames() const;

    // Reads and validates a package (a folder or a .zip; a path or a file:
    // URL) for the review dialog. reviewReady() or, with errorText, reviewFailed().
    Q_INVOKABLE void reviewPackage(const QString& pathOrUrl);
    // Installs the reviewed package. An unsigned package, or one signed by a
    // publisher not trusted yet, needs `extraConfirmed`; without it nothing
    // is installed and errorText says why.
    Q_INVOKABLE bool confirmInstall(bool extraConfirmed);
    Q_INVOKABLE void cancelReview();
    Q_INVOKABLE void setEnabled(const QString& name, bool enabled);
    Q_INVOKABLE void revoke(const QString& name, const QString& capability);
    // "Grant again…": opens the review of a revoked capability (what it
    // allows, in which conversations); grantReviewReady() or errorText.
    Q_INVOKABLE void reviewGrant(const QString& name, const QString& capability);
    // Gives the reviewed capability back; without `confirmed` nothing changes
    // and errorText says why. Audited; the running plugin has it at its next call.
    Q_INVOKABLE bool confirmGrant(bool confirmed);
    Q_INVOKABLE void cancelGrant();
    Q_INVOKABLE void remove(const QString& name);
    Q_INVOKABLE void showLog(const QString& name);
    Q_INVOKABLE void refresh();

    // A card button: the callback goes to the plugin that drew the card.
    Q_INVOKABLE void cardAction(
        const QString& plugin, const QString& conversationId, const QString& messageId, const QString& action);
    // Registered commands starting with `prefix` ("/po"): [{ command, description }], at most 6.
    Q_INVOKABLE QVariantList commandSuggestions(const QString& prefix) const;
    Q_INVOKABLE void clearCommandHint();
    // The composer's "/name args": true when a running plugin declares the
    // command (handed to it, not sent); false with commandHint set otherwise.
    bool runCommand(const QString& conversationId, const QString& text);

Q_SIGNALS:
    void busyChanged();
    void statusChanged();
    void reviewChanged();
    void reviewReady();
    void reviewFailed();
    void grantReviewChanged();
    void grantReviewReady();
    void granted(const QString& name, const QString& capability);
    void installed(const QString& name);
    void logChanged();
    void commandHintChanged();
    void commandsChanged();

private:
    void setStatus(const QString& error, const QString& status = {});
    void setCommandHint(const QString& hint);
    void begin();
    void end();
    // Reports the outcome of an action and reloads the list.
    std::function<void(QString)> finisher(const QString& success);

    PluginListModel* model_ = nullptr;
    PluginCardCache* cards_ = nullptr;
    PluginService* service_ = nullptr;
    int busy_ = 0;
    QString errorText_;
    QString statusText_;
    QVariantMap review_;
    QVariantMap grantReview_;
    QString logPlugin_;
    QVariantList logEntries_;
    QString commandHint_;
};

} // namespace tenchat::ui
