#include "TranscriptBench.h"

#include "EventWait.h"
#include "Heap.h"
#include "Stats.h"
#include "controllers/TranscriptController.h"
#include "models/TranscriptModel.h"
#include "providers/ProviderRegistry.h"
#include "providers/posthog/PosthogMapping.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/posthog/PosthogSandboxData.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace parley::bench {

namespace {

constexpr double kTranscriptBudgetMs = 150;
constexpr int kFirstScreenRows = 40; // a tall window shows fewer turns than this

// What a view asks for the rows it shows first.
void touchFirstScreen(const TranscriptModel &model)
{
    const int rows = qMin(kFirstScreenRows, model.rowCount());
    for (int row = 0; row < rows; ++row) {
        const QModelIndex index = model.index(row, 0);
        model.data(index, Qt::DisplayRole);
        model.data(index, TranscriptModel::RoleRole);
        model.data(index, TranscriptModel::TimeRole);
        model.data(index, TranscriptModel::StateRole);
        model.data(index, TranscriptModel::TypeLabelRole);
        model.turnAt(row);
    }
}

QString turnsLabel(int turns)
{
    return QLocale::c().toString(turns) + u"-turn transcript"_s;
}

} // namespace

QByteArray makePosthogTranscript(int messages, quint32 seed)
{
    const sandbox::PosthogSandboxData data(seed, 100000);
    QJsonObject conversation = data.detail(0);
    QJsonArray all;
    for (int index = 0; all.size() < messages && index < data.count(); ++index) {
        const QJsonArray part = data.detail(index).value(u"messages"_s).toArray();
        for (const QJsonValue &m : part) {
            if (all.size() == messages)
                break;
            all.append(m);
        }
    }
    conversation.insert(u"id"_s, u"bench-transcript"_s);
    conversation.insert(u"status"_s, u"idle"_s);
    conversation.insert(u"messages"_s, all);
    return QJsonDocument(conversation).toJson(QJsonDocument::Compact);
}

void benchTranscriptModel(const QByteArray &body, int turns, int runs, BenchTable &table)
{
    const QString label = turnsLabel(turns);
    const int n = qMax(runs, 5);

    QList<double> parse;
    ConversationDetail detail;
    qint64 detailBytes = -1;
    for (int i = 0; i < n; ++i) {
        const qint64 heapBefore = heapInUse();
        QElapsedTimer t;
        t.start();
        Result<ConversationDetail> result = posthog::parseConversation(body);
        parse << double(t.nsecsElapsed()) / 1e6;
        if (!result.ok()) {
            table.addFailure(label + u": parse"_s, result.error().message());
            return;
        }
        if (heapBefore >= 0)
            detailBytes = heapInUse() - heapBefore;
        detail = std::move(result).value();
    }
    if (detail.turns.size() != turns)
        table.addNote(
            u"the %1-message body parsed into %2 turns"_s.arg(turns).arg(detail.turns.size()));

    QList<double> model;
    QList<double> allRows;
    for (int i = 0; i < n; ++i) {
        TranscriptModel m;
        ConversationDetail copy = detail;
        QElapsedTimer t;
        t.start();
        m.setDetail(std::move(copy));
        touchFirstScreen(m);
        model << double(t.nsecsElapsed()) / 1e6;

        t.restart();
        for (int row = 0; row < m.rowCount(); ++row)
            m.data(m.index(row, 0), Qt::DisplayRole);
        allRows << double(t.nsecsElapsed()) / 1e6;
    }

    const Stats p = Stats::of(parse);
    const Stats m = Stats::of(model);
    const Stats a = Stats::of(allRows);
    table.addBudget(label + u": parse (PosthogMapping)"_s, p.median, u"ms"_s, kTranscriptBudgetMs,
                    u"%1 KB body, median of %2, worst %3; runs on a worker thread in the app"_s
                        .arg(body.size() / 1024)
                        .arg(n)
                        .arg(BenchTable::number(p.max, u"ms"_s)));
    table.addBudget(
        label + u": setDetail + first screen"_s, m.median, u"ms"_s, kTranscriptBudgetMs,
        u"TranscriptModel, data() for %1 rows; the GUI thread's share"_s.arg(kFirstScreenRows));
    table.addBudget(label + u": parse + model"_s, p.median + m.median, u"ms"_s, kTranscriptBudgetMs,
                    u"sum of the two medians"_s);
    table.addInfo(label + u": data() of every row"_s, BenchTable::number(a.median, u"ms"_s),
                  u"DisplayRole x %1 (what a view without uniform heights would ask)"_s.arg(turns));
    if (detailBytes >= 0 && turns > 0)
        table.addInfo(label + u": memory per turn"_s,
                      BenchTable::number(double(detailBytes) / turns, u"B"_s),
                      u"the parsed ConversationDetail, heap delta"_s);
}

void serveTranscript(sandbox::Sandbox &sandbox, const QString &prefix, const QByteArray &body)
{
    sandbox.server()->route("GET",
                            u"/%1/api/projects/([0-9]+)/conversations/([^/]+)/"_s.arg(prefix),
                            [body](const sandbox::SandboxRequest &) {
                                sandbox::SandboxReply reply;
                                reply.body = body;
                                return reply;
                            });
}

void benchTranscriptOverHttp(const Workspace &workspace, const QByteArray &key, int turns, int runs,
                             int timeoutMs, BenchTable &table)
{
    const QString label = turnsLabel(turns) + u": open over HTTP"_s;
    HttpClient http;
    std::unique_ptr<Provider> provider = ProviderRegistry::create(workspace, key, &http);
    if (!provider) {
        table.addFailure(label, u"no provider"_s);
        return;
    }
    TranscriptController controller;
    controller.setProvider(provider.get());
    const QString id = u"bench-transcript"_s;

    QList<double> times;
    for (int i = 0; i < qMax(runs, 3); ++i) {
        controller.close();
        QEventLoop loop;
        QObject::connect(&controller, &TranscriptController::loaded, &loop, &QEventLoop::quit);
        QObject::connect(&controller, &TranscriptController::stateChanged, &loop, [&] {
            if (controller.error().isError())
                loop.quit();
        });
        QElapsedTimer t;
        t.start();
        controller.open(id);
        const bool inTime = execFor(loop, timeoutMs);
        if (inTime && controller.isLoaded())
            touchFirstScreen(*controller.model());
        const double ms = double(t.nsecsElapsed()) / 1e6;
        if (!inTime || !controller.isLoaded()) {
            table.addFailure(label, inTime ? controller.error().message() : u"timed out"_s);
            return;
        }
        times << ms;
    }
    const Stats s = Stats::of(times);
    table.addBudget(label, s.median, u"ms"_s, kTranscriptBudgetMs,
                    u"TranscriptController::open() to the first screen's data(), median of %1, "
                    "worst %2"_s.arg(s.count)
                        .arg(BenchTable::number(s.max, u"ms"_s)));
}

} // namespace parley::bench
