#pragma once

#include "core/Workspace.h"
#include "models/ConversationListModel.h"
#include "net/HttpClient.h"
#include "providers/Provider.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <memory>

namespace parley::bench {

// One GET as Parley sent it: replayed by the baselines so that they fetch the same pages.
struct RecordedGet
{
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; // every raw header Parley set, auth included
};

// A provider and its list model, kept loaded for a later phase (filtering).
struct LoadedList
{
    std::unique_ptr<HttpClient> http;
    std::unique_ptr<Provider> provider;
    std::unique_ptr<ConversationListModel> model;
    ~LoadedList();
};

struct ModelPaging
{
    QString error; // empty when every page loaded
    double ms = 0; // setProvider() to the last page's rows in the model
    int rows = 0;
    int pages = 0;
    int pageSize = 0; // what the model asked for
    qint64 bodyBytes = 0;
    // Heap the model held once loaded (measured by destroying it); -1 when kept or unknown.
    qint64 retainedBytes = -1;
    QList<RecordedGet> gets;
};

// Pages through everything with the registry's provider and a ConversationListModel,
// calling fetchMore() as soon as canFetchMore() allows (what a view scrolled to the end does).
// `keep` receives the loaded list instead of it being destroyed and measured.
ModelPaging pageWithModel(const Workspace &workspace, const QByteArray &key, int pageSize,
                          int timeoutMs, std::unique_ptr<LoadedList> *keep = nullptr);

struct PagerWalk
{
    QString error;
    double ms = 0; // walkAll() to the last page delivered
    int rows = 0;
    int mostInFlight = 0;
};

// Walks every page with the ListPager as parley-cli list does (ListPager::walkAll()), `parallel`
// pages in flight at most (0: the pager's default).
PagerWalk walkWithPager(const Workspace &workspace, const QByteArray &key, int pageSize,
                        int parallel, int timeoutMs);

struct PlainFetch
{
    QString error;
    double ms = 0;
    int pages = 0;
    qint64 bodyBytes = 0;
};

// The same GETs, one after the other on one plain QNetworkAccessManager, bodies read and
// dropped: what the transport alone costs.
PlainFetch fetchWithPlainNam(const QList<RecordedGet> &gets, int timeoutMs);

} // namespace parley::bench
