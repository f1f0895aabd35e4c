// parley-sandbox: the platforms' emulation as a standalone server, for tests, the CLI
// and trying Parley without accounts.
#include "sandbox/FaultSpec.h"
#include "sandbox/Sandbox.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace parley::sandbox;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("parley-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PARLEY_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Serves emulations of the platforms Parley talks to on 127.0.0.1, each under its own "
        "path prefix (e.g. http://127.0.0.1:PORT/posthog)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Port (default: any free)."), QStringLiteral("N"),
                                  QStringLiteral("0"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Data seed (default 42)."),
                                  QStringLiteral("S"), QStringLiteral("42"));
    const QCommandLineOption count(QStringLiteral("conversations"),
                                   QStringLiteral("Conversations per platform, up to 100000."),
                                   QStringLiteral("N"), QStringLiteral("120"));
    const QCommandLineOption key(
        QStringLiteral("key"),
        QStringLiteral("The API key every platform accepts. K:SCOPE,SCOPE gives it only those "
                       "permission scopes where a platform checks them (PostHog: "
                       "conversation:read, conversation:write; a write scope includes its "
                       "read); plain K has them all."),
        QStringLiteral("K"), QStringLiteral("parley-demo-key"));
    const QCommandLineOption interval(QStringLiteral("stream-interval"),
                                      QStringLiteral("Milliseconds between streamed frames."),
                                      QStringLiteral("MS"), QStringLiteral("40"));
    const QCommandLineOption faults(
        QStringLiteral("faults"),
        QStringLiteral("Inject faults into matching replies (list above). A request's "
                       "X-Parley-Fault header wins over this."),
        QStringLiteral("SPEC"));
    const QCommandLineOption replySeconds(
        QStringLiteral("reply-seconds"),
        QStringLiteral("Seconds a streamed reply takes to write (default: one word or frame "
                       "every --stream-interval). While it is written, other clients see the "
                       "conversation running with the text so far, can re-attach to it "
                       "(PostHog: content null; Dynamiq: GET /v1/runs/ID/stream on the app "
                       "host) and cancel it at what is written."),
        QStringLiteral("S"), QStringLiteral("0"));
    const QCommandLineOption live(
        QStringLiteral("live"),
        QStringLiteral("Keep the N newest conversations of each platform running, as on a "
                       "busy platform: each reply takes 5-30 s (--reply-seconds when set), "
                       "then the next scripted message arrives after a pause (2-8 s; with "
                       "--reply-seconds, a half to a whole of it). Seeded by --seed. orq has "
                       "no running state and is left as it is. Default 0."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption onlyForm(
        QStringLiteral("only-form"),
        QStringLiteral("PREFIX=FORM: the emulation under /PREFIX serves only this form of its "
                       "API (repeatable), to try a client's detection of it: a PolyAI API "
                       "version (v1, v3), a PostHog API path (projects, environments) or an "
                       "orq.ai API revision (2025-12, 2026-02). The other forms answer as a "
                       "platform without them: 404, or (orq) the other revision's paging "
                       "parameters ignored."),
        QStringLiteral("PREFIX=FORM"));
    parser.addOptions({port, seed, count, key, interval, faults, replySeconds, live, onlyForm});
    parser.setApplicationDescription(parser.applicationDescription() + u"\n\n"_s +
                                     FaultSpec::syntaxHelp());
    parser.process(app);

    QTextStream err(stderr);
    auto number = [&](const QCommandLineOption &o, qint64 lo, qint64 hi, qint64 *out) {
        bool ok = false;
        const qint64 v = parser.value(o).toLongLong(&ok);
        if (!ok || v < lo || v > hi) {
            err << "parley-sandbox: --" << o.names().constFirst() << " must be a number from " << lo
                << " to " << hi << Qt::endl;
            return false;
        }
        *out = v;
        return true;
    };
    qint64 p = 0, s = 0, n = 0, ms = 0, rs = 0, lv = 0;
    if (!number(port, 0, 65535, &p) || !number(seed, 0, 0xffffffffll, &s) ||
        !number(count, 0, 100000, &n) || !number(interval, 0, 60000, &ms) ||
        !number(replySeconds, 0, 3600, &rs) || !number(live, 0, 100, &lv))
        return 2;
    SandboxOptions options;
    if (!options.setKey(parser.value(key))) {
        err << "parley-sandbox: --key is K or K:SCOPE,SCOPE, with no part empty" << Qt::endl;
        return 2;
    }
    if (QString why; parser.isSet(faults) && !FaultSpec::parse(parser.value(faults), &why)) {
        err << "parley-sandbox: --faults: " << why << Qt::endl;
        return 2;
    }

    options.port = quint16(p);
    options.seed = quint32(s);
    options.conversations = int(n);
    options.streamIntervalMs = int(ms);
    options.faults = parser.value(faults);
    options.replySeconds = int(rs);
    options.live = int(lv);
    for (const QString &pair : parser.values(onlyForm)) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq <= 0 || eq == pair.size() - 1) {
            err << "parley-sandbox: --only-form takes PREFIX=FORM, not " << pair << Qt::endl;
            return 2;
        }
        options.onlyForms.insert(pair.left(eq).trimmed(), pair.mid(eq + 1).trimmed());
    }

    Sandbox sandbox(options);
    QString error;
    if (!sandbox.start(&error)) {
        err << "parley-sandbox: " << error << Qt::endl;
        return 1;
    }
    std::printf("listening on http://127.0.0.1:%u\n", unsigned(sandbox.port()));
    std::fflush(stdout);
    for (const QString &prefix : sandbox.prefixes())
        err << "  " << sandbox.baseUrl(prefix).toString() << Qt::endl;
    return app.exec();
}
