// SPDX-License-Identifier: GPL-3.0-or-later
#include "Logger.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <cstdio>

namespace tenchat::relay {

Logger& Logger::instance()
{
    static Logger logger;
    return logger;
}

void Logger::configure(Level minimum, const QString& salt)
{
    minimum_ = minimum;
    if (salt.isEmpty()) {
        salt_.resize(16);
        QRandomGenerator::system()->generate(salt_.begin(), salt_.end());
    } else {
        salt_ = salt.toUtf8();
    }
}

Logger::Level Logger::parseLevel(const QString& name)
{
    if (name == QStringLiteral("debug"))
        return Level::Debug;
    if (name == QStringLiteral("warning"))
        return Level::Warning;
    if (name == QStringLiteral("error"))
        return Level::Error;
    return Level::Info;
}

void Logger::log(Level level, const char* event, QJsonObject fields)
{
    if (level < minimum_)
        return;
    static const char* const names[] = { "debug", "info", "warning", "error" };
    fields.insert(QStringLiteral("ts"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    fields.insert(QStringLiteral("level"), QLatin1String(names[static_cast<int>(level)]));
    fields.insert(QStringLiteral("event"), QLatin1String(event));
    const QByteArray line = QJsonDocument(fields).toJson(QJsonDocument::Compact);
    std::fprintf(stderr, "%s\n", line.constData());
}

QString Logger::redact(std::string_view id) const
{
    if (salt_.isEmpty())
        return QStringLiteral("unsalted");
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(salt_);
    hash.addData(QByteArrayView(id.data(), static_cast<qsizetype>(id.size())));
    return QString::fromLatin1(hash.result().toHex().left(12));
}

} // namespace tenchat::relay
