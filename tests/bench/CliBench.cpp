#include "CliBench.h"

#include "BenchWorkspaces.h"
#include "CurlBaseline.h"
#include "EventWait.h"
#include "ProcessRun.h"
#include "SandboxThread.h"
#include "Stats.h"
#include "providers/ProviderRegistry.h"

#include <QFile>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace parley::bench {

namespace {

struct CliRun
{
    QString error;
    double ms = 0;
    int rows = 0;            // lines written to the output file
    QList<RecordedGet> gets; // with --verbose only: the URLs it asked for, no headers
};

// A scratch HOME and XDG folders, so that the CLI never reads the user's settings.
QProcessEnvironment scratchEnvironment(const QTemporaryDir &dir, const QByteArray &key)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
        env.insert(QLatin1String(name), dir.filePath(QLatin1String(name)));
    env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s); // no keychain: the key comes from the environment
    env.remove(u"QT_LOGGING_RULES"_s);
    env.insert(u"PARLEY_API_KEY"_s, QString::fromUtf8(key));
    return env;
}

QStringList whereArguments(const Workspace &ws)
{
    QStringList args{u"--provider"_s, ws.platform, u"--base-url"_s, ws.baseUrl.toString()};
    for (auto it = ws.params.cbegin(); it != ws.params.cend(); ++it)
        args << u"--param"_s << it.key() + u'=' + it.value();
    return args;
}

int countLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    int lines = 0;
    while (!f.atEnd()) {
        const QByteArray chunk = f.read(1 << 20);
        lines += int(chunk.count('\n'));
    }
    return lines;
}

// One `parley-cli WHERE list` with its rows into a file; `verbose` also collects the URLs.
CliRun runList(const Workspace &ws, const QByteArray &key, bool verbose, int timeoutMs)
{
    CliRun out;
    QTemporaryDir dir;
    if (!dir.isValid()) {
        out.error = u"no temporary folder"_s;
        return out;
    }
    const QString rowsPath = dir.filePath(u"rows.ndjson"_s);
    QProcess process;
    process.setProgram(cliProgram());
    QStringList args = whereArguments(ws) << u"list"_s;
    if (verbose)
        args << u"--verbose"_s;
    process.setArguments(args);
    process.setProcessEnvironment(scratchEnvironment(dir, key));
    process.setStandardOutputFile(rowsPath);
    process.setStandardInputFile(QProcess::nullDevice());

    const ProcessTiming t = runTimed(process, u"parley-cli"_s, timeoutMs);
    out.ms = t.ms;
    out.error = t.error;
    if (!out.error.isEmpty())
        return out;
    const QByteArray err = process.readAllStandardError();
    out.rows = countLines(rowsPath);
    if (verbose) {
        // "parley.net: GET <url> -> 200 ..." once per answered request.
        static const QRegularExpression done(u"GET (\\S+) -> 200"_s);
        for (const QByteArray &line : err.split('\n')) {
            const QRegularExpressionMatch m = done.match(QString::fromUtf8(line));
            if (m.hasMatch())
                out.gets.append({QUrl(m.captured(1), QUrl::StrictMode), {}});
        }
    }
    return out;
}

struct ProviderRequests
{
    QList<QPair<QByteArray, QByteArray>> headers;
    PageCursor::Style paging = PageCursor::Style::Offset;
};

// The headers Parley sends for `ws` (auth included), from its provider's first list request,
// and how the workspace pages.
ProviderRequests requestHeaders(const Workspace &ws, const QByteArray &key, int timeoutMs,
                                QString *error)
{
    ProviderRequests out;
    QList<QPair<QByteArray, QByteArray>> &headers = out.headers;
    HttpClient http;
    std::unique_ptr<Provider> provider = ProviderRegistry::create(ws, key, &http);
    if (!provider) {
        *error = u"no provider for %1"_s.arg(ws.platform);
        return out;
    }
    out.paging = provider->capabilities().paging;
    ConversationListModel model;
    QEventLoop loop;
    QObject::connect(http.networkAccessManager(), &QNetworkAccessManager::finished, &loop,
                     [&](QNetworkReply *reply) {
                         const QNetworkRequest request = reply->request();
                         if (headers.isEmpty()) {
                             for (const QByteArray &name : request.rawHeaderList())
                                 headers.append({name, request.rawHeader(name)});
                         }
                         loop.quit();
                     });
    model.setProvider(provider.get());
    if (!execFor(loop, timeoutMs))
        *error = u"no first page in time"_s;
    return out;
}

} // namespace

QString cliProgram()
{
    return QStringLiteral(PARLEY_BENCH_CLI);
}

void benchCliList(const CliCase &c, const QStringList &platforms, const BenchOptions &options,
                  const QString &curl, BenchTable &table)
{
    const QByteArray key = c.sandbox->options().key;
    for (const QString &platform : platforms) {
        const QString label = u"parley-cli list %1, %2"_s.arg(platform, c.title);
        std::fprintf(stderr, "parley-bench: %s\n", qPrintable(label));
        const Workspace ws =
            sandboxWorkspace(c.sandbox->demoWorkspaces(), platform, c.sandbox->baseUrl(platform));
        // An untimed verbose run names the URLs for curl.
        const CliRun probe = runList(ws, key, true, options.timeoutMs);
        if (!probe.error.isEmpty() || probe.gets.isEmpty()) {
            table.addFailure(label, probe.error.isEmpty() ? u"no GET in its log"_s : probe.error);
            continue;
        }
        QString error;
        QList<RecordedGet> gets = probe.gets;
        const ProviderRequests requests = requestHeaders(ws, key, options.timeoutMs, &error);
        for (RecordedGet &g : gets)
            g.headers = requests.headers;
        QList<double> cli;
        QList<double> curlMs;
        QString curlError = curl.isEmpty() ? u"curl is not installed"_s : error;
        for (int run = 0; run < options.runs && error.isEmpty(); ++run) {
            auto timeCurl = [&] {
                if (!curlError.isEmpty())
                    return;
                const PlainFetch f = fetchWithCurl(curl, gets, options.timeoutMs);
                if (!f.error.isEmpty())
                    curlError = f.error;
                else
                    curlMs << f.ms;
            };
            if (run % 2 == 1)
                timeCurl();
            const CliRun r = runList(ws, key, false, options.timeoutMs);
            if (!r.error.isEmpty())
                error = r.error;
            else if (r.rows != probe.rows)
                error = u"printed %1 rows, then %2"_s.arg(probe.rows).arg(r.rows);
            cli << r.ms;
            if (run % 2 == 0)
                timeCurl();
        }
        if (!error.isEmpty()) {
            table.addFailure(label, error);
            continue;
        }
        const Stats p = Stats::of(cli);
        const Stats q = Stats::of(curlMs);
        table.addInfo(label, BenchTable::number(p.median, u"ms"_s),
                      u"%1 rows (of %2) in %3 GETs into a file, worst %4"_s.arg(probe.rows)
                          .arg(c.conversations)
                          .arg(gets.size())
                          .arg(BenchTable::number(p.max, u"ms"_s)));
        if (q.count == 0) {
            table.addNote(u"%1: curl: %2"_s.arg(label, curlError));
            continue;
        }
        table.addInfo(label + u": curl"_s, BenchTable::number(q.median, u"ms"_s),
                      u"the same URLs in order, one keep-alive connection, worst %1"_s.arg(
                          BenchTable::number(q.max, u"ms"_s)));
        table.addBudget(
            label + u": ÷ curl"_s, p.median / q.median, u"x"_s, c.targetFor(requests.paging),
            requests.paging == PageCursor::Style::Cursor ? u"cursor pages"_s
                                                         : u"numbered or offset pages"_s);
    }
}

} // namespace parley::bench
