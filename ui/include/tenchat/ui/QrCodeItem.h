// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QImage>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

namespace tenchat::ui {

// A QR code (libqrencode, error correction M) of `text`, drawn crisp at any
// size with a quiet zone. Used for the safety number on the contact page.
class QrCodeItem : public QQuickPaintedItem {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    Q_PROPERTY(QColor color MEMBER color_ NOTIFY appearanceChanged)
    Q_PROPERTY(QColor background MEMBER background_ NOTIFY appearanceChanged)
    Q_PROPERTY(int modules READ modules NOTIFY textChanged)
public:
    explicit QrCodeItem(QQuickItem* parent = nullptr);

    QString text() const { return text_; }
    void setText(const QString& text);
    int modules() const { return matrix_.width(); }

    // The module matrix (black = set) of `text`; null when it cannot be encoded.
    static QImage encode(const QString& text);

    void paint(QPainter* painter) override;

Q_SIGNALS:
    void textChanged();
    void appearanceChanged();

private:
    QString text_;
    QImage matrix_;
    QColor color_ = Qt::black;
    QColor background_ = Qt::white;
};

} // namespace tenchat::ui
