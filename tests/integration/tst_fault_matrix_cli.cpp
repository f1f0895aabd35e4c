// The fault matrix of parley-cli: every fault the sandbox injects (sandbox/FaultSpec.h)
// against every kind of request the CLI makes, the real binary against the in-process
// sandbox over real HTTP. A row is "<kind>/<fault>": the fault is set on the sandbox for
// that kind's request only (path-qualified), parley-cli runs once with --retries 0
// --request-timeout 2 and must end as the table below says (no crash, no hang, exactly the
// documented exit code, ONE error line on stderr that says what went wrong in words, no
// HTML, no body, no key, nothing half-printed on stdout); then the fault is cleared and the
// same command must work (exit 0): the next request works.
//
// Request kinds (the platform that offers them in the sandbox):
//   list        PostHog  list --limit 3                 GET  .../conversations/
//   transcript  PostHog  show ID                        GET  .../conversations/ID/
//   stream      PostHog  send ID TEXT (SSE reply)       POST .../conversations/
//   append      PostHog  append ID TEXT                 POST .../conversations/ID/append_message/
//   queue       PostHog  queue ID list                  GET  .../conversations/ID/queue/
//   poll        Dynamiq  link REQ --user U --timeout 1  GET  /dynamiq-app/v1/requirements/status
//               (the connector poll: token and authorization are made normally; the end
//               user has linked the account already, so a healthy poll ends the wait)
//
// What a user gets, per fault (exit code: what stderr's one error line must say):
//
//  fault                spec                         reads and append         stream
//  delay                delay=400                    0                        0
//  hang                 hang                         5 did not answer         5 did not answer
//  reset                reset                        5 could not reach        5 could not reach
//  status-500           status=500 (JSON error)      5 internal error         5 internal error
//  html-500/502/503     html=N (nginx error page)    5 HTTP N, no markup      5 HTTP N, no markup
//  429-retry-after      status=429;retry-after=3     5 wait 3 second(s)       5 wait 3 second(s)
//  429-retry-after-date status=429;retry-after-date  5 asks to wait           5 asks to wait
//  429                  status=429                   5 too many requests      5 too many requests
//  401                  status=401                   3 API key                3 API key
//  409                  status=409                   (writes only) 7 busy     7 busy
//  malformed-json       malformed-json               6 not valid JSON         -
//  truncated            truncated                    6 cut off                -
//  content-type         content-type=text/html       6 text/html              0 (events read)
//  oversize             oversize=80 (MB, > 64 MiB)   6 larger than 64 MB      -
//  drip                 drip=25 (~1 s in all)        0                        -
//  redirect-other-host  redirect-other-host          2 redirected, key kept   2 redirected
//  cut-stream           cut-stream                   6 cut off                6 cut off, the text
//                                                                             so far stays printed
//  deep-json            deep-json=100000             6 nested too deep        6 stream broken
//  invalid-utf8         invalid-utf8                 0 (read as U+FFFD)       -
//
// The poll (link) is a read like the others, with one difference: a failure that may pass
// (5xx, 429, timeout, connection lost) does not end the wait; when --timeout ends it while
// the checks are failing, link exits 5 with the last failure (not 8, "not linked": whether
// the account was linked is not known). Its stdout always holds the connect link, printed
// before the first check.
//
// Decisions:
// - invalid UTF-8 inside a string of a JSON body does not fail the answer (issue 12:
//   degrade, never discard): the bad bytes read as U+FFFD, where they were, and the rest of
//   the answer is used; a time or number that no longer reads is one unreadable item.
// - content-type=text/html on the SSE reply: the stream is read by its events, whatever the
//   label says; the events are real, so the reply is shown (exit 0). On a JSON request the
//   label is checked (a proxy's page would be HTML).
// - A 409 on a read is not a thing platforms answer; only the writes have 409 cells.
// - "-": the sandbox cannot express the fault on a streamed reply (it breaks, pads, drips or
//   mis-encodes only bodies written at once; a stream is written frame by frame at its own
//   pace), so those cells are left out of _data, not skipped at run time.
// - deep-json on the stream: the 200 JSON body is not an event stream at all, and the
//   reader says the stream broke before it would reach the JSON depth limit.
//
// The next request of a poll row is "requirements U": the very GET the link waits on (a
// whole link again would add a second per row; link after a fault is shown by the benign
// rows and the 503-once row, which end "linked").
//
// Extra row "list/drip-slower-than-the-timeout": the body takes longer than
// --request-timeout in all (~2.4 s) but bytes keep coming, so it is read (exit 0): the
// timeout is for silence, not for the whole answer.
// Extra rows "<kind>/html-503-once-default-retries" keep the default retries (3) with a
// 503 page on the first request only: reads recover by themselves (exit 0, the pause said
// on stderr), writes (stream, append) are never sent twice and fail with exit 5.
#include "cli/ExitCode.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "tst_cli_support.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

using namespace clitest;
using namespace Qt::StringLiterals;
using parley::cli::ExitCode;
using parley::sandbox::Sandbox;
using parley::sandbox::SandboxOptions;

namespace {

const QByteArray kKey = "parley-demo-key";
const QString kUser = u"matrix-user"_s;
constexpr int kSkip = -1; // a cell left out of the matrix (see the table's "-")

enum class Kind
{
    List,
    Transcript,
    Stream,
    Append,
    Queue,
    Poll,
};

const char *kindName(Kind k)
{
    switch (k) {
    case Kind::List:
        return "list";
    case Kind::Transcript:
        return "transcript";
    case Kind::Stream:
        return "stream";
    case Kind::Append:
        return "append";
    case Kind::Queue:
        return "queue";
    case Kind::Poll:
        return "poll";
    }
    return "?";
}

// What one cell must end with: the exit code and, on failure, words its error line holds.
struct Expect
{
    int exit = 0;
    const char *says = "";
};

struct FaultRow
{
    const char *name;
    const char *spec;
    Expect reads;  // list, transcript, queue, poll
    Expect append; // a write answered at once
    Expect stream; // a write answered with a stream
};

constexpr int ok = 0;
constexpr int unavailable = int(ExitCode::Unavailable);
constexpr int badResponse = int(ExitCode::BadResponse);

// The table in the header comment, as data.
const FaultRow kFaults[] = {
    {"delay", "delay=400", {ok}, {ok}, {ok}},
    {"hang",
     "hang",
     {unavailable, "did not answer in time"},
     {unavailable, "did not answer in time"},
     {unavailable, "did not answer in time"}},
    {"reset",
     "reset",
     {unavailable, "could not reach the server"},
     {unavailable, "could not reach the server"},
     {unavailable, "could not reach the server"}},
    {"status-500",
     "status=500",
     {unavailable, "internal error (HTTP 500)"},
     {unavailable, "internal error (HTTP 500)"},
     {unavailable, "internal error (HTTP 500)"}},
    {"html-500",
     "html=500",
     {unavailable, "internal error (HTTP 500)"},
     {unavailable, "internal error (HTTP 500)"},
     {unavailable, "internal error (HTTP 500)"}},
    {"html-502",
     "html=502",
     {unavailable, "(HTTP 502)"},
     {unavailable, "(HTTP 502)"},
     {unavailable, "(HTTP 502)"}},
    {"html-503",
     "html=503",
     {unavailable, "(HTTP 503)"},
     {unavailable, "(HTTP 503)"},
     {unavailable, "(HTTP 503)"}},
    {"429-retry-after",
     "status=429;retry-after=3",
     {unavailable, "wait 3 second"},
     {unavailable, "wait 3 second"},
     {unavailable, "wait 3 second"}},
    {"429-retry-after-date",
     "status=429;retry-after-date",
     {unavailable, "asks to wait"},
     {unavailable, "asks to wait"},
     {unavailable, "asks to wait"}},
    {"429",
     "status=429",
     {unavailable, "too many requests"},
     {unavailable, "too many requests"},
     {unavailable, "too many requests"}},
    {"401",
     "status=401",
     {int(ExitCode::Auth), "API key"},
     {int(ExitCode::Auth), "API key"},
     {int(ExitCode::Auth), "API key"}},
    {"409",
     "status=409",
     {kSkip},
     {int(ExitCode::Conflict), "busy"},
     {int(ExitCode::Conflict), "busy"}},
    {"malformed-json",
     "malformed-json",
     {badResponse, "not valid JSON"},
     {badResponse, "not valid JSON"},
     {kSkip}},
    {"truncated", "truncated", {badResponse, "cut off"}, {badResponse, "cut off"}, {kSkip}},
    {"content-type",
     "content-type=text/html",
     {badResponse, "text/html"},
     {badResponse, "text/html"},
     {ok}},
    {"oversize",
     "oversize=80",
     {badResponse, "larger than the 64 MB"},
     {badResponse, "larger than the 64 MB"},
     {kSkip}},
    {"drip", "drip=25", {ok}, {ok}, {kSkip}},
    {"redirect-other-host",
     "redirect-other-host",
     {int(ExitCode::Usage), "redirected to"},
     {int(ExitCode::Usage), "redirected to"},
     {int(ExitCode::Usage), "redirected to"}},
    {"cut-stream",
     "cut-stream",
     {badResponse, "cut off"},
     {badResponse, "cut off"},
     {badResponse, "cut off"}},
    {"deep-json",
     "deep-json=100000",
     {badResponse, "nested more than"},
     {badResponse, "nested more than"},
     {badResponse, "stream was broken"}},
    {"invalid-utf8", "invalid-utf8", {ok}, {ok}, {kSkip}},
};

Expect expectFor(const FaultRow &row, Kind kind)
{
    switch (kind) {
    case Kind::Stream:
        return row.stream;
    case Kind::Append:
        return row.append;
    default:
        return row.reads;
    }
}

QList<QByteArray> lines(const QByteArray &text)
{
    QList<QByteArray> out = text.split('\n');
    if (!out.isEmpty() && out.constLast().isEmpty())
        out.removeLast();
    return out;
}

bool isStatusLine(const QByteArray &line)
{
    return line.startsWith("parley-cli: \xE2\x80\xA6 "); // "parley-cli: … "
}

} // namespace

Q_DECLARE_METATYPE(Kind)

class TestFaultMatrixCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void matrix_data();
    void matrix();

private:
    QStringList posthog() const;
    QStringList dynamiq() const;
    // The command of a kind; `conversation` for the ones that name one.
    QStringList command(Kind kind, const QString &conversation) const;
    // The path (anchored regex) of the kind's faulted request.
    QString faultPath(Kind kind, const QString &conversation) const;
    QString conversationFor(Kind kind, int row) const;
    CliRun run(const QStringList &args) const;

    std::unique_ptr<Sandbox> m_sandbox;
    QStringList m_idle; // idle PostHog conversations: each stream cell sends to its own
    QString m_requirement;
    // 127.0.0.2 on the sandbox's port: where redirect-other-host points.
    QTcpServer m_other;
    int m_otherConnections = 0;
    QByteArray m_otherBytes;
};

void TestFaultMatrixCli::initTestCase()
{
    QVERIFY2(QFileInfo::exists(cliPath()), qPrintable(cliPath()));
    m_sandbox = startSandbox(kKey, 60, 3, 7);
    QVERIFY(m_sandbox);

    connect(&m_other, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = m_other.nextPendingConnection()) {
            ++m_otherConnections;
            connect(s, &QTcpSocket::readyRead, this, [this, s] { m_otherBytes += s->readAll(); });
        }
    });
    QVERIFY2(m_other.listen(QHostAddress(u"127.0.0.2"_s), m_sandbox->port()),
             qPrintable(m_other.errorString()));

    // Idle conversations to send to, one per stream cell.
    const CliRun list = run(posthog() << u"list"_s << u"--limit"_s << u"60"_s);
    QVERIFY2(list.exitCode == 0, list.describe().constData());
    QString parseError;
    for (const QJsonObject &row : parseNdjson(list.out, &parseError)) {
        if (row.value(u"status"_s).toString() == "idle"_L1)
            m_idle << row.value(u"id"_s).toString();
    }
    QVERIFY2(m_idle.size() >= 30, qPrintable(u"%1 idle conversations"_s.arg(m_idle.size())));

    // The end user links the account once, as in a browser: every poll cell then finds it
    // linked when its check gets through.
    const CliRun requirements = run(dynamiq() << u"requirements"_s << kUser);
    QVERIFY2(requirements.exitCode == 0, requirements.describe().constData());
    for (const QJsonObject &r : parseNdjson(requirements.out, &parseError)) {
        if (r.value(u"type"_s).toString() == "pipedream_account"_L1)
            m_requirement = r.value(u"id"_s).toString();
    }
    QVERIFY2(!m_requirement.isEmpty(), requirements.describe().constData());

    QProcess link;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PARLEY_API_KEY"_s, QString::fromUtf8(kKey));
    link.setProcessEnvironment(env);
    QSignalSpy finished(&link, &QProcess::finished);
    link.start(cliPath(), dynamiq() << u"link"_s << m_requirement << u"--user"_s << kUser
                                    << u"--timeout"_s << u"60"_s);
    QTRY_VERIFY_WITH_TIMEOUT(link.canReadLine() || finished.count() > 0, 20000);
    const QUrl url(QString::fromUtf8(link.readLine().trimmed()));
    QVERIFY2(url.isValid() && url.host() == "127.0.0.1"_L1, qPrintable(url.toString()));
    QNetworkAccessManager browser;
    std::unique_ptr<QNetworkReply> page(browser.get(QNetworkRequest(url)));
    QTRY_VERIFY_WITH_TIMEOUT(page->isFinished(), 10000);
    QCOMPARE(page->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(finished.count() > 0 || finished.wait(30000));
    QCOMPARE(link.exitCode(), 0);
}

void TestFaultMatrixCli::cleanupTestCase()
{
    m_sandbox.reset();
}

QStringList TestFaultMatrixCli::posthog() const
{
    return {u"--provider"_s, u"posthog"_s,
            u"--base-url"_s, m_sandbox->baseUrl(u"posthog"_s).toString(),
            u"--param"_s,    u"project_id=1"_s};
}

QStringList TestFaultMatrixCli::dynamiq() const
{
    return {u"--provider"_s, u"dynamiq"_s,
            u"--base-url"_s, m_sandbox->baseUrl(u"dynamiq"_s).toString(),
            u"--param"_s,    u"app_host="_s + m_sandbox->baseUrl(u"dynamiq-app"_s).toString()};
}

QStringList TestFaultMatrixCli::command(Kind kind, const QString &conversation) const
{
    switch (kind) {
    case Kind::List:
        return posthog() << u"list"_s << u"--limit"_s << u"3"_s;
    case Kind::Transcript:
        return posthog() << u"show"_s << conversation;
    case Kind::Stream:
        return posthog() << u"send"_s << conversation << u"Any news on the export?"_s;
    case Kind::Append:
        return posthog() << u"append"_s << conversation << u"A note from the fault matrix"_s;
    case Kind::Queue:
        return posthog() << u"queue"_s << conversation << u"list"_s;
    case Kind::Poll:
        return dynamiq() << u"link"_s << m_requirement << u"--user"_s << kUser << u"--timeout"_s
                         << u"1"_s;
    }
    return {};
}

QString TestFaultMatrixCli::faultPath(Kind kind, const QString &conversation) const
{
    const QString collection = u"/posthog/api/projects/1/conversations/"_s;
    switch (kind) {
    case Kind::List:
    case Kind::Stream: // the POST that streams; send makes no other request there
        return collection;
    case Kind::Transcript:
        return collection + conversation + u'/';
    case Kind::Append:
        return collection + conversation + u"/append_message/"_s;
    case Kind::Queue:
        return collection + conversation + u"/queue/"_s;
    case Kind::Poll:
        return u"/dynamiq-app/v1/requirements/status"_s;
    }
    return {};
}

QString TestFaultMatrixCli::conversationFor(Kind kind, int row) const
{
    // Streams each get their own conversation (a reply in one cell never makes another
    // cell's conversation busy); the others share one per kind.
    switch (kind) {
    case Kind::Stream:
        return m_idle.at(3 + row);
    case Kind::Transcript:
        return m_idle.at(0);
    case Kind::Append:
        return m_idle.at(1);
    case Kind::Queue:
        return m_idle.at(2);
    default:
        return {};
    }
}

CliRun TestFaultMatrixCli::run(const QStringList &args) const
{
    return runCli(args, kKey, {}, 30000);
}

void TestFaultMatrixCli::matrix_data()
{
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("retries"); // -1: parley-cli's default
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("says");
    QTest::addColumn<int>("index"); // picks the stream cell's conversation

    const Kind kinds[] = {Kind::List,   Kind::Transcript, Kind::Stream,
                          Kind::Append, Kind::Queue,      Kind::Poll};
    int streamCells = 0;
    for (const Kind kind : kinds) {
        for (const FaultRow &row : kFaults) {
            const Expect e = expectFor(row, kind);
            if (e.exit == kSkip)
                continue;
            QTest::addRow("%s/%s", kindName(kind), row.name)
                << kind << QString::fromLatin1(row.spec) << 0 << e.exit << QByteArray(e.says)
                << (kind == Kind::Stream ? streamCells++ : 0);
        }
        if (kind == Kind::List) {
            QTest::addRow("list/drip-slower-than-the-timeout")
                << kind << u"drip=60"_s << 0 << ok << QByteArray() << 0;
        }
        // One 503 page, then the platform is back: reads get through by retrying, writes
        // are never sent twice.
        const bool write = kind == Kind::Stream || kind == Kind::Append;
        QTest::addRow("%s/html-503-once-default-retries", kindName(kind))
            << kind << u"html=503,first=1"_s << -1 << (write ? unavailable : ok)
            << QByteArray(write ? "(HTTP 503)" : "") << (kind == Kind::Stream ? streamCells++ : 0);
    }
}

void TestFaultMatrixCli::matrix()
{
    QFETCH(Kind, kind);
    QFETCH(QString, spec);
    QFETCH(int, retries);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, says);
    QFETCH(int, index);

    const QString conversation = conversationFor(kind, index);
    QStringList args = command(kind, conversation);
    args << u"--request-timeout"_s << u"2"_s;
    if (retries >= 0)
        args << u"--retries"_s << QString::number(retries);

    QString error;
    QVERIFY2(
        m_sandbox->server()->setFaults(spec + u",path="_s + faultPath(kind, conversation), &error),
        qPrintable(error));
    const int otherBefore = m_otherConnections;
    QElapsedTimer clock;
    clock.start();
    const CliRun faulted = run(args);
    const qint64 faultedMs = clock.elapsed();
    m_sandbox->server()->setFaults(std::nullopt);
    const QByteArray what = "faulted run: " + faulted.describe();

    // No crash, no hang: it ended by itself, in about the time the fault takes.
    QVERIFY2(!faulted.crashed && !faulted.timedOut, what.constData());
    QVERIFY2(faultedMs < 15000, what.constData());
    QVERIFY2(faulted.exitCode == exitCode,
             QByteArray("expected exit " + QByteArray::number(exitCode) + "; " + what).constData());
    QVERIFY2(!faulted.out.contains(kKey) && !faulted.err.contains(kKey), what.constData());

    // stderr: parley-cli's lines only; on failure exactly one error line, saying what
    // happened in words (no markup, no raw body); the other lines are progress notes.
    const QList<QByteArray> errLines = lines(faulted.err);
    QList<QByteArray> errors;
    for (const QByteArray &line : errLines) {
        QVERIFY2(line.startsWith("parley-cli: "), what.constData());
        if (!isStatusLine(line))
            errors << line;
    }
    if (exitCode == 0) {
        QVERIFY2(errors.isEmpty(), what.constData());
    } else {
        QVERIFY2(errors.size() == 1, what.constData());
        const QString line = QString::fromUtf8(errors.constFirst());
        QVERIFY2(line.contains(QString::fromUtf8(says), Qt::CaseInsensitive),
                 QByteArray("the error does not say \"" + says + "\"; " + what).constData());
        QVERIFY2(!line.contains(u'<') && !line.contains(u'>'), what.constData());
        QVERIFY2(!line.contains(u"{\""_s) && !line.contains(u"[["_s), what.constData());
        QVERIFY2(line.size() < 400, what.constData());
    }
    if (retries == 0) {
        for (const QByteArray &line : errLines)
            QVERIFY2(!line.contains("trying again"), what.constData());
    } else if (exitCode == 0) {
        // The pause before the retry was said.
        QVERIFY2(faulted.err.contains("trying again"), what.constData());
    } else {
        // A write: not sent again.
        QVERIFY2(!faulted.err.contains("trying again"), what.constData());
    }

    // stdout: what a successful command prints, or nothing half-printed.
    if (kind == Kind::Poll) {
        // The connect link, printed before the first check; nothing after it.
        const QList<QByteArray> outLines = lines(faulted.out);
        QVERIFY2(outLines.size() == 1 && outLines.constFirst().startsWith("http://127.0.0.1:"),
                 what.constData());
        if (exitCode == 0)
            QVERIFY2(faulted.err.contains("linked"), what.constData());
    } else if (exitCode == 0) {
        QVERIFY2(kind == Kind::Queue || !faulted.out.trimmed().isEmpty(), what.constData());
    } else if (kind == Kind::Stream && spec.startsWith(u"cut-stream"_s)) {
        // What arrived before the cut stays printed, its line ended.
        QVERIFY2(!faulted.out.trimmed().isEmpty() && faulted.out.endsWith('\n'), what.constData());
    } else {
        QVERIFY2(faulted.out.isEmpty(), what.constData());
    }

    // The key never leaves for another host: the redirect is not followed at all.
    if (spec.startsWith(u"redirect-other-host"_s)) {
        // A wrongly followed redirect would have connected before the process ended; take
        // any connection still waiting to be accepted.
        m_other.waitForNewConnection(0);
        while (QTcpSocket *s = m_other.nextPendingConnection()) {
            ++m_otherConnections;
            m_otherBytes += s->readAll();
        }
        QVERIFY2(m_otherConnections == otherBefore,
                 QByteArray("127.0.0.2 got a connection; it received: " + m_otherBytes.left(300))
                     .constData());
        QVERIFY(!m_otherBytes.contains(kKey));
    }

    // The next request works.
    QStringList nextArgs = args;
    if (kind == Kind::Poll)
        nextArgs = dynamiq() << u"requirements"_s << kUser << u"--request-timeout"_s << u"2"_s
                             << u"--retries"_s << u"0"_s;
    const CliRun next = run(nextArgs);
    const QByteArray nextWhat = "next run: " + next.describe();
    QVERIFY2(next.exitCode == 0, nextWhat.constData());
    for (const QByteArray &line : lines(next.err))
        QVERIFY2(isStatusLine(line), nextWhat.constData());
    if (kind == Kind::Poll) // the account stays linked
        QVERIFY2(!next.out.contains(m_requirement.toUtf8()), nextWhat.constData());
    if (exitCode == 0 && (kind == Kind::List || kind == Kind::Transcript || kind == Kind::Queue)) {
        // A benign fault changed nothing in what a read shows; invalid-utf8 only the text its
        // bytes went into, which shows U+FFFD where they were (C3 28: U+FFFD and "(").
        QByteArray shown = faulted.out;
        if (spec == u"invalid-utf8"_s)
            shown.replace("\xEF\xBF\xBD(", "");
        QCOMPARE(shown, next.out);
    }
}

QTEST_MAIN(TestFaultMatrixCli)
#include "tst_fault_matrix_cli.moc"
