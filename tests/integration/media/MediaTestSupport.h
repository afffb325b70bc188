// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Test files for the media pipeline: written in 1 MiB steps from a fast
// deterministic generator (no 100 MB buffer), compared by hash.

#include <QByteArray>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QString>

#include <cstdint>

namespace tenchat::testing {

enum class FillKind { Random, Text, Mixed };

inline void fillBlock(QByteArray& block, std::uint64_t& state, FillKind kind, qint64 blockIndex)
{
    const bool text = kind == FillKind::Text || (kind == FillKind::Mixed && blockIndex % 2 == 1);
    if (text) {
        static const QByteArray line = "The quick brown fox jumps over the lazy dog; TenChat media test line.\n";
        for (qsizetype i = 0; i < block.size(); ++i)
            block[i] = line[i % line.size()];
        // A little variation so that blocks differ.
        block.replace(0, 16, QByteArray::number(qulonglong(blockIndex)).rightJustified(16, '0'));
        return;
    }
    auto* p = reinterpret_cast<unsigned char*>(block.data());
    for (qsizetype i = 0; i < block.size(); ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        p[i] = static_cast<unsigned char>(state >> 24);
    }
}

// Writes `size` bytes; returns false on I/O errors.
inline bool writeTestFile(const QString& path, qint64 size, FillKind kind = FillKind::Mixed, std::uint64_t seed = 1)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
    QByteArray block(1 << 20, '\0');
    qint64 written = 0;
    for (qint64 index = 0; written < size; ++index) {
        fillBlock(block, state, kind, index);
        const qint64 n = std::min<qint64>(block.size(), size - written);
        if (file.write(block.constData(), n) != n)
            return false;
        written += n;
    }
    return file.flush();
}

inline QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result();
}

// Whether any file under `dir` contains `needle` (read in overlapping blocks).
inline bool treeContains(const QString& dir, const QByteArray& needle)
{
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        QByteArray carry;
        while (!file.atEnd()) {
            const QByteArray block = carry + file.read(1 << 20);
            if (block.contains(needle))
                return true;
            carry = block.right(needle.size() - 1);
        }
    }
    return false;
}

inline int countFiles(const QString& dir, const QString& nameFilter = {})
{
    int n = 0;
    QDirIterator it(dir, nameFilter.isEmpty() ? QStringList() : QStringList { nameFilter }, QDir::Files | QDir::Hidden,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

} // namespace tenchat::testing
