// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ScreenshotHelpers.h"

#include "tenchat/ui/AppController.h"
#include "tenchat/ui/SessionController.h"

#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QtTest>

// Header-only helpers of the UI tests that drive real windows.
namespace tenchat::testing {

// QTest::keyClicks() takes widgets only; this types into a QQuickWindow.
inline void typeText(QWindow* window, const QString& text)
{
    for (const QChar c : text)
        QTest::keyClick(window, c.toLatin1());
}

// One window of the app on a profile directory, as desktop_main sets it up.
struct AppWindow {
    explicit AppWindow(const QString& profileDir) : session(profileDir)
    {
        tenchat::ui::SessionController::setInstance(&session);
        engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
        engine.load(QUrl(QStringLiteral("qrc:/qt/qml/TenChat/Main.qml")));
        window = engine.rootObjects().isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    }
    ~AppWindow()
    {
        if (tenchat::ui::SessionController::instance() == &session)
            tenchat::ui::SessionController::setInstance(nullptr);
    }

    // Finds an item by objectName, also the delegates of a Repeater (which
    // have no QObject parent, so findChild() misses them).
    QQuickItem* item(const char* name) const
    {
        if (auto* found = window->findChild<QQuickItem*>(QLatin1String(name)))
            return found;
        return findVisual(window->contentItem(), QLatin1String(name));
    }
    static QQuickItem* findVisual(QQuickItem* root, QLatin1String name)
    {
        if (!root)
            return nullptr;
        for (QQuickItem* child : root->childItems()) {
            if (child->objectName() == name)
                return child;
            if (auto* found = findVisual(child, name))
                return found;
        }
        return nullptr;
    }
    tenchat::ui::AppController* app()
    {
        const int id = qmlTypeId("TenChat.Ui", 1, 0, "AppController");
        return engine.singletonInstance<tenchat::ui::AppController*>(id);
    }
    void setDark(bool dark)
    {
        QVERIFY(app());
        app()->setDarkTheme(dark);
    }
    // Lets bindings, layouts and the scene graph settle, then grabs the frame.
    QImage grab(const QString& name)
    {
        QTest::qWait(250);
        const QImage image = window->grabWindow();
        const QString path = saveScreenshot(image, name);
        if (path.isEmpty())
            qWarning() << "could not save" << name;
        return image;
    }
    void type(const char* field, const QString& text)
    {
        QQuickItem* input = item(field);
        QVERIFY2(input, field);
        // With several windows, only the active one takes keyboard focus.
        window->requestActivate();
        QTRY_VERIFY(window->isActive());
        input->forceActiveFocus();
        QTRY_VERIFY(input->hasActiveFocus());
        input->setProperty("text", QString());
        typeText(window, text);
    }

    tenchat::ui::SessionController session; // outlives the engine (declared first)
    QQmlApplicationEngine engine;
    QQuickWindow* window = nullptr;
};

} // namespace tenchat::testing
