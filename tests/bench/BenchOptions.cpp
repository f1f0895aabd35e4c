#include "BenchOptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace parley::bench {

namespace {

[[noreturn]] void fail(QCommandLineParser &parser, const QString &message)
{
    std::fprintf(stderr, "parley-bench: %s\n\n%s", qPrintable(message),
                 qPrintable(parser.helpText()));
    std::exit(2);
}

int positive(QCommandLineParser &parser, const QCommandLineOption &option, int fallback)
{
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value < 1)
        fail(parser, u"--%1 needs a positive number"_s.arg(option.names().constFirst()));
    return value;
}

} // namespace

BenchOptions parseOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Measures Parley against the budgets of DESIGN.md over the in-process sandbox and "
        "prints a table of figures, targets and ratios. Never fails on timing."_s);
    parser.addHelpOption();
    const QCommandLineOption conversations(
        u"conversations"_s, u"Conversations per platform (default 100000)."_s, u"n"_s);
    const QCommandLineOption runs(u"runs"_s, u"Repetitions per timed phase (default 3)."_s, u"n"_s);
    const QCommandLineOption pageSize(
        u"page-size"_s, u"Page size for paging (default: each provider's largest)."_s, u"n"_s);
    const QCommandLineOption platform(
        u"platform"_s, u"Only this platform (repeatable; default: every registered one)."_s,
        u"id"_s);
    const QCommandLineOption filterPlatform(
        u"filter-platform"_s, u"Platform whose rows the filter phase loads (default posthog)."_s,
        u"id"_s);
    const QCommandLineOption turns(u"turns"_s, u"Transcript length (default 10000)."_s, u"n"_s);
    const QCommandLineOption bigList(
        u"big-list"_s,
        u"Rows of the in-process long list phase (default 1000000; its rows are copies of "
        "the filter platform's)."_s,
        u"n"_s);
    const QCommandLineOption noBigList(u"no-big-list"_s, u"Skip the long list phase."_s);
    const QCommandLineOption noCurl(u"no-curl"_s, u"Skip the curl baseline."_s);
    const QCommandLineOption noStartup(u"no-startup"_s, u"Skip the demo start phase."_s);
    const QCommandLineOption noCli(u"no-cli"_s, u"Skip parley-cli list against curl."_s);
    const QCommandLineOption delayRows(
        u"delay-conversations"_s,
        u"Conversations per platform behind the delay=50 fault for parley-cli list (default "
        "10000; 0 skips that phase)."_s,
        u"n"_s);
    const QCommandLineOption noGui(
        u"no-gui"_s, u"Skip the GUI phases (stalls, the real window's first paint)."_s);
    const QCommandLineOption probe(u"startup-probe"_s,
                                   u"Internal: one demo start, timed, for the parent bench."_s,
                                   u"platform"_s);
    parser.addOptions({conversations, runs, pageSize, platform, filterPlatform, turns, bigList,
                       noBigList, noCurl, noStartup, noCli, delayRows, noGui, probe});
    if (!parser.parse(arguments))
        fail(parser, parser.errorText());
    if (parser.isSet(u"help"_s))
        parser.showHelp(0);
    if (!parser.positionalArguments().isEmpty())
        fail(parser, u"unexpected argument %1"_s.arg(parser.positionalArguments().constFirst()));

    BenchOptions o;
    o.conversations = positive(parser, conversations, o.conversations);
    o.runs = positive(parser, runs, o.runs);
    o.pageSize = positive(parser, pageSize, 0);
    o.platforms = parser.values(platform);
    if (parser.isSet(filterPlatform))
        o.filterPlatform = parser.value(filterPlatform);
    o.transcriptTurns = positive(parser, turns, o.transcriptTurns);
    o.bigListRows = parser.isSet(noBigList) ? 0 : positive(parser, bigList, o.bigListRows);
    o.curl = !parser.isSet(noCurl);
    o.startup = !parser.isSet(noStartup);
    o.cli = !parser.isSet(noCli);
    if (parser.isSet(delayRows)) {
        bool ok = false;
        o.cliDelayConversations = parser.value(delayRows).toInt(&ok);
        if (!ok || o.cliDelayConversations < 0)
            fail(parser, u"--delay-conversations needs a number"_s);
    }
    o.gui = !parser.isSet(noGui);
    o.startupProbe = parser.isSet(probe);
    o.probePlatform = parser.value(probe);
    return o;
}

} // namespace parley::bench
