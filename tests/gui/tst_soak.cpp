// Soak: the demo window driven as an operator drives it, for minutes, while the sandbox
// resets every seventh request (`--demo-faults reset,every=7`) and three conversations per
// platform keep answering (as `parley --demo` runs it).
//
// The operator's steps, in an order drawn from a fixed seed: switch workspace, open a
// conversation, F5, type a word in the filter and clear it, open the next conversation.
// Each step waits until the window has answered it (rows, a transcript or an error shown),
// so the run measures the window doing its work, not a queue of clicks.
//
// It fails on
// - any warning Qt itself prints (Parley's own `parley.*` categories log the injected faults
//   and are not counted): `QFormLayout::takeRow: Invalid widget` on every workspace switch
//   was one;
// - the heap growing by more than 10 % between the end of the warm-up and the end of the
//   run, each measured in the same state (the first workspace shown, its first
//   conversation open, the filter empty) after the event loop has settled. The heap is
//   glibc's count of bytes in use (mallinfo2), which, unlike the resident size, goes down
//   when memory is given back.
//
// PARLEY_SOAK_SECONDS sets how long the run is (default 150; the manual soak was
// 600). The ctest label `soak` keeps it out of the sanitizer stage, whose allocator it
// cannot measure.

#include "gui/ConversationRows.h"
#include "gui/GuiFixture.h"

#include "MainWindow.h"
#include "controllers/TranscriptController.h"
#include "models/ConversationListModel.h"
#include "models/WorkspaceModel.h"
#include "session/SessionPool.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QLineEdit>
#include <QMutex>
#include <QRandomGenerator>
#include <QTableView>
#include <QTest>

#include <malloc.h>

#include <memory>

using namespace Qt::StringLiterals;
using namespace parley;
using namespace parley::test;

namespace {

// Qt's own warnings, collected by a message handler while the window runs.
QMutex g_warningsLock;
QStringList g_warnings;
QtMessageHandler g_previousHandler = nullptr;

// The offscreen platform plugin's stand-in for a window manager call that real platforms
// (xcb, wayland) implement: it says so whenever the window's minimum size follows its
// layout (a bar shown or hidden). Not a warning about Parley, and never printed on a desktop.
bool offscreenPluginNote(const QString &text)
{
    return QGuiApplication::platformName() == QLatin1String("offscreen") &&
           text == QLatin1String("This plugin does not support propagateSizeHints()");
}

// Qt 6.4's HTTP reply, when the sandbox resets a connection, can hear of it twice from its
// network thread (a queued second error while the first is being delivered); it keeps the
// first, drops the second and says so under an older class's name. Parley sees one error.
// Seen only under the reset fault, from a posted event inside Qt (gdb: no Parley frame).
bool qtDoubleResetNote(const QString &text)
{
    return text == QLatin1String("QNetworkReplyImplPrivate::error: Internal problem, this "
                                 "method must only be called once.");
}

void collectWarnings(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    const bool parleys = context.category && qstrncmp(context.category, "parley.", 7) == 0;
    if (type >= QtWarningMsg && type != QtInfoMsg && !parleys && !offscreenPluginNote(text) &&
        !qtDoubleResetNote(text)) {
        QMutexLocker lock(&g_warningsLock);
        g_warnings.append(u"%1: %2"_s.arg(QString::fromLatin1(context.category), text));
    }
    if (g_previousHandler)
        g_previousHandler(type, context, text);
}

qint64 heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks) + qint64(info.hblkhd);
}

sandbox::SandboxOptions soakSandbox()
{
    sandbox::SandboxOptions options;
    options.conversations = 60;
    options.live = 3;
    options.faults = u"reset,every=7"_s;
    return options;
}

} // namespace

class TestSoak : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void operatorSteps();

private:
    enum class Step
    {
        SwitchWorkspace,
        OpenConversation,
        Reload,
        Filter,
        NextConversation
    };
    void step(Step step);
    // The same state at every measurement: the first workspace, its first row open, the
    // filter empty, then the event loop left to settle.
    qint64 measureAtRest();
    bool showWorkspace(int row);
    // Waits until the list shows rows or says why it has none (an error, an empty page).
    void awaitList();
    void openRow(int row);
    // A step the window did not answer within kWaitMs: it hung.
    void stalled(const QString &what);
    QTableView *table() const
    {
        return namedChild<QTableView>(m_window.get(), "conversationTable");
    }

    std::unique_ptr<GuiFixture> m_fx;
    std::unique_ptr<sandbox::Sandbox> m_sandbox;
    std::unique_ptr<MainWindow> m_window;
    QList<Workspace> m_workspaces;
    QRandomGenerator m_random{20261207};
    QStringList m_stalls;
};

void TestSoak::initTestCase()
{
    g_previousHandler = qInstallMessageHandler(collectWarnings);
    m_fx = std::make_unique<GuiFixture>();
    m_sandbox = std::make_unique<sandbox::Sandbox>(soakSandbox());
    QString error;
    QVERIFY2(m_sandbox->start(&error), qPrintable(error));
    m_workspaces = DemoWorkspaces::create(*m_sandbox);
    QVERIFY(m_workspaces.size() >= 2);
    for (const Workspace &ws : std::as_const(m_workspaces)) {
        QVERIFY(m_fx->store->add(ws, &error));
        m_fx->keys.holdInMemory(KeyStore::keyName(ws.platform, ws.id), m_sandbox->options().key);
    }
    m_window = std::make_unique<MainWindow>(m_fx->services());
    m_window->reloadWorkspaces();
    m_window->resize(1200, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestSoak::cleanupTestCase()
{
    m_window.reset();
    m_sandbox.reset();
    if (m_fx)
        m_fx->store->removeDemoWorkspaces();
    m_fx.reset();
    qInstallMessageHandler(g_previousHandler);
}

bool TestSoak::showWorkspace(int row)
{
    m_window->selectWorkspace(m_workspaces.at(row).id);
    return m_window->currentWorkspaceId() == m_workspaces.at(row).id;
}

void TestSoak::awaitList()
{
    auto *banner = namedChild<QWidget>(m_window.get(), "conversationListBanner");
    ConversationListModel *model = m_window->conversationModel();
    if (!QTest::qWaitFor([&] { return model->rowCount() > 0 || banner->isVisible(); }, kWaitMs))
        stalled(u"the list showed neither rows nor an error"_s);
}

void TestSoak::stalled(const QString &what)
{
    m_stalls.append(u"%1 (workspace %2)"_s.arg(what, m_window->currentWorkspaceId().toString()));
}

void TestSoak::openRow(int row)
{
    QTableView *view = table();
    if (row >= view->model()->rowCount())
        return;
    const QModelIndex index = view->model()->index(row, 0);
    const QString id = index.data(ConversationListModel::IdRole).toString();
    view->setCurrentIndex(index);
    TranscriptController *transcript = m_window->transcriptController();
    // Loaded or failed: either way the window has answered.
    const bool answered = QTest::qWaitFor(
        [&] {
            return transcript->conversationId() != id || transcript->isLoaded() ||
                   !transcript->isLoading();
        },
        kWaitMs);
    if (!answered)
        stalled(u"conversation %1 neither opened nor failed"_s.arg(id));
}

void TestSoak::step(Step step)
{
    switch (step) {
    case Step::SwitchWorkspace:
        showWorkspace(int(m_random.bounded(qsizetype(m_workspaces.size()))));
        awaitList();
        break;
    case Step::OpenConversation:
        awaitList();
        openRow(int(m_random.bounded(qMax(1, qMin(8, table()->model()->rowCount())))));
        break;
    case Step::Reload:
        QTest::keyClick(m_window.get(), Qt::Key_F5);
        awaitList();
        break;
    case Step::Filter: {
        auto *filter = namedChild<QLineEdit>(m_window.get(), "conversationFilter");
        filter->setFocus();
        QTest::keyClicks(filter, u"re"_s);
        QTest::qWait(50);
        filter->clear();
        break;
    }
    case Step::NextConversation: {
        const int current = table()->currentIndex().row();
        openRow(current + 1);
        break;
    }
    }
}

qint64 TestSoak::measureAtRest()
{
    showWorkspace(0);
    awaitList();
    namedChild<QLineEdit>(m_window.get(), "conversationFilter")->clear();
    openRow(0);
    // Let replies in flight end and deferred deletes run.
    QTest::qWait(1500);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCoreApplication::processEvents();
    malloc_trim(0);
    return heapInUse();
}

void TestSoak::operatorSteps()
{
    bool ok = false;
    const int seconds = qEnvironmentVariableIntValue("PARLEY_SOAK_SECONDS", &ok);
    const qint64 runMs = (ok && seconds > 0 ? seconds : 150) * 1000LL;
    const qint64 warmUpMs = runMs / 4;

    QElapsedTimer clock;
    clock.start();
    int steps = 0;
    while (clock.elapsed() < warmUpMs) {
        step(Step(m_random.bounded(5)));
        ++steps;
    }
    const qint64 warm = measureAtRest();
    while (clock.elapsed() < runMs) {
        step(Step(m_random.bounded(5)));
        ++steps;
    }
    const qint64 end = measureAtRest();

    qInfo("%d operator steps in %lld s; heap in use after warm-up %.1f MB, at the end %.1f MB "
          "(%+.1f %%)",
          steps, clock.elapsed() / 1000, warm / 1e6, end / 1e6, 100.0 * (end - warm) / warm);
    QVERIFY2(
        m_stalls.isEmpty(),
        qPrintable(u"%1 step(s) not answered within %2 s, the first: %3"_s.arg(
            QString::number(m_stalls.size()), QString::number(kWaitMs / 1000), m_stalls.value(0))));
    QVERIFY2(steps > 20, "the window answered too few steps: it stalled");
    QStringList warnings;
    {
        QMutexLocker lock(&g_warningsLock);
        warnings = g_warnings;
    }
    QVERIFY2(warnings.isEmpty(), qPrintable(u"%1 Qt warning(s), the first: %2"_s.arg(
                                     QString::number(warnings.size()), warnings.value(0))));
    QVERIFY2(end <= warm + warm / 10,
             qPrintable(u"the heap grew from %1 to %2 bytes"_s.arg(warm).arg(end)));
}

QTEST_MAIN(TestSoak)
#include "tst_soak.moc"
