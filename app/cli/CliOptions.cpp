#include "cli/CliOptions.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace parley::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("parley::cli::CliOptions", text);
}

// KEY=VALUE pairs of a repeatable option; false with `error` set on a malformed or
// repeated key.
bool parsePairs(const QStringList &values, const QString &option, QMap<QString, QString> *out,
                QString *error)
{
    for (const QString &pair : values) {
        const qsizetype eq = pair.indexOf(u'=');
        const QString key = eq < 0 ? QString() : pair.left(eq).trimmed();
        if (key.isEmpty()) {
            *error = tr("%1 expects KEY=VALUE, got “%2”.").arg(option, pair);
            return false;
        }
        if (out->contains(key)) {
            *error = tr("%1 %2 is given twice.").arg(option, key);
            return false;
        }
        out->insert(key, pair.mid(eq + 1).trimmed());
    }
    return true;
}

bool parsePositive(const QString &text, const QString &option, int *out, QString *error)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < 1) {
        *error = tr("%1 expects a positive whole number, got “%2”.").arg(option, text);
        return false;
    }
    *out = value;
    return true;
}

} // namespace

CliParseResult parseCliArguments(const QStringList &arguments)
{
    CliParseResult result;
    CliOptions &o = result.options;
    QString &error = result.error;

    const QCommandLineOption help(QStringList{u"h"_s, u"help"_s});
    const QCommandLineOption version(u"version"_s);
    const QCommandLineOption workspace(u"workspace"_s, {}, u"NAME"_s);
    const QCommandLineOption provider(u"provider"_s, {}, u"PLATFORM"_s);
    const QCommandLineOption baseUrl(u"base-url"_s, {}, u"URL"_s);
    const QCommandLineOption param(u"param"_s, {}, u"KEY=VALUE"_s);
    const QCommandLineOption keyEnv(u"key-env"_s, {}, u"VAR"_s);
    const QCommandLineOption limit(u"limit"_s, {}, u"N"_s);
    const QCommandLineOption filter(u"filter"_s, {}, u"KEY=VALUE"_s);
    const QCommandLineOption format(u"format"_s, {}, u"FORMAT"_s);
    const QCommandLineOption pageSize(u"page-size"_s, {}, u"N"_s);
    const QCommandLineOption settings(u"settings"_s, {}, u"FILE"_s);
    const QCommandLineOption verbose(QStringList{u"v"_s, u"verbose"_s});

    QCommandLineParser parser;
    parser.addOptions({help, version, workspace, provider, baseUrl, param, keyEnv, limit, filter,
                       format, pageSize, settings, verbose});
    if (!parser.parse(arguments)) {
        error = parser.errorText();
        return result;
    }
    if (parser.isSet(help)) {
        o.command = CliOptions::Command::Help;
        return result;
    }
    if (parser.isSet(version)) {
        o.command = CliOptions::Command::Version;
        return result;
    }

    // Options given more than once where only one makes sense.
    for (const QCommandLineOption *single :
         {&workspace, &provider, &baseUrl, &keyEnv, &limit, &format, &pageSize, &settings}) {
        if (parser.values(*single).size() > 1) {
            error = tr("--%1 is given more than once.").arg(single->names().constFirst());
            return result;
        }
    }

    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        error = tr("No command given: use list, show ID or workspaces.");
        return result;
    }
    const QString command = positional.takeFirst();
    if (command == "list"_L1) {
        o.command = CliOptions::Command::List;
    } else if (command == "show"_L1) {
        o.command = CliOptions::Command::Show;
        if (positional.isEmpty()) {
            error = tr("show needs the ID of a conversation.");
            return result;
        }
        o.id = positional.takeFirst();
    } else if (command == "workspaces"_L1) {
        o.command = CliOptions::Command::Workspaces;
    } else if (command == "help"_L1) {
        o.command = CliOptions::Command::Help;
        return result;
    } else {
        error = tr("Unknown command “%1”: use list, show ID or workspaces.").arg(command);
        return result;
    }
    if (!positional.isEmpty()) {
        error = tr("Unexpected argument “%1”.").arg(positional.constFirst());
        return result;
    }

    // Where the conversations come from.
    o.verbose = parser.isSet(verbose);
    o.workspace = parser.value(workspace);
    o.settingsFile = parser.value(settings);
    o.platform = parser.value(provider);
    o.baseUrl = parser.value(baseUrl);
    const bool isList = o.command == CliOptions::Command::List;
    const bool needsSource = o.command != CliOptions::Command::Workspaces;
    if (parser.isSet(workspace) && parser.isSet(provider)) {
        error = tr("Use either --workspace or --provider, not both.");
        return result;
    }
    if (needsSource && !parser.isSet(workspace) && !parser.isSet(provider)) {
        error = tr("Say where to look: --workspace NAME, or --provider PLATFORM with --base-url "
                   "and --param.");
        return result;
    }
    if (!needsSource && (parser.isSet(workspace) || parser.isSet(provider))) {
        error = tr("workspaces lists the saved workspaces; it takes no --workspace or --provider.");
        return result;
    }
    if (parser.isSet(provider) && parser.isSet(settings)) {
        error = tr("--settings is for saved workspaces; --provider needs none.");
        return result;
    }
    if (!parser.isSet(provider)) {
        for (const QCommandLineOption *adHoc : {&baseUrl, &param}) {
            if (parser.isSet(*adHoc)) {
                error = tr("--%1 belongs to --provider; a saved workspace has its own settings.")
                            .arg(adHoc->names().constFirst());
                return result;
            }
        }
    }
    if (!parsePairs(parser.values(param), u"--param"_s, &o.params, &error))
        return result;

    o.keyEnvSet = parser.isSet(keyEnv);
    o.keyEnv = o.keyEnvSet ? parser.value(keyEnv) : QString::fromLatin1(CliOptions::kDefaultKeyEnv);
    static const QRegularExpression envName(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (!envName.match(o.keyEnv).hasMatch()) {
        error = tr("--key-env expects the name of an environment variable (not the key itself).");
        return result;
    }
    if (o.keyEnvSet && !needsSource) {
        error = tr("workspaces needs no API key; drop --key-env.");
        return result;
    }

    // Command options.
    if (!isList) {
        for (const QCommandLineOption *listOnly : {&limit, &filter, &pageSize}) {
            if (parser.isSet(*listOnly)) {
                error = tr("--%1 applies only to list.").arg(listOnly->names().constFirst());
                return result;
            }
        }
    }
    if (parser.isSet(limit) && !parsePositive(parser.value(limit), u"--limit"_s, &o.limit, &error))
        return result;
    if (parser.isSet(pageSize) &&
        !parsePositive(parser.value(pageSize), u"--page-size"_s, &o.pageSize, &error))
        return result;
    if (!parsePairs(parser.values(filter), u"--filter"_s, &o.filters, &error))
        return result;

    if (parser.isSet(format)) {
        const QString name = parser.value(format);
        if (o.command == CliOptions::Command::Show) {
            if (name == "markdown"_L1 || name == "md"_L1) {
                o.showFormat = CliOptions::ShowFormat::Markdown;
            } else if (name == "json"_L1) {
                o.showFormat = CliOptions::ShowFormat::Json;
            } else {
                error = tr("show --format is markdown or json, not “%1”.").arg(name);
                return result;
            }
        } else {
            const auto rowFormat = RowWriter::parseFormat(name);
            if (!rowFormat) {
                error = tr("--format is ndjson, csv or json, not “%1”.").arg(name);
                return result;
            }
            o.format = *rowFormat;
        }
    }
    return result;
}

QString cliHelpText()
{
    return tr(R"(Usage: parley-cli WHERE COMMAND [OPTIONS]
       parley-cli workspaces [--format ndjson|csv|json]

Lists and reads the conversations AI agents hold on Dynamiq, Fixie, PolyAI, orq.ai and
PostHog AI, with the same core as the Parley desktop app.

Where:
  --workspace NAME      a workspace saved in Parley (its name or id); the API key is
                        read from the system keychain
  --provider PLATFORM   an ad-hoc workspace on PLATFORM (see the list below), with
  --base-url URL          the API root (default: the platform's public API)
  --param KEY=VALUE       a workspace setting (repeatable; see below)
  --key-env VAR         read the API key from the environment variable VAR
                        (default PARLEY_API_KEY; with --workspace it replaces the keychain)

Commands:
  list                  every conversation, printed as the pages arrive
    --limit N             stop after N conversations
    --filter KEY=VALUE    a server-side filter the platform offers (repeatable)
    --format FORMAT       ndjson (default: one JSON object per line), csv (RFC 4180,
                          with a header row) or json (one array at the end)
  show ID               one conversation with its properties and transcript
    --format FORMAT       markdown (default: a readable transcript) or json
  workspaces            the workspaces saved in Parley (no key needed)
    --format FORMAT       ndjson (default), csv or json

  -v, --verbose         also log the requests made (never keys or bodies) on stderr

Why the key is never an argument: command lines are visible to every user of this
computer (ps, /proc/PID/cmdline) and end up in shell history. Put it in the environment
without echoing it, for example:
    read -rs PARLEY_API_KEY && export PARLEY_API_KEY

Exit status:
  0  success
  2  usage: wrong arguments, unknown filter, invalid workspace settings, or the
     platform rejected the request's parameters
  3  authentication: no key, or the platform rejected it or its permissions
  4  not found
  5  the platform could not be reached or answered with an error (network, timeout,
     server error, rate limit, quota): retry later
  6  the server answered something that is not the platform's API (check --base-url)
  1  any other failure
)");
}

} // namespace parley::cli
