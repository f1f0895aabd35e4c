// The transcript offscreen: a turn that answers another names it in its header, and a click
// on that mention selects the turn it answers and scrolls to it; a fragment still being
// written inside a turn that has ended is marked as cut off.

#include "TranscriptDelegate.h"
#include "TranscriptRowLayout.h"
#include "TranscriptView.h"
#include "models/TranscriptModel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QListView>
#include <QTest>
#include <QTextDocument>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

Turn textTurn(const QString &id, Turn::Role role, const QString &text,
              const QString &inReplyTo = {})
{
    Turn t;
    t.id = id;
    t.role = role;
    t.inReplyTo = inReplyTo;
    t.timestamp = QDateTime(QDate(2026, 5, 1), QTime(9, 0), Qt::UTC);
    Fragment f;
    f.text = text;
    t.fragments << f;
    return t;
}

// The texts of the layout's state lines that belong to a fragment (not the turn's own).
QStringList fragmentMarks(const TranscriptRowLayout &layout)
{
    QStringList out;
    for (const TranscriptRowLayout::Block &b : layout.blocks) {
        if (b.kind == TranscriptRowLayout::BlockKind::State && b.fragment >= 0 && b.doc)
            out << b.doc->toPlainText();
    }
    return out;
}

} // namespace

class TstTranscriptReplies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void answerNamesItsQuestionAndAClickGoesThere();
    void answerToATurnNotLoadedIsNoLink();
    void fragmentCutOffInAStoppedTurnIsMarked();

private:
    std::unique_ptr<TranscriptModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<TranscriptView> m_view;
};

void TstTranscriptReplies::init()
{
    m_model = std::make_unique<TranscriptModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_view = std::make_unique<TranscriptView>();
    TranscriptModel *model = m_model.get();
    m_view->setModel(model, [model](const QModelIndex &i) { return model->turn(i); });
    m_view->resize(520, 360);
}

void TstTranscriptReplies::cleanup()
{
    m_view.reset();
    m_tester.reset();
    m_model.reset();
}

void TstTranscriptReplies::answerNamesItsQuestionAndAClickGoesThere()
{
    // The question at the top, many turns, and its answer at the bottom: far out of sight.
    ConversationDetail detail;
    detail.summary.id = u"c1"_s;
    detail.turns << textTurn(u"q"_s, Turn::Role::User, u"Where is my invoice?"_s);
    for (int i = 0; i < 40; ++i)
        detail.turns << textTurn(u"n%1"_s.arg(i), Turn::Role::System, u"Note %1"_s.arg(i));
    detail.turns << textTurn(u"a"_s, Turn::Role::Assistant, u"It was sent on Monday."_s, u"q"_s);
    m_model->setDetail(detail);
    m_view->showDetail(detail);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));

    QListView *list = m_view->list();
    TranscriptDelegate *delegate = m_view->delegate();
    const QModelIndex answer = m_model->index(m_model->rowCount() - 1, 0);
    QCOMPARE(delegate->repliedTo(answer), m_model->index(0, 0));
    QVERIFY(!delegate->repliedTo(m_model->index(1, 0)).isValid()); // answers nothing

    list->scrollTo(answer);
    QTRY_VERIFY(list->viewport()->rect().intersects(list->visualRect(answer)));
    QVERIFY(!list->viewport()->rect().intersects(list->visualRect(m_model->index(0, 0))));
    const QRect link = delegate->replyLinkRect(answer);
    QVERIFY2(!link.isEmpty(), "the answer does not name its question");
    QVERIFY(list->visualRect(answer).contains(link));

    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, link.center());
    QCOMPARE(list->currentIndex().row(), 0);
    QTRY_VERIFY(list->viewport()->rect().intersects(list->visualRect(m_model->index(0, 0))));
    // A click elsewhere in the answer selects the answer, as before.
    list->scrollTo(answer);
    QTRY_VERIFY(list->viewport()->rect().intersects(list->visualRect(answer)));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                      list->visualRect(answer).bottomLeft() + QPoint(40, -6));
    QCOMPARE(list->currentIndex(), answer);
}

void TstTranscriptReplies::answerToATurnNotLoadedIsNoLink()
{
    ConversationDetail detail;
    detail.turns << textTurn(u"a"_s, Turn::Role::Assistant, u"Answer"_s, u"gone"_s);
    m_model->setDetail(detail);
    m_view->showDetail(detail);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    const QModelIndex answer = m_model->index(0, 0);
    QVERIFY(!m_view->delegate()->repliedTo(answer).isValid());
    QVERIFY(m_view->delegate()->replyLinkRect(answer).isEmpty());
}

void TstTranscriptReplies::fragmentCutOffInAStoppedTurnIsMarked()
{
    Turn stopped = textTurn(u"s"_s, Turn::Role::Assistant, u"The total is"_s);
    stopped.fragments[0].inProgress = true;
    stopped.state = Turn::State::Stopped;
    TranscriptRowLayout::Style style;
    style.font = QApplication::font();
    style.monoFont = style.font;
    const QStringList marks = fragmentMarks(TranscriptRowLayout::build(stopped, 400, 0, style));
    QCOMPARE(marks.size(), 1);
    QVERIFY2(marks.constFirst().contains(u"Cut off"_s), qPrintable(marks.constFirst()));

    // Still running: the turn's own "In progress…" says it, no mark.
    Turn running = stopped;
    running.state = Turn::State::InProgress;
    QVERIFY(fragmentMarks(TranscriptRowLayout::build(running, 400, 0, style)).isEmpty());
    // A finished fragment in a stopped turn: no mark.
    Turn finished = stopped;
    finished.fragments[0].inProgress = false;
    QVERIFY(fragmentMarks(TranscriptRowLayout::build(finished, 400, 0, style)).isEmpty());
}

QTEST_MAIN(TstTranscriptReplies)
#include "tst_transcript_replies.moc"
