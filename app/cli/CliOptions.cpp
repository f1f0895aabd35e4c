#include "cli/CliOptions.h"

#include "core/TranslationContext.h"

#include "cli/CommandHelp.h"
#include "controllers/ListPager.h"
#include "providers/ProviderRegistry.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace parley::cli {

namespace {

const TranslationContext tr{"parley::cli::CliOptions"};

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

// The commands that take at most an ID and a TEXT, in this order.
struct SimpleCommand
{
    const char *name;
    CliOptions::Command command;
    const char *idMissing = nullptr; // what a missing ID says; nullptr: takes no ID
    QString CliOptions::*id = &CliOptions::id;
    bool takesText = false;
};
const SimpleCommand kSimpleCommands[] = {
    {"list", CliOptions::Command::List},
    {"workspaces", CliOptions::Command::Workspaces},
    {"show", CliOptions::Command::Show, "show needs the ID of a conversation"},
    {"cancel", CliOptions::Command::Cancel, "cancel needs the ID of a conversation"},
    {"follow", CliOptions::Command::Follow, "follow needs the ID of a conversation"},
    {"send", CliOptions::Command::Send, "send needs the ID of a conversation, then the text",
     &CliOptions::id, true},
    {"append", CliOptions::Command::Append, "append needs the ID of a conversation, then the text",
     &CliOptions::id, true},
    {"requirements", CliOptions::Command::Requirements, "requirements needs the ID of an end user",
     &CliOptions::userId},
};

} // namespace

bool takesMessageFields(CliOptions::Command command)
{
    return command == CliOptions::Command::Create || command == CliOptions::Command::Send ||
           command == CliOptions::Command::Queue;
}

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
    const QCommandLineOption parallel(u"parallel"_s, {}, u"N"_s);
    const QCommandLineOption sort(u"sort"_s, {}, u"FIELDS"_s);
    const QCommandLineOption before(u"before"_s, {}, u"ID"_s);
    const QCommandLineOption after(u"after"_s, {}, u"ID"_s);
    const QCommandLineOption settings(u"settings"_s, {}, u"FILE"_s);
    const QCommandLineOption verbose(QStringList{u"v"_s, u"verbose"_s});
    const QCommandLineOption title(u"title"_s, {}, u"TEXT"_s);
    const QCommandLineOption user(u"user"_s, {}, u"USER_ID"_s);
    const QCommandLineOption run(u"run"_s, {}, u"RUN_ID"_s);
    const QCommandLineOption timeout(u"timeout"_s, {}, u"SECONDS"_s);
    const QCommandLineOption retries(u"retries"_s, {}, u"N"_s);
    const QCommandLineOption requestTimeout(u"request-timeout"_s, {}, u"SECONDS"_s);
    const QCommandLineOption decision(u"decision"_s, {}, u"approve|reject"_s);
    const QCommandLineOption note(u"note"_s, {}, u"TEXT"_s);

    QCommandLineParser parser;
    parser.addOptions({help,           version,  workspace, provider, baseUrl, param,   keyEnv,
                       limit,          filter,   format,    pageSize, sort,    before,  after,
                       settings,       verbose,  title,     user,     run,     timeout, retries,
                       requestTimeout, decision, note,      parallel});
    if (!parser.parse(arguments)) {
        error = parser.errorText();
        return result;
    }
    if (parser.isSet(help)) {
        // "parley-cli send --help": that command's help.
        o.command = CliOptions::Command::Help;
        const QStringList words = parser.positionalArguments();
        if (!words.isEmpty() && isCommandName(words.constFirst()))
            o.helpTopic = words.constFirst();
        return result;
    }
    if (parser.isSet(version)) {
        o.command = CliOptions::Command::Version;
        return result;
    }

    // Options given more than once where only one makes sense.
    for (const QCommandLineOption *single :
         {&workspace, &provider, &baseUrl,        &keyEnv,   &limit, &format,  &pageSize,
          &sort,      &before,   &after,          &settings, &title, &user,    &run,
          &timeout,   &retries,  &requestTimeout, &decision, &note,  &parallel}) {
        if (parser.values(*single).size() > 1) {
            error = tr("--%1 is given more than once.").arg(single->names().constFirst());
            return result;
        }
    }

    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        error = tr("No command given: use list, show ID, workspaces, or one of the actions in "
                   "--help.");
        return result;
    }
    const QString command = positional.takeFirst();
    // A usage error in a known command ends with its usage line.
    result.usage = commandUsage(command);
    if (!result.usage.isEmpty())
        result.command = command;
    // TEXT arguments: "-" reads the text from stdin (for scripts and long messages).
    auto takeText = [&](const char *what) {
        if (positional.isEmpty()) {
            error = tr("%1 needs the text of the message (or - to read it from stdin).")
                        .arg(QLatin1String(what));
            return false;
        }
        o.text = positional.takeFirst();
        o.textFromStdin = o.text == "-"_L1;
        if (!o.textFromStdin && o.text.trimmed().isEmpty()) {
            error = tr("%1: the message is empty.").arg(QLatin1String(what));
            return false;
        }
        return true;
    };
    auto takeId = [&](const char *what, QString *out) {
        if (positional.isEmpty() || positional.constFirst().trimmed().isEmpty()) {
            error = tr("%1.").arg(QLatin1String(what));
            return false;
        }
        *out = positional.takeFirst().trimmed();
        return true;
    };
    const auto simple =
        std::find_if(std::begin(kSimpleCommands), std::end(kSimpleCommands),
                     [&](const SimpleCommand &c) { return command == QLatin1String(c.name); });
    if (simple != std::end(kSimpleCommands)) {
        o.command = simple->command;
        if (simple->idMissing && !takeId(simple->idMissing, &(o.*(simple->id))))
            return result;
        if (simple->takesText && !takeText(simple->name))
            return result;
    } else if (command == "create"_L1) {
        o.command = CliOptions::Command::Create;
        if (!positional.isEmpty() && !takeText("create"))
            return result;
    } else if (command == "queue"_L1) {
        o.command = CliOptions::Command::Queue;
        if (!takeId("queue needs the ID of a conversation", &o.id))
            return result;
        o.queueOp = positional.isEmpty() ? u"list"_s : positional.takeFirst();
        if (o.queueOp == "add"_L1) {
            if (!takeText("queue add"))
                return result;
        } else if (o.queueOp == "edit"_L1) {
            if (!takeId("queue edit needs the ID of a queued message, then the new text",
                        &o.queueItemId) ||
                !takeText("queue edit"))
                return result;
        } else if (o.queueOp == "delete"_L1) {
            if (!takeId("queue delete needs the ID of a queued message", &o.queueItemId))
                return result;
        } else if (o.queueOp != "list"_L1 && o.queueOp != "clear"_L1) {
            error = tr("queue takes list, add TEXT, edit QID TEXT, delete QID or clear, not “%1”.")
                        .arg(o.queueOp);
            return result;
        }
    } else if (command == "approve"_L1) {
        o.command = CliOptions::Command::Approve;
        if (!takeId("approve needs the ID of a conversation, then the ID of its approval", &o.id) ||
            !takeId("approve needs the ID of the approval (show lists a conversation's "
                    "approvals)",
                    &o.approvalId))
            return result;
        const QString chosen = parser.value(decision).trimmed();
        if (chosen != "approve"_L1 && chosen != "reject"_L1) {
            error = parser.isSet(decision)
                        ? tr("--decision is approve or reject, not “%1”.").arg(chosen)
                        : tr("approve needs --decision approve or --decision reject.");
            return result;
        }
        o.approve = chosen == "approve"_L1;
        o.note = parser.value(note).trimmed();
        if (parser.isSet(note) && o.approve) {
            error = tr("--note goes with --decision reject: it tells the agent why.");
            return result;
        }
    } else if (command == "link"_L1) {
        o.command = CliOptions::Command::Link;
        if (!takeId("link needs the ID of a requirement (see requirements USER_ID)",
                    &o.requirementId))
            return result;
        if (!parser.isSet(user) || parser.value(user).trimmed().isEmpty()) {
            error = tr("link needs --user USER_ID: the end user whose account is linked.");
            return result;
        }
        o.userId = parser.value(user).trimmed();
    } else if (command == "help"_L1) {
        o.command = CliOptions::Command::Help;
        if (!positional.isEmpty()) {
            o.helpTopic = positional.takeFirst();
            if (!isCommandName(o.helpTopic)) {
                error = tr("No command “%1”.").arg(o.helpTopic);
                return result;
            }
        }
        return result;
    } else {
        error = tr("Unknown command “%1”: see parley-cli --help.").arg(command);
        return result;
    }
    if (!positional.isEmpty()) {
        error = tr("Unexpected argument “%1”.").arg(positional.constFirst());
        return result;
    }

    // Where the conversations come from.
    o.verbose = parser.isSet(verbose);
    if (parser.isSet(requestTimeout) &&
        !parsePositive(parser.value(requestTimeout), u"--request-timeout"_s,
                       &o.requestTimeoutSeconds, &error))
        return result;
    if (parser.isSet(retries)) {
        bool ok = false;
        o.retries = parser.value(retries).toInt(&ok);
        if (!ok || o.retries < 0 || o.retries > CliOptions::kMaxRetries) {
            error = tr("--retries expects a whole number from 0 to %1, got “%2”.")
                        .arg(CliOptions::kMaxRetries)
                        .arg(parser.value(retries));
            return result;
        }
    }
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
            // create, send and queue take the platform's own fields for the message as
            // --param.
            if (adHoc == &param && takesMessageFields(o.command))
                continue;
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
        for (const QCommandLineOption *listOnly :
             {&limit, &filter, &pageSize, &sort, &before, &after, &parallel}) {
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
    if (parser.isSet(parallel) &&
        !parsePositive(parser.value(parallel), u"--parallel"_s, &o.parallel, &error))
        return result;
    if (o.parallel > ListPager::kMaxParallel) {
        error = tr("--parallel takes at most %1 pages in flight.").arg(ListPager::kMaxParallel);
        return result;
    }
    if (!parsePairs(parser.values(filter), u"--filter"_s, &o.filters, &error))
        return result;
    if (parser.isSet(before) && parser.isSet(after)) {
        error = tr("Use either --before or --after, not both.");
        return result;
    }
    for (const QCommandLineOption *anchor : {&before, &after}) {
        if (parser.isSet(*anchor) && parser.value(*anchor).trimmed().isEmpty()) {
            error = tr("--%1 needs the ID of a conversation.").arg(anchor->names().constFirst());
            return result;
        }
    }
    o.before = parser.value(before).trimmed();
    o.after = parser.value(after).trimmed();
    o.sort = parser.value(sort).trimmed();
    if (parser.isSet(sort) && o.sort.isEmpty()) {
        error = tr("--sort needs the fields to sort by, such as -created_at,title.");
        return result;
    }

    const bool streams =
        o.command == CliOptions::Command::Create || o.command == CliOptions::Command::Send ||
        o.command == CliOptions::Command::Follow || o.command == CliOptions::Command::Approve;
    auto onlyFor = [&](const QCommandLineOption &option, bool allowed, const char *where) {
        if (parser.isSet(option) && !allowed) {
            error = tr("--%1 applies only to %2.")
                        .arg(option.names().constFirst(), QLatin1String(where));
            return false;
        }
        return true;
    };
    if (!onlyFor(title, o.command == CliOptions::Command::Create, "create") ||
        !onlyFor(user, o.command == CliOptions::Command::Link, "link") ||
        !onlyFor(timeout,
                 o.command == CliOptions::Command::Link || o.command == CliOptions::Command::Follow,
                 "link and follow") ||
        !onlyFor(run, o.command == CliOptions::Command::Cancel, "cancel") ||
        !onlyFor(decision, o.command == CliOptions::Command::Approve, "approve") ||
        !onlyFor(note, o.command == CliOptions::Command::Approve, "approve"))
        return result;
    o.title = parser.value(title).trimmed();
    o.runId = parser.value(run).trimmed();
    o.timeoutSet = parser.isSet(timeout);
    if (o.timeoutSet &&
        !parsePositive(parser.value(timeout), u"--timeout"_s, &o.timeoutSeconds, &error))
        return result;

    if (parser.isSet(format) && streams) {
        const QString name = parser.value(format);
        if (name == "text"_L1) {
            o.jsonEvents = false;
        } else if (name == "ndjson"_L1) {
            o.jsonEvents = true;
        } else {
            error = tr("%1 --format is text or ndjson, not “%2”.").arg(command, name);
            return result;
        }
    } else if (parser.isSet(format)) {
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

Lists, reads and acts on the conversations that AI agents hold on hosted platforms
(%1),
with the same core as the Parley desktop app.

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
    --sort FIELDS         sorted by the platform: fields separated by commas, "-" before
                          one for descending (%4)
    --before ID           only the conversations newer than ID (%5)
    --after ID            only the conversations older than ID (%5)
    --page-size N         rows per request, within the platform's limit (default: its
                          largest)
    --parallel N          pages in flight where the platform's paging allows it
                          (default 4; 1: one after the other)
    --format FORMAT       ndjson (default: one JSON object per line), csv (RFC 4180,
                          with a header row) or json (one array at the end)
                        stderr ends with "N of M conversations": the rows printed, of
                        the platform's count where it gives one
  show ID               one conversation with its properties and transcript
    --format FORMAT       markdown (default: a readable transcript) or json
  workspaces            the workspaces saved in Parley (no key needed)
    --format FORMAT       ndjson (default), csv or json

Actions (where the platform offers them; TEXT "-" reads the text from stdin):
  create [TEXT]         start a conversation; prints its id, then streams the reply
    --title TEXT          its title, where the platform keeps one
    --param KEY=VALUE     the platform's fields for a new conversation; see the list
                          below
  send ID TEXT          send a message; the reply streams to stdout as it arrives
    --format FORMAT       text (default: the reply's text; status lines on stderr) or
                          ndjson (one JSON object per event, for scripts)
    --param KEY=VALUE     the platform's fields for the message (send --help lists them;
                          also for create and queue add)
  append ID TEXT        store a message without running the agent (%2); prints its id
  cancel ID             stop the running reply and wait until the platform accepts
    --run RUN_ID          the run to stop, where the platform cancels runs rather than
                          conversations (send prints it; without it, the running one
                          the platform names, where it names one)
  follow ID             print the reply running in a conversation (started anywhere) as
                        send does, until it ends
    --format FORMAT       text (default) or ndjson, as for send
    --timeout SECONDS     give up after this long (exit 8; default: no limit)
  queue ID [list | add TEXT | edit QID TEXT | delete QID | clear]
                        the follow-ups waiting for a running conversation; prints the
                        queue (id, created, text) after each change
  approve ID APPROVAL_ID --decision approve|reject
                        answer an operation the agent waits to be allowed to run (%6;
                        show lists them); the agent's next reply streams as for send
    --note TEXT           with reject: tells the agent why
  requirements USER_ID  what an end user must still link or provide (%3); exit 0
                        when nothing is left, 1 line per unsatisfied requirement otherwise
  link REQUIREMENT_ID --user USER_ID
                        prints the page that links the account (open it in a browser),
                        then waits until the requirement is met
    --timeout SECONDS     give up waiting after this long (default 600)

  --retries N           how often a failed read (never a write) is tried again when the
                        failure may pass: 5xx, 429, timeouts, refused connections
                        (default 3, with growing pauses; 0 = never); a request that
                        gets no answer gives up after 60 s in all, retries included
  --request-timeout SECONDS
                        give up on a request when the platform sends nothing for this
                        long (default: 30, and up to 120 while a reply streams)
  -v, --verbose         also log the requests made (never keys or bodies) on stderr
  -h, --help            this help; COMMAND --help (or help COMMAND) explains one command,
                        its output and exit codes, and which platforms offer it

Why the key is never an argument: command lines are visible to every user of this
computer (ps, /proc/PID/cmdline) and end up in shell history. Put it in the environment
without echoing it, for example:
    read -rs PARLEY_API_KEY && export PARLEY_API_KEY

Exit status:
  0  success
  2  usage: wrong arguments, unknown filter, invalid workspace settings, or the
     platform rejected the request's parameters
  3  authentication: no key, or the platform rejected it or its permissions (a
     missing scope is named)
  4  not found
  5  the platform could not be reached or answered with an error (network, timeout,
     server error, rate limit, quota): retry later
  6  the server answered something that is not the platform's API (check --base-url)
  7  conflict: the conversation is still answering (queue the message instead), its
     queue is full, or the approval was already answered
  8  link: the account was not linked within --timeout
  130  interrupted (Ctrl+C): the request was canceled
  1  any other failure
)")
        .arg(ProviderRegistry::displayNames(), ProviderRegistry::displayNames(Capabilities::Append),
             ProviderRegistry::displayNames(Capabilities::Connectors),
             ProviderRegistry::displayNames(
                 [](const Capabilities &c) { return !c.sortFields.isEmpty(); }),
             ProviderRegistry::displayNames([](const Capabilities &c) { return c.listFromId; }),
             ProviderRegistry::displayNames(Capabilities::Approvals));
}

} // namespace parley::cli
