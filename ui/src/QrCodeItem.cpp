// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenchat/ui/QrCodeItem.h"

#include <qrencode.h>

#include <QPainter>

namespace tenchat::ui {

namespace {
constexpr int kQuietZone = 2; // modules of margin on each side
}

QrCodeItem::QrCodeItem(QQuickItem* parent) : QQuickPaintedItem(parent)
{
    setAntialiasing(false);
    connect(this, &QrCodeItem::appearanceChanged, this, [this] { update(); });
}

void QrCodeItem::setText(const QString& text)
{
    if (text == text_)
        return;
    text_ = text;
    matrix_ = encode(text);
    emit textChanged();
    update();
}

QImage QrCodeItem::encode(const QString& text)
{
    if (text.isEmpty())
        return {};
    const QByteArray utf8 = text.toUtf8();
    QRcode* code = QRcode_encodeString8bit(utf8.constData(), 0, QR_ECLEVEL_M);
    if (!code)
        return {};
    QImage image(code->width, code->width, QImage::Format_Mono);
    image.setColorCount(2);
    image.setColor(0, qRgb(255, 255, 255));
    image.setColor(1, qRgb(0, 0, 0));
    for (int y = 0; y < code->width; ++y)
        for (int x = 0; x < code->width; ++x)
            image.setPixel(x, y, code->data[y * code->width + x] & 1);
    QRcode_free(code);
    return image;
}

void QrCodeItem::paint(QPainter* painter)
{
    const int side = int(qMin(width(), height()));
    painter->fillRect(QRectF(0, 0, side, side), background_);
    if (matrix_.isNull())
        return;
    const int total = matrix_.width() + 2 * kQuietZone;
    const int module = qMax(1, side / total); // whole pixels per module: crisp edges
    const int offset = (side - module * matrix_.width()) / 2;
    for (int y = 0; y < matrix_.height(); ++y)
        for (int x = 0; x < matrix_.width(); ++x)
            if (matrix_.pixelIndex(x, y) == 1)
                painter->fillRect(offset + x * module, offset + y * module, module, module, color_);
}

} // namespace tenchat::ui
