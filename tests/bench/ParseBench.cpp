// parley-parsebench: what mapping one list page costs per row, per platform. The first page
// of each platform's list is fetched once from the in-process sandbox (as the provider asks
// for it), then read by that platform's mapping again and again; the JSON parse alone is
// timed beside it. A tool for profiling the mappings, never a test:
//   build/release/tests/bench/parley-parsebench --iterations 50
//   valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*mapPageOnce*'
//       build/release/tests/bench/parley-parsebench --iterations 5 --platform fixie
// (one command line).
#include "BenchWorkspaces.h"
#include "EventWait.h"
#include "PagingBench.h"
#include "SandboxThread.h"
#include "Stats.h"
#include "core/JsonText.h"
#include "providers/dynamiq/DynamiqMapping.h"
#include "providers/fixie/FixieMapping.h"
#include "providers/orq/OrqMapping.h"
#include "providers/polyai/PolyaiMapping.h"
#include "providers/posthog/PosthogMapping.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using namespace parley;
using namespace parley::bench;

namespace {

constexpr int kTimeoutMs = 120000;

// Reads one list page; the number of rows, or -1 when the page could not be read.
using PageMapper = std::function<int(const QByteArray &body, const QUrl &url)>;

template<typename T>
int rowsOf(const Result<T> &r)
{
    if (!r.ok())
        return -1;
    if constexpr (requires { r.value().page; })
        return int(r.value().page.items.size());
    else
        return int(r.value().items.size());
}

PageMapper mapperFor(const QString &platform)
{
    if (platform == "dynamiq"_L1)
        return [](const QByteArray &b, const QUrl &) {
            return rowsOf(dynamiq::parseListPage(b, 1, 100));
        };
    if (platform == "fixie"_L1)
        return [](const QByteArray &b, const QUrl &) {
            return rowsOf(fixie::parseListPage(b, 0, 100));
        };
    if (platform == "orq"_L1)
        return [](const QByteArray &b, const QUrl &) { return rowsOf(orq::parseListPage(b)); };
    if (platform == "polyai"_L1)
        return [](const QByteArray &b, const QUrl &url) {
            const bool v1 = url.path().contains(u"/v1/"_s);
            const polyai::ApiVersion version = v1 ? polyai::ApiVersion::V1 : polyai::ApiVersion::V3;
            return rowsOf(polyai::parseListPage(
                b, version,
                PageCursor::first(v1 ? PageCursor::Style::Offset : PageCursor::Style::Cursor)));
        };
    if (platform == "posthog"_L1)
        return [](const QByteArray &b, const QUrl &) {
            return rowsOf(posthog::parseListPage(b, 0, 100));
        };
    return {};
}

QByteArray fetchBody(const RecordedGet &get, QString *error)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(get.url);
    for (const auto &[name, value] : get.headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = nam.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!execFor(loop, kTimeoutMs))
        *error = u"timed out"_s;
    else if (reply->error() != QNetworkReply::NoError)
        *error = reply->errorString();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

// Out of line, so that callgrind can count this alone (--toggle-collect).
[[gnu::noinline]] int mapPageOnce(const PageMapper &map, const QByteArray &body, const QUrl &url)
{
    return map(body, url);
}

[[gnu::noinline]] int parseJsonOnce(const QByteArray &body)
{
    return int(parseJsonText(body).object().size());
}

// Microseconds per row of `run`, the median of `iterations` timings.
double usPerRow(int iterations, int rows, const std::function<void()> &run)
{
    QList<double> us;
    for (int i = 0; i < iterations; ++i) {
        QElapsedTimer timer;
        timer.start();
        run();
        us << double(timer.nsecsElapsed()) / 1e3 / qMax(1, rows);
    }
    return Stats::of(us).median;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Times each platform's list-page mapping on one page from the in-process sandbox."_s);
    parser.addHelpOption();
    const QCommandLineOption iterationsOption(u"iterations"_s,
                                              u"Times each page is read (default 30)."_s, u"n"_s);
    const QCommandLineOption platformOption(
        u"platform"_s, u"Only this platform (repeatable; default: every one)."_s, u"id"_s);
    parser.addOptions({iterationsOption, platformOption});
    parser.process(app);
    const int iterationCount =
        parser.isSet(iterationsOption) ? qMax(1, parser.value(iterationsOption).toInt()) : 30;

    sandbox::SandboxOptions options;
    options.conversations = 1000;
    SandboxThread sandbox(options);
    QString error;
    if (!sandbox.start(&error)) {
        std::fprintf(stderr, "parley-parsebench: the sandbox did not start: %s\n",
                     qPrintable(error));
        return 1;
    }
    const QStringList platforms = benchPlatforms(sandbox.prefixes(), parser.values(platformOption));
    std::printf("%-10s %6s %9s %14s %14s\n", "platform", "rows", "KB/page", "JSON µs/row",
                "mapping µs/row");
    int failures = 0;
    for (const QString &platform : platforms) {
        const PageMapper map = mapperFor(platform);
        const Workspace ws =
            sandboxWorkspace(sandbox.demoWorkspaces(), platform, sandbox.baseUrl(platform));
        const ModelPaging paging = pageWithModel(ws, sandbox.options().key, 0, kTimeoutMs);
        if (!map || !paging.error.isEmpty() || paging.gets.isEmpty()) {
            std::printf("%-10s no page: %s\n", qPrintable(platform),
                        qPrintable(map ? paging.error : u"no mapping known"_s));
            ++failures;
            continue;
        }
        const RecordedGet &get = paging.gets.constFirst();
        const QByteArray body = fetchBody(get, &error);
        const int rows = error.isEmpty() ? mapPageOnce(map, body, get.url) : -1;
        if (rows <= 0) {
            std::printf("%-10s the page did not read: %s\n", qPrintable(platform),
                        qPrintable(error));
            ++failures;
            continue;
        }
        const double json = usPerRow(iterationCount, rows, [&] { parseJsonOnce(body); });
        const double mapped =
            usPerRow(iterationCount, rows, [&] { mapPageOnce(map, body, get.url); });
        std::printf("%-10s %6d %9.1f %14.2f %14.2f\n", qPrintable(platform), rows,
                    double(body.size()) / 1024, json, mapped);
        std::fflush(stdout);
    }
    return failures > 0 ? 1 : 0;
}
