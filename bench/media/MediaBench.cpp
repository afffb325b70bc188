// SPDX-License-Identifier: GPL-3.0-or-later
// Media pipeline benchmark (prints one JSON object):
//  - pipeline: chunk + compress + encrypt + hash (ChunkCodec::seal) on as
//    many threads as UploadJob seals with (and on one), for incompressible
//    and for text data, beside raw libsodium secretstream (one stream, one
//    thread, 1 MiB messages) measured alternately in the same run
//    (`--rounds`, median reported);
//  - transfer: a file sent by one tenchat-cli process through a local relay
//    and fetched by another: MB/s of each leg and of the whole, and the RSS
//    growth of both processes during their transfer (sampled from /proc).
#include "RelayProcess.h"

#include "tenchat/core/media/ChunkCodec.h"
#include "tenchat/core/media/UploadJob.h"
#include "tenchat/crypto/Hash.h"
#include "tenchat/crypto/SecretStreamEncryptor.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <unistd.h>
#include <vector>

using tenchat::core::media::ChunkCodec;

namespace {

constexpr qsizetype kChunk = 1 << 20;

int fail(const QString& what)
{
    std::fprintf(stderr, "tenchat-bench-media: %s\n", qPrintable(what));
    return 2;
}

QByteArray makeData(qsizetype size, bool text)
{
    QByteArray out(size, Qt::Uninitialized);
    if (text) {
        static const QByteArray words[] = { "message ", "encrypted ", "relay ", "chunk ", "the ", "and ", "file ",
            "TenChat ", "photo ", "document\n", "of ", "to " };
        std::uint32_t s = 12345;
        qsizetype i = 0;
        while (i < size) {
            s = s * 1103515245u + 12345u;
            const QByteArray& w = words[(s >> 16) % 12];
            const qsizetype n = std::min<qsizetype>(w.size(), size - i);
            std::memcpy(out.data() + i, w.constData(), std::size_t(n));
            i += n;
        }
    } else {
        const auto bytes = tenchat::crypto::randomBytes(std::size_t(size));
        std::memcpy(out.data(), bytes.data(), bytes.size());
    }
    return out;
}

double mbps(qint64 bytes, qint64 ns)
{
    return ns > 0 ? double(bytes) / 1e6 / (double(ns) / 1e9) : 0.0;
}

// CPU nanoseconds of the calling thread or of the whole process: rates per
// CPU second do not depend on how busy the shared machine is.
qint64 cpuNs(clockid_t clock)
{
    timespec t {};
    clock_gettime(clock, &t);
    return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

struct Rate {
    double wall = 0; // MB/s
    double cpu = 0; // MB per CPU second (all threads)
};

Rate rawSecretStream(const QByteArray& data)
{
    const auto key = tenchat::crypto::newSecretStreamKey();
    auto enc = tenchat::crypto::SecretStreamEncryptor::create(key);
    QByteArray out(kChunk + 17, Qt::Uninitialized);
    QElapsedTimer t;
    t.start();
    const qint64 cpu0 = cpuNs(CLOCK_THREAD_CPUTIME_ID);
    for (qsizetype off = 0; off < data.size(); off += kChunk) {
        const qsizetype n = std::min(kChunk, data.size() - off);
        (void)enc->push({ reinterpret_cast<const std::uint8_t*>(data.constData() + off), std::size_t(n) },
            { reinterpret_cast<std::uint8_t*>(out.data()), std::size_t(out.size()) }, off + n >= data.size());
    }
    return { mbps(data.size(), t.nsecsElapsed()), mbps(data.size(), cpuNs(CLOCK_THREAD_CPUTIME_ID) - cpu0) };
}

// The pieces of the pipeline alone, on one thread: BLAKE2b-256 of each chunk
// (the chunk id) and sealing without trying compression.
double blake2bOnly(const QByteArray& data)
{
    QElapsedTimer t;
    t.start();
    for (qsizetype off = 0; off < data.size(); off += kChunk)
        (void)ChunkCodec::chunkId(QByteArrayView(data.constData() + off, std::min(kChunk, data.size() - off)));
    return mbps(data.size(), t.nsecsElapsed());
}

double sealWithoutCompression(const QByteArray& data)
{
    const auto key = tenchat::crypto::newSecretStreamKey();
    const int count = int((data.size() + kChunk - 1) / kChunk);
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < count; ++i) {
        const qsizetype off = qsizetype(i) * kChunk;
        (void)ChunkCodec::seal(key, quint64(i), quint64(count),
            QByteArrayView(data.constData() + off, std::min(kChunk, data.size() - off)), false);
    }
    return mbps(data.size(), t.nsecsElapsed());
}

Rate pipeline(const QByteArray& data, int threads, qint64* outBytes)
{
    const auto key = tenchat::crypto::newSecretStreamKey();
    const int count = int((data.size() + kChunk - 1) / kChunk);
    std::atomic<int> next { 0 };
    std::atomic<qint64> produced { 0 };
    QElapsedTimer t;
    t.start();
    const qint64 cpu0 = cpuNs(CLOCK_PROCESS_CPUTIME_ID);
    QThreadPool pool;
    pool.setMaxThreadCount(threads);
    for (int w = 0; w < threads; ++w) {
        pool.start([&] {
            for (int i = next++; i < count; i = next++) {
                const qsizetype off = qsizetype(i) * kChunk;
                const QByteArrayView chunk(data.constData() + off, std::min(kChunk, data.size() - off));
                auto sealed = ChunkCodec::seal(key, quint64(i), quint64(count), chunk, true);
                if (sealed)
                    produced += sealed->ciphertext.size();
            }
        });
    }
    pool.waitForDone();
    if (outBytes)
        *outBytes = produced;
    return { mbps(data.size(), t.nsecsElapsed()), mbps(data.size(), cpuNs(CLOCK_PROCESS_CPUTIME_ID) - cpu0) };
}

// The 1-minute load average (the machine is shared with other jobs).
double loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? f.readAll().split(' ').value(0).toDouble() : -1;
}

double rssMiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

// User + system CPU seconds of a process so far (all its threads).
double cpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // Fields after the command name (which may contain spaces): state is 3rd.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    const double ticks = double(sysconf(_SC_CLK_TCK));
    return fields.size() > 12 ? (fields[11].toDouble() + fields[12].toDouble()) / ticks : -1;
}

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    double seconds = 0; // from the first progress line to the exit
    double baseRssMiB = 0; // at the first progress line
    double peakRssMiB = 0; // during the transfer
    double cpuSeconds = 0; // of the whole process, last sample before its exit
    double relayCpuSeconds = 0; // of the relay during the transfer
};

CliRun runCli(const QString& bin, const QString& profile, const QStringList& args, qint64 relayPid = 0)
{
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TENCHAT_PASSPHRASE"), QStringLiteral("bench passphrase"));
    p.setProcessEnvironment(env);
    p.setReadChannel(QProcess::StandardError); // progress lines
    p.start(bin, QStringList { QStringLiteral("--profile"), profile } + args);
    CliRun run;
    p.waitForStarted();
    QElapsedTimer t;
    bool transferring = false;
    while (p.state() == QProcess::Running) {
        p.waitForReadyRead(20);
        run.err += p.readAllStandardError();
        run.out += p.readAllStandardOutput();
        const double rss = rssMiB(p.processId());
        if (const double cpu = cpuSeconds(p.processId()); cpu >= 0)
            run.cpuSeconds = cpu;
        if (!transferring && run.err.contains("%")) {
            transferring = true;
            t.start();
            run.baseRssMiB = rss;
            if (relayPid > 0)
                run.relayCpuSeconds = -cpuSeconds(relayPid);
        }
        if (transferring)
            run.peakRssMiB = std::max(run.peakRssMiB, rss);
    }
    p.waitForFinished(-1);
    run.err += p.readAllStandardError();
    run.out += p.readAllStandardOutput();
    run.seconds = transferring ? double(t.nsecsElapsed()) / 1e9 : 0;
    if (relayPid > 0 && transferring)
        run.relayCpuSeconds += cpuSeconds(relayPid);
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return run;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    qint64 pipelineMiB = 256;
    qint64 transferMiB = 1024;
    int rounds = 3;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--pipeline-mib"))
            pipelineMiB = args[i + 1].toLongLong();
        else if (args[i] == QLatin1String("--transfer-mib"))
            transferMiB = args[i + 1].toLongLong();
        else if (args[i] == QLatin1String("--rounds"))
            rounds = std::max(1, args[i + 1].toInt());
    }
    const QByteArray binDir = qgetenv("TENCHAT_BINARY_DIR") + "/app/";
    if (qEnvironmentVariableIsEmpty("TENCHAT_RELAY_BIN"))
        qputenv("TENCHAT_RELAY_BIN", binDir + "tenchat-relay");
    const QString cliBin = qEnvironmentVariableIsEmpty("TENCHAT_CLI_BIN")
        ? QString::fromLocal8Bit(binDir + "tenchat-cli")
        : qEnvironmentVariable("TENCHAT_CLI_BIN");

    QJsonObject result { { QStringLiteral("cpus"), QThread::idealThreadCount() },
        { QStringLiteral("load_average_start"), loadAverage() } };

    // Pipeline throughput. Raw secretstream and the pipeline run alternately
    // for `rounds` rounds, so both see the same share of a machine shared
    // with other jobs; each round's ratio compares the two measured back to
    // back, and the median round is reported.
    QJsonObject pipe;
    const int sealThreads = tenchat::core::media::UploadJob::Options {}.maxSealing;
    for (const bool text : { false, true }) {
        if (pipelineMiB <= 0)
            break;
        const QByteArray data = makeData(qsizetype(pipelineMiB) << 20, text);
        std::vector<Rate> raws;
        std::vector<Rate> ones;
        std::vector<Rate> pools;
        std::vector<double> ratios;
        qint64 out1 = 0;
        for (int r = 0; r < rounds; ++r) {
            raws.push_back(rawSecretStream(data));
            pools.push_back(pipeline(data, sealThreads, nullptr));
            ones.push_back(pipeline(data, 1, &out1));
            ratios.push_back(raws.back().wall > 0 ? pools.back().wall / raws.back().wall : 0);
        }
        const auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v.empty() ? 0.0 : v[v.size() / 2];
        };
        const auto walls = [](const std::vector<Rate>& v) {
            std::vector<double> out;
            for (const Rate& r : v)
                out.push_back(r.wall);
            return out;
        };
        const auto cpus = [](const std::vector<Rate>& v) {
            std::vector<double> out;
            for (const Rate& r : v)
                out.push_back(r.cpu);
            return out;
        };
        QJsonArray roundRatios;
        for (double r : ratios)
            roundRatios.append(r);
        const double rawCpu = median(cpus(raws));
        const double poolCpu = median(cpus(pools));
        pipe.insert(text ? QStringLiteral("text") : QStringLiteral("incompressible"),
            QJsonObject { { QStringLiteral("mib"), double(pipelineMiB) }, { QStringLiteral("rounds"), rounds },
                { QStringLiteral("pipeline_threads"), sealThreads },
                // Medians over the rounds, wall clock unless named per CPU second.
                { QStringLiteral("raw_secretstream_mbps"), median(walls(raws)) },
                { QStringLiteral("raw_secretstream_per_cpu_s_mbps"), rawCpu },
                { QStringLiteral("pipeline_mbps"), median(walls(pools)) },
                // CPU time of all the pipeline's threads on the data
                // (process CPU clock, median round), and MB per CPU second.
                { QStringLiteral("pipeline_cpu_s"), poolCpu > 0 ? double(data.size()) / 1e6 / poolCpu : 0 },
                { QStringLiteral("pipeline_per_cpu_s_mbps"), poolCpu },
                { QStringLiteral("pipeline_1_thread_mbps"), median(walls(ones)) },
                { QStringLiteral("pipeline_1_thread_per_cpu_s_mbps"), median(cpus(ones)) },
                { QStringLiteral("blake2b_only_mbps"), blake2bOnly(data) },
                { QStringLiteral("seal_without_compression_mbps"), sealWithoutCompression(data) },
                // The target: pipeline wall clock / raw single-stream wall
                // clock, measured back to back in each round (median; all).
                { QStringLiteral("ratio_pipeline_to_raw"), median(ratios) },
                { QStringLiteral("ratio_pipeline_to_raw_rounds"), roundRatios },
                { QStringLiteral("ratio_1_thread_to_raw_per_cpu_s"), rawCpu > 0 ? median(cpus(ones)) / rawCpu : 0 },
                { QStringLiteral("ciphertext_to_plaintext"), double(out1) / double(data.size()) } });
    }
    result.insert(QStringLiteral("pipeline"), pipe);

    // A file through the local relay between two CLI processes.
    if (transferMiB > 0) {
        tenchat::testing::RelayProcess relay;
        if (!relay.start())
            return fail(relay.error());
        QTemporaryDir dir;
        const QString alice = dir.filePath(QStringLiteral("alice"));
        const QString bob = dir.filePath(QStringLiteral("bob"));
        for (const auto& [profile, handle] :
            { std::pair { alice, QStringLiteral("alice") }, std::pair { bob, QStringLiteral("bob") } }) {
            auto init = runCli(cliBin, profile,
                { QStringLiteral("init"), QStringLiteral("--relay"), relay.url().toString(), QStringLiteral("--handle"),
                    handle });
            if (init.exitCode != 0)
                return fail(QStringLiteral("init failed: ") + QString::fromUtf8(init.err));
        }
        const QString source = dir.filePath(QStringLiteral("big.bin"));
        {
            QFile f(source);
            if (!f.open(QIODevice::WriteOnly))
                return fail(QStringLiteral("cannot write the test file"));
            const QByteArray block = makeData(kChunk * 4, false);
            for (qint64 i = 0; i < transferMiB; i += 4)
                f.write(block.constData(), std::min<qint64>(block.size(), (transferMiB - i) << 20));
            // On disk before the clock starts: its write-back must not compete
            // with the relay's.
            f.flush();
            ::fsync(f.handle());
        }
        auto sent = runCli(cliBin, alice,
            { QStringLiteral("--json"), QStringLiteral("send-file"), QStringLiteral("@bob"), source }, relay.pid());
        if (sent.exitCode != 0)
            return fail(QStringLiteral("send-file failed: ") + QString::fromUtf8(sent.err));
        const QString id
            = QJsonDocument::fromJson(sent.out.trimmed()).object().value(QStringLiteral("messageId")).toString();
        auto listen = runCli(cliBin, bob,
            { QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("1"), QStringLiteral("--timeout"),
                QStringLiteral("120") });
        if (listen.exitCode != 0)
            return fail(QStringLiteral("listen failed: ") + QString::fromUtf8(listen.err));
        const QString dest = dir.filePath(QStringLiteral("received.bin"));
        auto fetched = runCli(cliBin, bob, { QStringLiteral("fetch"), id, dest }, relay.pid());
        if (fetched.exitCode != 0)
            return fail(QStringLiteral("fetch failed: ") + QString::fromUtf8(fetched.err));
        if (QFileInfo(dest).size() != QFileInfo(source).size())
            return fail(QStringLiteral("the received file has the wrong size"));
        const double mb = double(QFileInfo(source).size()) / 1e6;
        result.insert(QStringLiteral("transfer"),
            QJsonObject { { QStringLiteral("mib"), double(transferMiB) },
                { QStringLiteral("upload_mbps"), mb / std::max(0.001, sent.seconds) },
                { QStringLiteral("download_mbps"), mb / std::max(0.001, fetched.seconds) },
                { QStringLiteral("end_to_end_mbps"), mb / std::max(0.001, sent.seconds + fetched.seconds) },
                // CPU time per MiB moved (user + system, all threads): the
                // client's whole process (start-up included), the relay's
                // during that leg. Independent of the other jobs' load.
                { QStringLiteral("sender_cpu_ms_per_mib"), 1000 * sent.cpuSeconds / double(transferMiB) },
                { QStringLiteral("relay_upload_cpu_ms_per_mib"), 1000 * sent.relayCpuSeconds / double(transferMiB) },
                { QStringLiteral("receiver_cpu_ms_per_mib"), 1000 * fetched.cpuSeconds / double(transferMiB) },
                { QStringLiteral("relay_download_cpu_ms_per_mib"),
                    1000 * fetched.relayCpuSeconds / double(transferMiB) },
                { QStringLiteral("sender_rss_base_mib"), sent.baseRssMiB },
                { QStringLiteral("sender_rss_growth_mib"), sent.peakRssMiB - sent.baseRssMiB },
                { QStringLiteral("receiver_rss_base_mib"), fetched.baseRssMiB },
                { QStringLiteral("receiver_rss_growth_mib"), fetched.peakRssMiB - fetched.baseRssMiB } });
    }
    result.insert(QStringLiteral("load_average_end"), loadAverage());
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Indented).constData());
    return 0;
}
