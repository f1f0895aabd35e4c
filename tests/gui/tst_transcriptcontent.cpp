// The transcript pane with structured content, from the PostHog emulation's showcase read
// by the real mapping: a plan's steps and tasks with their status marks, a chart's question
// and plan, a notebook's text, a message Parley could not read (its place kept, the rest
// shown), and Show Raw JSON (the row's context menu and Ctrl+Shift+J) opening the message as
// received, disabled with a reason where a turn has none.
#include "RawJsonDialog.h"
#include "TranscriptRowLayout.h"
#include "TranscriptView.h"
#include "models/TranscriptModel.h"
#include "providers/posthog/PosthogMapping.h"
#include "sandbox/posthog/PosthogSandboxData.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QContextMenuEvent>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPlainTextEdit>
#include <QTest>
#include <QTextDocument>
#include <QTimer>

#include <memory>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

Turn textTurn(const QString &id, Turn::Role role, const QString &text)
{
    Turn t;
    t.id = id;
    t.role = role;
    Fragment f;
    f.text = text;
    t.fragments.append(f);
    return t;
}

} // namespace

class TstTranscriptContent : public QObject
{
    Q_OBJECT

private:
    // The showcase conversation (the newest of every PostHog data set), read as Parley
    // reads the platform's answer, then a message typed here and one it could not read.
    static ConversationDetail transcript()
    {
        const sandbox::PosthogSandboxData data(42, 6);
        const QByteArray body = QJsonDocument(data.detail(data.indexAtPosition(0))).toJson();
        const auto r = posthog::parseConversation(body);
        if (!r.ok())
            return {};
        ConversationDetail d = r.value();
        d.turns.append(textTurn(u"local-1"_s, Turn::Role::User, u"Typed here"_s));
        Turn odd;
        odd.id = u"m-odd"_s;
        odd.typeLabel = u"ai/viz"_s;
        odd.unreadable = u"field 'query' is a number, expected text"_s;
        odd.raw = R"({"type":"ai/viz","id":"m-odd","query":7})";
        d.turns.append(odd);
        d.turns.append(textTurn(u"a-after"_s, Turn::Role::Assistant, u"Still here"_s));
        return d;
    }

    int rowOf(const QString &id) const { return m_model->rowOfId(id); }

    int rowOfType(const QString &type) const
    {
        for (int row = 0; row < m_model->rowCount(); ++row) {
            if (m_model->turnAt(row)->typeLabel == type)
                return row;
        }
        return -1;
    }

    // Each block of a turn's layout as the text it shows, with its colour.
    struct Shown
    {
        TranscriptRowLayout::BlockKind kind;
        QString text;
        QColor color;
    };
    QList<Shown> shown(int row) const
    {
        TranscriptRowLayout::Style style;
        style.font = m_view->font();
        style.monoFont = m_view->font();
        const TranscriptRowLayout layout =
            TranscriptRowLayout::build(*m_model->turnAt(row), 700, 0, style);
        QList<Shown> out;
        for (const TranscriptRowLayout::Block &b : layout.blocks)
            out.append({b.kind, b.doc ? b.doc->toPlainText() : QString(), b.color});
        return out;
    }

    QStringList texts(int row) const
    {
        QStringList out;
        for (const Shown &s : shown(row))
            out << s.text;
        return out;
    }

    void select(int row)
    {
        m_view->list()->setCurrentIndex(m_model->index(row));
        m_view->list()->setFocus();
    }

    RawJsonDialog *openDialog() const { return m_view->findChild<RawJsonDialog *>(); }

private slots:
    void init()
    {
        m_model = new TranscriptModel(this);
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_view = new TranscriptView;
        m_view->resize(760, 640);
        m_view->setModel(m_model, [this](const QModelIndex &i) { return m_model->turn(i); });
        const ConversationDetail d = transcript();
        QVERIFY(d.turns.size() > 6);
        m_model->setDetail(d);
        m_view->showDetail(d);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view));
    }

    void cleanup()
    {
        delete m_view;
        m_tester.reset();
        delete m_model;
    }

    void stepsAndTasksShowTheirStatus()
    {
        const int plan = rowOfType(u"ai/planning"_s);
        QVERIFY(plan >= 0);
        QCOMPARE(
            texts(plan),
            (QStringList{u"✓  Find the events that mark a signup"_s, u"✓  Chart weekly signups"_s,
                         u"▶  Build the signup-to-purchase funnel — in progress"_s,
                         u"○  Write the findings up in a notebook — pending"_s}));
        const QList<Shown> steps = shown(plan);
        QCOMPARE(steps.at(0).color, QColor(0x2e, 0x8b, 0x57));
        QCOMPARE(steps.at(2).color, QColor(0x2f, 0x6f, 0xdb));

        const int tasks = rowOfType(u"ai/task_execution"_s);
        QVERIFY(tasks >= 0);
        const QStringList t = texts(tasks);
        const qsizetype failed = t.indexOf(u"✗  Signups by referring domain — failed"_s);
        QVERIFY2(failed >= 0, qPrintable(t.join(u" | "_s)));
        QCOMPARE(shown(tasks).at(failed).color, QColor(0xc9, 0x37, 0x2c));
        QCOMPARE(t.at(failed + 1), u"Prompt: Break weekly signups down by $referring_domain."_s);
        QCOMPARE(t.at(failed + 2),
                 u"Progress: The property '$referring_domain' has no values in this period."_s);
    }

    void chartShowsQuestionPlanAndQuery()
    {
        const int viz = rowOfType(u"ai/viz"_s);
        QVERIFY(viz >= 0);
        QCOMPARE(texts(viz),
                 (QStringList{u"Question: Weekly signups over the last 90 days"_s,
                              u"Plan: Series: 'user signed up', total count\nInterval: week"
                              u"\nDate range: last 90 days"_s,
                              u"Query kind: TrendsQuery"_s}));
        const int multi = rowOfType(u"ai/multi_viz"_s);
        QVERIFY(multi >= 0);
        QVERIFY(texts(multi).first().contains(u"the country split"_s));
        QVERIFY(texts(multi).last().startsWith(u"SQL:"_s));
    }

    void notebookReadsAsText()
    {
        const int notebook = rowOfType(u"ai/notebook"_s);
        QVERIFY(notebook >= 0);
        const QStringList t = texts(notebook);
        QCOMPARE(t.size(), 2);
        QCOMPARE(t.at(0), u"Notebook ID: nb-signups-q2"_s);
        // Rendered, not shown as markdown source: headings and list marks are formatting.
        const QString text = t.at(1);
        QVERIFY2(text.contains(u"Signups, last quarter"_s), qPrintable(text));
        QVERIFY(text.contains(u"Weekly signups rose from 410 to 484."_s));
        QVERIFY(text.contains(u"[ph-query: Weekly signups, last 90 days]"_s));
        QVERIFY(text.contains(u"GROUP BY country"_s));
        QVERIFY(!text.contains(u"# Signups"_s));
        QVERIFY(!text.contains(u"- Weekly"_s));
    }

    void unreadableTurnSaysWhatAndWhy()
    {
        const int odd = rowOf(u"m-odd"_s);
        QVERIFY(odd >= 0);
        const QList<Shown> s = shown(odd);
        QCOMPARE(s.size(), 1);
        QCOMPARE(s.at(0).kind, TranscriptRowLayout::BlockKind::State);
        QCOMPARE(s.at(0).text, u"Unreadable ai/viz: field 'query' is a number, expected text"_s);
        // The rest renders around it.
        QCOMPARE(texts(rowOf(u"a-after"_s)), QStringList{u"Still here"_s});
        QVERIFY(m_view->list()->visualRect(m_model->index(odd)).height() > 0);
        // Its raw JSON is one shortcut away too.
        select(odd);
        QVERIFY(m_view->showRawAction()->isEnabled());
    }

    void showRawJsonByShortcut()
    {
        const int viz = rowOfType(u"ai/viz"_s);
        select(viz);
        QVERIFY(m_view->showRawAction()->isEnabled());
        QTest::keyClick(m_view->list(), Qt::Key_J, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(openDialog() && openDialog()->isVisible());
        RawJsonDialog *dialog = openDialog();

        const QJsonDocument raw = QJsonDocument::fromJson(m_model->turnAt(viz)->raw);
        QVERIFY(raw.isObject());
        QCOMPARE(dialog->text()->toPlainText(),
                 QString::fromUtf8(raw.toJson(QJsonDocument::Indented)).trimmed());
        QVERIFY(dialog->text()->isReadOnly());
        QVERIFY(QFontInfo(dialog->text()->font()).fixedPitch());
        QVERIFY(dialog->windowTitle().contains(m_model->turnAt(viz)->id));

        dialog->findField()->setText(u"TrendsQuery"_s);
        QCOMPARE(dialog->text()->textCursor().selectedText(), u"TrendsQuery"_s);
        const int first = dialog->text()->textCursor().position();
        QVERIFY(dialog->findNext()); // one match: wraps around to itself
        QCOMPARE(dialog->text()->textCursor().position(), first);
        dialog->findField()->setText(u"no such thing"_s);
        QCOMPARE(dialog->findChild<QLabel *>(u"rawJsonFindStatus"_s)->text(), u"Not found"_s);
        dialog->close();
        QTRY_VERIFY(!openDialog()); // deleted on close
    }

    void showRawJsonIsOffWithoutRawJson()
    {
        select(rowOf(u"local-1"_s));
        QVERIFY(!m_view->showRawAction()->isEnabled());
        QVERIFY(m_view->showRawAction()->toolTip().contains(u"no raw JSON"_s));
        QTest::keyClick(m_view->list(), Qt::Key_J, Qt::ControlModifier | Qt::ShiftModifier);
        m_view->showRawJson();
        QVERIFY(!openDialog());
    }

    void contextMenuOffersShowRawJson()
    {
        const int viz = rowOfType(u"ai/viz"_s);
        m_view->list()->scrollTo(m_model->index(viz));
        const QPoint at = m_view->list()->visualRect(m_model->index(viz)).center();
        QList<QAction *> offered;
        bool tips = false;
        QTimer::singleShot(0, this, [&] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            if (!menu)
                return;
            offered = menu->actions();
            tips = menu->toolTipsVisible();
            menu->close();
        });
        QContextMenuEvent event(QContextMenuEvent::Mouse, at,
                                m_view->list()->viewport()->mapToGlobal(at));
        QApplication::sendEvent(m_view->list()->viewport(), &event);
        QCOMPARE(offered, QList<QAction *>{m_view->showRawAction()});
        QVERIFY(tips);
        QCOMPARE(m_view->list()->currentIndex().row(), viz); // the row clicked is the one
    }

private:
    TranscriptModel *m_model = nullptr;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    TranscriptView *m_view = nullptr;
};

QTEST_MAIN(TstTranscriptContent)
#include "tst_transcriptcontent.moc"
