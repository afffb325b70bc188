// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/Translations.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace tenchat::ui {

bool installTranslations(QCoreApplication& app)
{
    auto* translator = new QTranslator(&app);
    const QString dir = QStringLiteral(":/i18n");
    if (translator->load(QLocale(), QStringLiteral("tenchat"), QStringLiteral("_"), dir)
        || translator->load(QStringLiteral("tenchat_en"), dir))
        return QCoreApplication::installTranslator(translator);
    delete translator;
    return false;
}

} // namespace tenchat::ui
