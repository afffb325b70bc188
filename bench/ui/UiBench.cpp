// SPDX-License-Identifier: GPL-3.0-or-later
// tenchat-bench-ui: the desktop client's responsiveness with years of history.
//
//   cold_start_ms      unlock done (key derived) -> first frame of the main
//                      window with the conversation list filled
//   open_first_frame_ms open a conversation -> first frame showing its newest page
//   rss_after_scroll_mb resident memory, idle, after scrolling back through
//                      --scroll messages of one conversation
//   switch_ms          switching between two conversations of --conversation
//                      messages each -> first frame (median and max)
//
// The profile (--messages in total, spread over 50 conversations of which two
// hold --conversation each) is created once per size under --dir (kept, so
// later runs measure a warm disk but a cold process, like a real start).
// Key derivation uses the test parameters; its time is not part of cold start.
#include "tenchat/core/store/ProfileStore.h"
#include "tenchat/core/store/Ulid.h"
#include "tenchat/ui/ChatController.h"
#include "tenchat/ui/SessionController.h"
#include "tenchat/ui/TimelineDecorator.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>

#include <algorithm>
#include <cstdio>
#include <functional>

Q_IMPORT_QML_PLUGIN(TenChat_UiPlugin)
Q_IMPORT_QML_PLUGIN(TenChatPlugin)

using namespace tenchat::core::store;
using tenchat::ui::SessionController;

namespace {

const char* kPassphrase = "benchmark passphrase 1";
const QString kConvA = QStringLiteral("bench-a");
const QString kConvB = QStringLiteral("bench-b");

QString createProfile(const QString& dir, int total, int perConversation)
{
    ProfileOptions options;
    options.kdf = tenchat::crypto::Argon2Params::forTests();
    auto created = ProfileStore::create(dir, kPassphrase, options);
    if (!created)
        return created.error().message;
    ProfileStore& store = **created;
    auto& kv = store.keyValues();
    const QByteArray self = QByteArray::fromHex("be0c0000000000000000000000000001");
    (void)kv.setSetting(QStringLiteral("account.relay"), "ws://127.0.0.1:9");
    (void)kv.setSetting(QStringLiteral("account.handle"), "bench");
    (void)kv.setSetting(QStringLiteral("account.userId"), self);
    (void)kv.setSetting(QStringLiteral("account.deviceId"), "1");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const int conversations = 50;
    QStringList ids { kConvA, kConvB };
    for (int i = 2; i < conversations; ++i)
        ids << QStringLiteral("bench-%1").arg(i);
    for (int i = 0; i < ids.size(); ++i) {
        Conversation c;
        c.id = ids[i];
        c.type = i % 5 == 0 ? ConversationType::Group : ConversationType::Direct;
        c.title = QStringLiteral("Conversation %1").arg(i);
        c.createdAt = now - 400LL * 86400000;
        if (auto ok = store.conversations().save(c); !ok)
            return ok.error().message;
        (void)store.conversations().setMember(c.id, QString::fromLatin1(self.toHex()), MemberRole::Owner, c.createdAt);
        (void)store.conversations().setMember(c.id, QStringLiteral("peer%1").arg(i), MemberRole::Member, c.createdAt);
    }
    UlidGenerator ulids;
    const QString lorem = QStringLiteral(
        "The quick brown fox jumps over the lazy dog; **markdown** and a link https://example.org/%1 here.");
    QList<Message> batch;
    qint64 seq = 0;
    const auto flush = [&]() -> QString {
        auto ok = store.messages().insertBatch(batch);
        batch.clear();
        return ok ? QString() : ok.error().message;
    };
    for (int n = 0; n < total; ++n) {
        // The first 2 * perConversation go to A and B, the rest spread out.
        const int conv = n < perConversation ? 0 : n < 2 * perConversation ? 1 : 2 + n % (conversations - 2);
        Message m;
        const qint64 at = now - qint64(total - n) * 60000; // a message a minute
        m.id = ulids.next(quint64(at));
        m.conversationId = ids[conv];
        const bool out = n % 3 == 0;
        m.senderUserId = out ? QString::fromLatin1(self.toHex()) : QStringLiteral("peer%1").arg(conv);
        m.outgoing = out;
        m.serverSeq = ++seq;
        m.sentAt = at;
        m.receivedAt = at;
        m.body = n % 4 == 0 ? lorem.arg(n) : QStringLiteral("Message %1 of the benchmark history.").arg(n);
        m.delivery = DeliveryState::Read;
        m.read = true;
        batch.append(m);
        if (batch.size() == 5000)
            if (QString e = flush(); !e.isEmpty())
                return e;
    }
    if (QString e = flush(); !e.isEmpty())
        return e;
    auto drained = store.indexer().drain();
    return drained ? QString() : drained.error().message;
}

// Runs the event loop until `done` holds (checked after each frame and
// every few ms), or the timeout passes. Returns false on timeout.
bool waitFor(const std::function<bool()>& done, int timeoutMs = 60000)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

// Milliseconds until the window has swapped a frame after `action` and `ready` holds.
double timeToFrame(QQuickWindow* window, const std::function<void()>& action, const std::function<bool()>& ready,
    double* readyMs = nullptr)
{
    bool swapped = false;
    QElapsedTimer timer;
    if (readyMs)
        *readyMs = -1;
    const auto connection = QObject::connect(window, &QQuickWindow::frameSwapped, window, [&] {
        if (ready())
            swapped = true;
    });
    timer.start();
    action();
    window->requestUpdate();
    const bool ok = waitFor([&] {
        if (!swapped && ready()) {
            if (readyMs && *readyMs < 0)
                *readyMs = double(timer.nsecsElapsed()) / 1e6; // the data is there; the frame follows
            window->requestUpdate();
        }
        return swapped;
    });
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    QObject::disconnect(connection);
    return ok ? ms : -1;
}

double residentMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption messages(QStringLiteral("messages"), QStringLiteral("Messages in the profile."),
        QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption perConversation(QStringLiteral("conversation"),
        QStringLiteral("Messages in each of the two switched conversations."), QStringLiteral("N"),
        QStringLiteral("10000"));
    const QCommandLineOption scroll(QStringLiteral("scroll"), QStringLiteral("Messages to scroll through."),
        QStringLiteral("N"), QStringLiteral("5000"));
    const QCommandLineOption switches(QStringLiteral("switches"), QStringLiteral("Conversation switches."),
        QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption dirOption(QStringLiteral("dir"), QStringLiteral("Where the benchmark profiles are kept."),
        QStringLiteral("DIR"), QDir::temp().filePath(QStringLiteral("tenchat-bench-ui")));
    parser.addOptions({ messages, perConversation, scroll, switches, dirOption });
    parser.process(app);
    const int total = parser.value(messages).toInt();
    const int per = std::min(parser.value(perConversation).toInt(), total / 2);
    const int scrollCount = std::min(parser.value(scroll).toInt(), per);

    const QString dir = QDir(parser.value(dirOption)).filePath(QStringLiteral("profile-%1-%2").arg(total).arg(per));
    QElapsedTimer timer;
    timer.start();
    if (!ProfileStore::exists(dir)) {
        QDir().mkpath(dir);
        if (QString error = createProfile(dir, total, per); !error.isEmpty()) {
            std::fprintf(stderr, "tenchat-bench-ui: cannot create the profile: %s\n", qPrintable(error));
            QDir(dir).removeRecursively();
            return 2;
        }
    }
    const double createMs = double(timer.elapsed());

    SessionController session(dir);
    SessionController::setInstance(&session);
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/TenChat/Main.qml")));
    auto* window = engine.rootObjects().isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    if (!window)
        return 2;
    waitFor([&] { return window->isExposed(); });

    // Cold start: unlock; the clock starts when the key is derived (busy
    // drops / the store is open) and stops at the first frame of the main
    // window with its conversation list.
    session.unlock(QString::fromLatin1(kPassphrase));
    if (!waitFor([&] { return session.profileOpen(); }))
        return 2;
    auto* chat = session.chat();
    const double coldMs = timeToFrame(
        window, [] {},
        [&] { return session.state() == SessionController::State::Ready && chat->conversations()->count() >= 50; });

    // Opening a conversation: its newest page on screen.
    const double openMs = timeToFrame(
        window, [&] { chat->openConversation(kConvA); }, [&] { return chat->timeline()->count() > 0; });

    // Scroll back through `scrollCount` messages the way the view does:
    // move to the oldest loaded row, which makes the view load the next page.
    auto* list = window->findChild<QQuickItem*>(QStringLiteral("timeline"));
    if (!list)
        return 2;
    QElapsedTimer scrollTimer;
    scrollTimer.start();
    while (chat->timeline()->count() < scrollCount) {
        const int before = chat->timeline()->count();
        QMetaObject::invokeMethod(list, "positionViewAtEnd"); // the view asks for the next page
        chat->timeline()->fetchOlder(); // (in case it already asked)
        auto* timeline = chat->timeline();
        if (!waitFor(
                [&] { return !timeline->loading() && (timeline->count() > before || !timeline->canFetchOlder()); }))
            break;
        if (chat->timeline()->count() == before)
            break;
    }
    const double scrollMs = double(scrollTimer.elapsed());
    const int scrolled = chat->timeline()->count();
    QMetaObject::invokeMethod(list, "positionViewAtBeginning");
    // Idle: let the view settle, release pooled delegates, then measure.
    QElapsedTimer idle;
    idle.start();
    waitFor([&] { return idle.elapsed() > 1500; });
    const double rss = residentMb();

    // Switching between A and B.
    QList<double> switchMs;
    QList<double> dataMs;
    for (int i = 0; i < parser.value(switches).toInt(); ++i) {
        const QString target = i % 2 == 0 ? kConvB : kConvA;
        double data = -1;
        switchMs << timeToFrame(
            window, [&] { chat->openConversation(target); },
            [&] { return chat->currentConversationId() == target && chat->timeline()->count() > 0; }, &data);
        dataMs << data;
    }
    std::sort(dataMs.begin(), dataMs.end());
    std::sort(switchMs.begin(), switchMs.end());
    const double median = switchMs.isEmpty() ? 0 : switchMs[switchMs.size() / 2];
    const double worst = switchMs.isEmpty() ? 0 : switchMs.last();

    QJsonObject out {
        { QStringLiteral("benchmark"), QStringLiteral("ui") },
        { QStringLiteral("profile_messages"), total },
        { QStringLiteral("conversation_messages"), per },
        { QStringLiteral("profile_create_ms"), createMs },
        { QStringLiteral("cold_start_ms"), coldMs },
        { QStringLiteral("open_first_frame_ms"), openMs },
        { QStringLiteral("scrolled_messages"), scrolled },
        { QStringLiteral("scroll_ms"), scrollMs },
        { QStringLiteral("rss_after_scroll_mb"), rss },
        { QStringLiteral("switch_median_ms"), median },
        { QStringLiteral("switch_max_ms"), worst },
        { QStringLiteral("switch_data_median_ms"), dataMs.isEmpty() ? 0 : dataMs[dataMs.size() / 2] },
        { QStringLiteral("targets"),
            QJsonObject { { QStringLiteral("cold_start_ms"), 1000 }, { QStringLiteral("rss_after_scroll_mb"), 150 },
                { QStringLiteral("switch_ms"), 100 } } },
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    SessionController::setInstance(nullptr);
    const bool sane = coldMs >= 0 && openMs >= 0 && scrolled >= scrollCount && median >= 0;
    return sane ? 0 : 1;
}
