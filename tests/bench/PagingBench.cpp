#include "PagingBench.h"

#include "EventWait.h"
#include "Heap.h"
#include "controllers/ListPager.h"
#include "controllers/PagingBudget.h"
#include "providers/ProviderRegistry.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <functional>

using namespace Qt::StringLiterals;

namespace parley::bench {

LoadedList::~LoadedList()
{
    model.reset();
    provider.reset();
    http.reset();
}

ModelPaging pageWithModel(const Workspace &workspace, const QByteArray &key, int pageSize,
                          int timeoutMs, std::unique_ptr<LoadedList> *keep)
{
    ModelPaging out;
    auto list = std::make_unique<LoadedList>();
    list->http = std::make_unique<HttpClient>();
    list->provider = ProviderRegistry::create(workspace, key, list->http.get());
    if (!list->provider) {
        out.error = u"no provider for %1"_s.arg(workspace.platform);
        return out;
    }
    PagingBudget::shared().forget(list->provider->keyIdentity()); // each run from a fresh budget
    // Every finished reply, as Parley sent it (QNAM reports it before Parley reads it).
    QObject::connect(list->http->networkAccessManager(), &QNetworkAccessManager::finished,
                     list->http.get(), [&out](QNetworkReply *reply) {
                         RecordedGet get;
                         get.url = reply->request().url();
                         const QNetworkRequest request = reply->request();
                         for (const QByteArray &name : request.rawHeaderList())
                             get.headers.append({name, request.rawHeader(name)});
                         out.gets << get;
                         out.bodyBytes +=
                             reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
                     });

    ListQuery query;
    query.pageSize = pageSize > 0 ? pageSize : list->provider->capabilities().maxPageSize;
    out.pageSize = query.pageSize;

    const qint64 heapBefore = heapInUse();
    list->model = std::make_unique<ConversationListModel>();
    ConversationListModel *model = list->model.get();
    model->setQuery(query); // no provider yet: nothing is requested

    QEventLoop loop;
    QObject::connect(model, &ConversationListModel::stateChanged, &loop, [model, &loop] {
        if (model->hasError()) {
            loop.quit();
        } else if (model->canFetchMore({})) {
            model->fetchMore({});
        } else if (!model->isLoading() && model->isAtEnd()) {
            loop.quit();
        }
    });
    QElapsedTimer timer;
    timer.start();
    model->setProvider(list->provider.get());
    const bool inTime = execFor(loop, timeoutMs);
    out.ms = double(timer.nsecsElapsed()) / 1e6;
    out.rows = model->rowCount();
    out.pages = int(out.gets.size());

    if (!inTime)
        out.error = u"timed out after %1 rows"_s.arg(out.rows);
    else if (model->hasError())
        out.error = model->error().message();

    if (keep) {
        *keep = std::move(list);
        return out;
    }
    const qint64 heapLoaded = heapInUse();
    list->model.reset();
    const qint64 heapFreed = heapInUse();
    if (heapBefore >= 0)
        out.retainedBytes = heapLoaded - heapFreed;
    return out;
}

PagerWalk walkWithPager(const Workspace &workspace, const QByteArray &key, int pageSize,
                        int parallel, int timeoutMs)
{
    PagerWalk out;
    HttpClient http;
    const std::unique_ptr<Provider> provider = ProviderRegistry::create(workspace, key, &http);
    if (!provider) {
        out.error = u"no provider for %1"_s.arg(workspace.platform);
        return out;
    }
    PagingBudget::shared().forget(provider->keyIdentity()); // each run from a fresh budget
    ListQuery query;
    query.pageSize = pageSize > 0 ? pageSize : provider->capabilities().maxPageSize;
    ListPager pager;
    if (parallel > 0)
        pager.setParallel(parallel);
    pager.restart(provider.get(), query);
    QEventLoop loop;
    QElapsedTimer timer;
    timer.start();
    pager.walkAll([&](Result<ConversationPage> r) {
        if (!r.ok()) {
            out.error = r.error().message();
            loop.quit();
            return;
        }
        out.rows += int(r.value().items.size());
        if (r.value().next.atEnd)
            loop.quit();
    });
    if (!execFor(loop, timeoutMs))
        out.error = u"timed out after %1 rows"_s.arg(out.rows);
    out.ms = double(timer.nsecsElapsed()) / 1e6;
    out.mostInFlight = pager.mostInFlight();
    return out;
}

PlainFetch fetchWithPlainNam(const QList<RecordedGet> &gets, int timeoutMs)
{
    PlainFetch out;
    // Requests built before the clock starts: URL and the same raw headers, nothing else.
    QList<QNetworkRequest> requests;
    requests.reserve(gets.size());
    for (const RecordedGet &g : gets) {
        QNetworkRequest request(g.url);
        for (const auto &[name, value] : g.headers)
            request.setRawHeader(name, value);
        requests << request;
    }

    QNetworkAccessManager nam;
    QEventLoop loop;
    qsizetype next = 0;
    std::function<void()> sendNext = [&] {
        if (next == requests.size()) {
            loop.quit();
            return;
        }
        QNetworkReply *reply = nam.get(requests.at(next++));
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply] {
            reply->deleteLater();
            out.bodyBytes += reply->readAll().size();
            ++out.pages;
            if (reply->error() != QNetworkReply::NoError && out.error.isEmpty())
                out.error = reply->errorString();
            sendNext();
        });
    };

    QElapsedTimer timer;
    timer.start();
    sendNext();
    const bool inTime = requests.isEmpty() || execFor(loop, timeoutMs);
    out.ms = double(timer.nsecsElapsed()) / 1e6;
    if (!inTime)
        out.error = u"timed out after %1 pages"_s.arg(out.pages);
    return out;
}

} // namespace parley::bench
