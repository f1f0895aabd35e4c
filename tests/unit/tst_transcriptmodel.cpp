#include "controllers/TranscriptController.h"
#include "models/TranscriptModel.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parley;
using parley::test::ScriptedProvider;

namespace {

// A controller that has begun opening "a" (three turns) through a provider holding its
// answers until released; its model under a tester.
struct OpeningHeld
{
    ScriptedProvider provider;
    TranscriptController controller;
    QAbstractItemModelTester tester{controller.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest};

    OpeningHeld()
    {
        provider.details.insert(u"a"_s, test::makeDetail(u"a"_s, 3));
        provider.holdReplies = true;
        controller.setProvider(&provider);
        controller.open(u"a"_s);
    }
};

} // namespace

class TestTranscriptModel : public QObject
{
    Q_OBJECT

private slots:
    void emptyModel();
    void setDetailIsOneReset_data();
    void setDetailIsOneReset();
    void roles();
    void turnAccessors();
    void appendAndUpdateTurns();
    void upsertTurn();
    void clearForgetsEverything();
    void noTranscriptNote();

    void controllerLoadsDetail();
    void controllerErrorThenRetry();
    void controllerDropsStaleDetail();
    void controllerReopenSameIdDoesNotRefetch();
    void controllerReloadKeepsTurnsUntilAnswer();
    void controllerWithoutProvider();
    void controllerProviderDestroyed();
};

void TestTranscriptModel::emptyModel()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.turnAt(0), nullptr);
    QCOMPARE(model.rowOfId(u"x"_s), -1);
    QVERIFY(!model.updateTurn(u"x"_s, Turn{}));
    QVERIFY(model.hasTranscript());
}

void TestTranscriptModel::setDetailIsOneReset_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("turns");
    QTest::addColumn<QString>("lastTurnId");
    QTest::newRow("12 turns") << u"c1"_s << 12 << u"turn-00011"_s;
    // 10,000 turns arrive as one reset too; speed is measured in tests/bench, not here.
    QTest::newRow("10,000 turns") << u"big"_s << 10000 << u"turn-09999"_s;
}

void TestTranscriptModel::setDetailIsOneReset()
{
    QFETCH(QString, id);
    QFETCH(int, turns);
    QFETCH(QString, lastTurnId);
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy detail(&model, &TranscriptModel::detailChanged);
    model.setDetail(test::makeDetail(id, turns));
    QCOMPARE(reset.size(), 1);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(detail.size(), 1);
    QCOMPARE(model.rowCount(), turns);
    QCOMPARE(model.summary().id, id);
    QCOMPARE(model.properties().size(), 1);
    QCOMPARE(model.turns().size(), turns);
    QCOMPARE(model.turnAt(turns - 1)->id, lastTurnId);
    QCOMPARE(model.rowOfId(lastTurnId), turns - 1);
}

void TestTranscriptModel::roles()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ConversationDetail d = test::makeDetail(u"c1"_s, 6);
    d.turns[3].state = Turn::State::Error;
    d.turns[3].errorDetail = u"the tool timed out"_s;
    model.setDetail(d);

    const QModelIndex user = model.index(0, 0);
    const QModelIndex tool = model.index(4, 0); // turn 4 has a tool call and a tool result
    const QModelIndex failed = model.index(3, 0);
    using M = TranscriptModel;

    QCOMPARE(model.data(user, M::RoleRole).toString(), u"user"_s);
    QCOMPARE(model.data(failed, M::RoleRole).toString(), u"assistant"_s);
    QCOMPARE(model.data(user, M::TimeRole).toDateTime(), d.turns.at(0).timestamp);
    QCOMPARE(model.data(user, M::TextRole).toString(), d.turns.at(0).plainText());
    QCOMPARE(model.data(user, Qt::DisplayRole).toString(), d.turns.at(0).plainText());
    QCOMPARE(model.data(user, M::StateRole).toString(), u"done"_s);
    QCOMPARE(model.data(failed, M::StateRole).toString(), u"error"_s);
    QCOMPARE(model.data(failed, M::ErrorRole).toString(), u"the tool timed out"_s);
    QVERIFY(model.data(failed, Qt::ToolTipRole).toString().contains(u"the tool timed out"_s));
    QCOMPARE(model.data(tool, M::ReplyToRole).toString(), u"turn-00003"_s);
    QCOMPARE(model.data(user, M::TypeLabelRole).toString(), u"human"_s);
    QCOMPARE(model.data(tool, M::IdRole).toString(), u"turn-00004"_s);

    const auto fragments = model.data(tool, M::FragmentsRole).value<QList<Fragment>>();
    QCOMPARE(fragments.size(), 3);
    QCOMPARE(fragments.at(1).kind, Fragment::Kind::ToolCall);
    QCOMPARE(fragments.at(1).name, u"run_query"_s);
    QCOMPARE(fragments.at(2).kind, Fragment::Kind::ToolResult);
    QCOMPARE(fragments.at(2).callId, fragments.at(1).callId);

    const QVariant whole = model.data(tool, M::TurnRole);
    QVERIFY(whole.canConvert<Turn>());
    const Turn t = whole.value<Turn>();
    QCOMPARE(t.id, u"turn-00004"_s);
    QCOMPARE(t.fragments.size(), 3);
    QCOMPARE(t.role, Turn::Role::User);

    QVERIFY(!model.data(model.index(99, 0), M::TextRole).isValid());
    QVERIFY(model.roleNames().contains(M::FragmentsRole));
}

void TestTranscriptModel::turnAccessors()
{
    TranscriptModel model;
    model.setDetail(test::makeDetail(u"c1"_s, 3));
    QCOMPARE(model.turnAt(2)->id, u"turn-00002"_s);
    QCOMPARE(model.turn(model.index(1, 0))->id, u"turn-00001"_s);
    QCOMPARE(model.turn(QModelIndex()), nullptr);
    TranscriptModel other;
    other.setDetail(test::makeDetail(u"c2"_s, 3));
    QCOMPARE(model.turn(other.index(0, 0)), nullptr); // an index of another model
    QCOMPARE(model.rowOfId(u"turn-00001"_s), 1);
    QCOMPARE(model.rowOfId(QString()), -1);
}

void TestTranscriptModel::appendAndUpdateTurns()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDetail(test::makeDetail(u"c1"_s, 2));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    Turn draft = test::makeTurn(2);
    draft.id = u"draft"_s;
    draft.state = Turn::State::InProgress;
    draft.fragments = {Fragment{Fragment::Kind::Text, u"Hel"_s, {}, {}, false, true}};
    model.appendTurn(draft);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 2);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.data(model.index(2, 0), TranscriptModel::StateRole).toString(),
             u"in-progress"_s);

    draft.fragments[0].text = u"Hello"_s;
    QVERIFY(model.updateTurn(u"draft"_s, draft));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
    QCOMPARE(model.data(model.index(2, 0), TranscriptModel::TextRole).toString(), u"Hello"_s);

    // The final message replaces its draft and brings its own id.
    Turn final = draft;
    final.id = u"msg-final"_s;
    final.state = Turn::State::Done;
    final.fragments[0].text = u"Hello there"_s;
    QVERIFY(model.updateTurn(u"draft"_s, final));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOfId(u"draft"_s), -1);
    QCOMPARE(model.rowOfId(u"msg-final"_s), 2);
    QCOMPARE(model.turnAt(2)->plainText(), u"Hello there"_s);
    QVERIFY(!model.updateTurn(u"draft"_s, final));
    QCOMPARE(inserted.size(), 1);
}

void TestTranscriptModel::upsertTurn()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Turn t = test::makeTurn(0);
    model.upsertTurn(t);
    QCOMPARE(model.rowCount(), 1);
    t.fragments[0].text = u"changed"_s;
    model.upsertTurn(t);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.turnAt(0)->plainText(), u"changed"_s);
    Turn anonymous; // no id: always a new row
    model.upsertTurn(anonymous);
    model.upsertTurn(anonymous);
    QCOMPARE(model.rowCount(), 3);
}

void TestTranscriptModel::clearForgetsEverything()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDetail(test::makeDetail(u"c1"_s, 5));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.summary().id.isEmpty());
    QVERIFY(model.properties().isEmpty());
}

void TestTranscriptModel::noTranscriptNote()
{
    TranscriptModel model;
    ConversationDetail d = test::makeDetail(u"c1"_s, 0);
    d.hasTranscript = false;
    d.transcriptNote = u"This platform has no transcript endpoint."_s;
    model.setDetail(d);
    QVERIFY(!model.hasTranscript());
    QCOMPARE(model.property("transcriptNote").toString(), d.transcriptNote);
    model.clear();
    QVERIFY(model.hasTranscript());
}

// --- TranscriptController ---

void TestTranscriptModel::controllerLoadsDetail()
{
    ScriptedProvider provider;
    provider.details.insert(u"c1"_s, test::makeDetail(u"c1"_s, 4));
    TranscriptController controller;
    QAbstractItemModelTester tester(controller.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    controller.setProvider(&provider);
    QSignalSpy loaded(&controller, &TranscriptController::loaded);

    controller.open(u"c1"_s);
    QVERIFY(controller.isLoading());
    QVERIFY(!controller.isLoaded());
    QCOMPARE(controller.conversationId(), u"c1"_s);
    QCOMPARE(provider.detailCalls, QStringList{u"c1"_s});
    QVERIFY(loaded.wait());
    QCOMPARE(loaded.at(0).at(0).toString(), u"c1"_s);
    QVERIFY(!controller.isLoading());
    QVERIFY(controller.isLoaded());
    QCOMPARE(controller.model()->rowCount(), 4);
    QCOMPARE(controller.model()->summary().id, u"c1"_s);

    controller.close();
    QCOMPARE(controller.model()->rowCount(), 0);
    QVERIFY(controller.conversationId().isEmpty());
    QCOMPARE(provider.detailCalls.size(), 1);
}

void TestTranscriptModel::controllerErrorThenRetry()
{
    ScriptedProvider provider;
    provider.details.insert(u"c1"_s, test::makeDetail(u"c1"_s, 4));
    TranscriptController controller;
    controller.setProvider(&provider);

    provider.failNext(ApiError::make(ApiError::Kind::Timeout));
    controller.open(u"c1"_s);
    QTRY_VERIFY(!controller.isLoading());
    QCOMPARE(controller.error().kind, ApiError::Kind::Timeout);
    QCOMPARE(controller.model()->rowCount(), 0);
    QVERIFY(!controller.isLoaded());

    controller.retry();
    QVERIFY(!controller.error().isError());
    QVERIFY(controller.isLoading());
    QTRY_VERIFY(controller.isLoaded());
    QCOMPARE(controller.model()->rowCount(), 4);
    QCOMPARE(provider.detailCalls.size(), 2);

    controller.retry(); // no error: nothing
    QCOMPARE(provider.detailCalls.size(), 2);

    controller.open(u"missing"_s);
    QTRY_VERIFY(!controller.isLoading());
    QCOMPARE(controller.error().kind, ApiError::Kind::NotFound);
}

void TestTranscriptModel::controllerDropsStaleDetail()
{
    ScriptedProvider provider;
    provider.details.insert(u"a"_s, test::makeDetail(u"a"_s, 3));
    provider.details.insert(u"b"_s, test::makeDetail(u"b"_s, 5));
    provider.holdReplies = true;
    provider.ignoreCancel = true;
    TranscriptController controller;
    QAbstractItemModelTester tester(controller.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    controller.setProvider(&provider);

    controller.open(u"a"_s);
    controller.open(u"b"_s); // the user moved on before "a" arrived
    QCOMPARE(provider.canceledCount, 1);
    QCOMPARE(provider.pendingCount(), 2);

    QVERIFY(provider.release(0)); // "a" arrives late
    QCOMPARE(controller.model()->rowCount(), 0);
    QVERIFY(controller.isLoading());
    QVERIFY(provider.release(0));
    QVERIFY(controller.isLoaded());
    QCOMPARE(controller.model()->summary().id, u"b"_s);
    QCOMPARE(controller.model()->rowCount(), 5);
}

void TestTranscriptModel::controllerReopenSameIdDoesNotRefetch()
{
    OpeningHeld held;
    auto &[provider, controller, tester] = held;
    controller.open(u"a"_s); // loading
    QCOMPARE(provider.detailCalls.size(), 1);
    provider.releaseAll();
    controller.open(u"a"_s); // loaded
    QCOMPARE(provider.detailCalls.size(), 1);
}

void TestTranscriptModel::controllerReloadKeepsTurnsUntilAnswer()
{
    OpeningHeld held;
    auto &[provider, controller, tester] = held;
    provider.releaseAll();
    QCOMPARE(controller.model()->rowCount(), 3);

    provider.details.insert(u"a"_s, test::makeDetail(u"a"_s, 6));
    controller.reload();
    QVERIFY(controller.isLoading());
    QCOMPARE(controller.model()->rowCount(), 3);
    provider.releaseAll();
    QCOMPARE(controller.model()->rowCount(), 6);
    QCOMPARE(provider.detailCalls.size(), 2);
}

void TestTranscriptModel::controllerWithoutProvider()
{
    TranscriptController controller;
    controller.open(u"a"_s);
    QVERIFY(!controller.isLoading());
    QCOMPARE(controller.error().kind, ApiError::Kind::Config);
    controller.retry();
    QVERIFY(!controller.isLoading());
}

void TestTranscriptModel::controllerProviderDestroyed()
{
    auto provider = std::make_unique<ScriptedProvider>();
    provider->details.insert(u"a"_s, test::makeDetail(u"a"_s, 3));
    provider->holdReplies = true;
    TranscriptController controller;
    controller.setProvider(provider.get());
    controller.open(u"a"_s);
    QVERIFY(controller.isLoading());
    provider.reset();
    QCOMPARE(controller.provider(), nullptr);
    QVERIFY(!controller.isLoading());
    QVERIFY(controller.conversationId().isEmpty());
    QCOMPARE(controller.model()->rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestTranscriptModel)
#include "tst_transcriptmodel.moc"
