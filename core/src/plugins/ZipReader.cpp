// SPDX-License-Identifier: GPL-3.0-or-later
#include "ZipReader.h"

#include "tenchat/core/plugins/PluginPackage.h"

#include <QFile>

#include <sys/stat.h>
#include <zip.h>

#include <memory>

namespace tenchat::core::plugins {

namespace {

struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};

} // namespace

PluginExpected<QMap<QString, QByteArray>> readZip(
    const QString& path, int maxFiles, qint64 maxFileBytes, qint64 maxTotalBytes)
{
    int err = 0;
    std::unique_ptr<zip_t, ZipCloser> archive(zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &err));
    if (!archive)
        return pluginError(PluginErrorCode::PackageUnreadable, QStringLiteral("not a readable zip file"));
    const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
    if (count < 0 || count > maxFiles)
        return pluginError(PluginErrorCode::PackageTooLarge, QStringLiteral("more than %1 entries").arg(maxFiles));
    QMap<QString, QByteArray> files;
    qint64 total = 0;
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* rawName = zip_get_name(archive.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_STRICT);
        if (!rawName)
            return pluginError(PluginErrorCode::PackageUnreadable, QStringLiteral("entry without a name"));
        const QString name = QString::fromUtf8(rawName);
        if (name.endsWith(QLatin1Char('/'))) {
            if (!PluginPackage::safePath(name.chopped(1)))
                return pluginError(PluginErrorCode::UnsafePath, QStringLiteral("unsafe path '%1'").arg(name.left(100)));
            continue; // directories carry no content
        }
        if (!PluginPackage::safePath(name))
            return pluginError(PluginErrorCode::UnsafePath, QStringLiteral("unsafe path '%1'").arg(name.left(100)));
        zip_uint8_t opsys = 0;
        zip_uint32_t attributes = 0;
        if (zip_file_get_external_attributes(archive.get(), static_cast<zip_uint64_t>(i), 0, &opsys, &attributes) == 0
            && opsys == ZIP_OPSYS_UNIX) {
            const mode_t mode = static_cast<mode_t>(attributes >> 16);
            if (mode != 0 && !S_ISREG(mode))
                return pluginError(PluginErrorCode::UnsafePath, QStringLiteral("'%1' is not a regular file").arg(name));
        }
        if (files.contains(name))
            return pluginError(PluginErrorCode::DuplicateEntry, QStringLiteral("'%1' appears twice").arg(name));
        std::unique_ptr<zip_file_t, ZipFileCloser> file(
            zip_fopen_index(archive.get(), static_cast<zip_uint64_t>(i), 0));
        if (!file)
            return pluginError(PluginErrorCode::PackageUnreadable, QStringLiteral("cannot open '%1'").arg(name));
        QByteArray content;
        char buffer[16384];
        for (;;) {
            const zip_int64_t n = zip_fread(file.get(), buffer, sizeof buffer);
            if (n < 0)
                return pluginError(PluginErrorCode::PackageUnreadable, QStringLiteral("cannot inflate '%1'").arg(name));
            if (n == 0)
                break;
            content.append(buffer, static_cast<qsizetype>(n));
            if (content.size() > maxFileBytes)
                return pluginError(PluginErrorCode::PackageTooLarge,
                    QStringLiteral("'%1' exceeds %2 bytes").arg(name).arg(maxFileBytes));
            if (total + content.size() > maxTotalBytes)
                return pluginError(PluginErrorCode::PackageTooLarge,
                    QStringLiteral("the package exceeds %1 bytes").arg(maxTotalBytes));
        }
        total += content.size();
        files.insert(name, content);
    }
    return files;
}

} // namespace tenchat::core::plugins
