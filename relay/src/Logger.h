// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// JSON-lines log on stderr. User, device and conversation ids never appear
// in clear: redact() turns them into a salted hash that is stable for one
// salt, so an operator can follow one device through a log without learning
// its id.

#include <QJsonObject>
#include <QString>

#include <string_view>

namespace tenchat::relay {

class Logger {
public:
    enum class Level { Debug, Info, Warning, Error };

    static Logger& instance();

    void configure(Level minimum, const QString& salt);
    static Level parseLevel(const QString& name);

    void log(Level level, const char* event, QJsonObject fields = {});
    void info(const char* event, QJsonObject fields = {}) { log(Level::Info, event, std::move(fields)); }
    void warning(const char* event, QJsonObject fields = {}) { log(Level::Warning, event, std::move(fields)); }
    void error(const char* event, QJsonObject fields = {}) { log(Level::Error, event, std::move(fields)); }

    // First 12 hex digits of SHA-256(salt || id).
    QString redact(std::string_view id) const;

private:
    Level minimum_ = Level::Info;
    QByteArray salt_;
};

} // namespace tenchat::relay
