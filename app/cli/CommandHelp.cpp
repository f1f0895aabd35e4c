#include "cli/CommandHelp.h"

#include "core/TranslationContext.h"

#include "providers/ProviderRegistry.h"

#include <QCoreApplication>

#include <optional>

using namespace Qt::StringLiterals;

namespace parley::cli {

namespace {

const TranslationContext tr{"parley::cli::CommandHelp"};

struct CommandInfo
{
    const char *name;
    const char *usage; // after "parley-cli "
    std::optional<Capabilities::Action> action;
};

const CommandInfo kCommands[] = {
    {"list",
     "WHERE list [--limit N] [--filter KEY=VALUE]... [--sort FIELDS] [--before ID | --after ID] "
     "[--page-size N] [--parallel N] [--format ndjson|csv|json]",
     {}},
    {"show", "WHERE show ID [--format markdown|json]", {}},
    {"workspaces", "workspaces [--format ndjson|csv|json]", {}},
    {"create", "WHERE create [--title TEXT] [--param KEY=VALUE]... [--format text|ndjson] [TEXT|-]",
     Capabilities::Create},
    {"send", "WHERE send ID TEXT|- [--param KEY=VALUE]... [--format text|ndjson]",
     Capabilities::Send},
    {"append", "WHERE append ID TEXT|-", Capabilities::Append},
    {"cancel", "WHERE cancel ID [--run RUN_ID]", Capabilities::Cancel},
    {"follow", "WHERE follow ID [--format text|ndjson] [--timeout SECONDS]", Capabilities::Details},
    {"queue",
     "WHERE queue ID [list | add TEXT|- [--param KEY=VALUE]... | edit QID TEXT|- | delete QID | "
     "clear] [--format ndjson|csv|json]",
     Capabilities::FollowUps},
    {"approve",
     "WHERE approve ID APPROVAL_ID --decision approve|reject [--note TEXT] "
     "[--format text|ndjson]",
     Capabilities::Approvals},
    {"requirements", "WHERE requirements USER_ID [--format ndjson|csv|json]",
     Capabilities::Connectors},
    {"link", "WHERE link REQUIREMENT_ID --user USER_ID [--timeout SECONDS]",
     Capabilities::Connectors},
};

const CommandInfo *find(const QString &name)
{
    for (const CommandInfo &c : kCommands) {
        if (name == QLatin1String(c.name))
            return &c;
    }
    return nullptr;
}

// What a command does, its options and exit codes (the usage line comes first, separately).
QString body(const QString &name)
{
    if (name == "list"_L1)
        return tr(R"(Every conversation of the workspace, printed as the pages arrive, in the
platform's order (newest first unless --sort says otherwise).

  --limit N             stop after N conversations
  --filter KEY=VALUE    a server-side filter the platform offers (repeatable; see
                        parley-cli --help for each platform's filters)
  --sort FIELDS         the order the platform sorts in: fields separated by commas, "-"
                        before one for descending (-created_at,title); checked against
                        the platform's fields before anything is sent
  --before ID           only the conversations that come before ID in the list, i.e.
                        the newer ones (printed newest first once all have arrived; with
                        --limit, the N nearest to ID)
  --after ID            only the conversations that come after ID, i.e. the older ones
  --page-size N         rows per request (default: the platform's largest page); a size
                        beyond the platform's documented limit is refused
  --parallel N          pages in flight at once, 1 to 16 (default 4; 1: one after the
                        other), where the platform pages by number or offset and counts
                        the whole list; rows still print in the platform's order, each
                        once. Lists paged by cursor, --before and --after go one page at
                        a time. Either way the next page is asked for while the last is
                        read, requests keep to the platform's documented rate limit
                        (PostHog: 480 a minute), and a 429 halves the pages in flight
  --format FORMAT       ndjson (default: one JSON object per line), csv (RFC 4180, with a
                        header row) or json (one array at the end)

The last line on stderr counts what was printed: "N of M conversations", M being the
platform's count of the whole list where it gives one (else "N conversations").

A conversation Parley cannot read (a field of an unexpected type) is left out of every
format, with one line on stderr: "warning: unreadable conversation ID: WHY".

Exit status: 0 listed (also with unreadable conversations left out); 2 an option the
platform does not take (named); 4 the ID of --before/--after is not known; 6 the list's
paging went nowhere: a paging field of the wrong type, or a page that repeats itself (the
rows that arrived are printed first).
)");
    if (name == "show"_L1)
        return tr(R"(One conversation with its properties and transcript.

  --format FORMAT       markdown (default: a readable transcript) or json

Markdown prints structured messages as content: plan steps and tasks as a checklist with
their status, a chart's question, plan and query kind, a notebook's text. JSON gives each
turn the message as the platform sent it ("raw"). A message Parley cannot read (a field of
an unexpected type) stays in its place: one line "unreadable TYPE ID: why" in markdown,
"unreadable": WHY in JSON, and one line on stderr per message, "warning: unreadable
message ID: WHY"; the rest is printed and the exit status is 0.

Where the platform has no endpoint for one conversation (PolyAI v1), the list is searched
for ID, in each of its scopes in turn (PolyAI: the client environments live, sandbox,
pre-release) until one has it; a stderr line names the scopes searched.

Exit status: 0 shown; 4 no conversation has the ID (the scopes searched are named).
)");
    if (name == "workspaces"_L1)
        return tr(R"(The workspaces saved in Parley (no key needed).

  --format FORMAT       ndjson (default), csv or json
)");
    if (name == "create"_L1)
        return tr(
            R"(Starts a conversation. The first line of stdout is its id, printed as soon as the
platform gives it (before any of the reply); then, when TEXT is given and the platform
answers it, the reply streams to stdout exactly as with send.

  TEXT                  the first message; - reads it from stdin, up to end of file
  --title TEXT          the conversation's title, where the platform keeps one
  --param KEY=VALUE     a field of the new conversation (repeatable, also with
                        --workspace; each platform's fields are listed below)
  --format FORMAT       text (default) or ndjson: see parley-cli send --help. In ndjson
                        the id is in the "conversation" event.

Exit status: 0 started (and its reply complete); 2 a field missing, unknown or refused;
7 conflict; 130 Ctrl+C (stops listening: the platform's run goes on, cancel stops it).
)");
    if (name == "send"_L1)
        return tr(R"(Sends TEXT to the conversation ID and streams the agent's reply as it arrives.

  TEXT                  the message; - reads it from stdin, up to end of file
  --format text         (default) stdout gets the reply's text as it grows, a token at a
                        time. The platform's status ("Thinking…") and the run's id go to
                        stderr. When the platform replaces a message with a different final
                        text, a line break follows what was shown and the final text is
                        printed whole: the last text printed is always the final answer.
                        Each further assistant message starts on a line of its own. The
                        user's own message is not echoed.
  --format ndjson       one JSON object per event and line, flushed as it happens:
                          {"event":"conversation","id":…,"title":…,"status":…}
                          {"event":"turn","id":…,"replaces":…,"role":…,"state":…,"text":…}
                            role user|assistant|tool|system, state
                            done|in-progress|stopped|error, text the turn's whole text so
                            far; a turn with "replaces" takes the place of that turn
                          {"event":"status","text":…}
                          {"event":"run","id":…}    (what cancel --run takes)
                          {"event":"finished","ok":true}, or with "ok":false, "error"
                            (network, timeout, conflict, …) and "message"; always last

  --param KEY=VALUE     a field of the message (repeatable, also with --workspace; each
                        platform's fields are listed below; JSON ones are checked before
                        anything is sent)

Exit status: 0 the reply is complete; 2 a field unknown or not valid (named); 7 the
conversation is still answering an earlier message (queue ID add TEXT waits for it, where
the platform has a queue); 130 Ctrl+C (stops listening: the platform's run goes on, cancel
stops it).
)");
    if (name == "approve"_L1)
        return tr(
            R"(Answers an approval of the conversation ID: an operation the agent stopped to ask
leave to run (show lists them with their ids, tools, previews and statuses). Only a
pending approval is answered. The decision is sent, the agent goes on, and its reply
streams to stdout as with send; stderr then says the approval's new status.

  APPROVAL_ID           the approval to answer (PostHog: its proposal id)
  --decision approve    let the agent run the operation
  --decision reject     do not; the agent is told so
  --note TEXT           with reject: why, for the agent
  --format text|ndjson  as for send

Exit status: 0 answered and recorded; 4 no such conversation or approval (the pending
ones are named); 7 the approval was already answered; 3 the key may not write (a missing
scope is named); 1 the platform did not record the decision.
)");
    if (name == "follow"_L1)
        return tr(R"(Prints the reply running in the conversation ID, wherever it was started (the
window, another parley-cli, the platform's own console), as send prints its reply, and
waits until it ends. Where the platform streams a running reply (PostHog, for the key
owner's conversations and a key with conversation:write) that stream is printed; otherwise
the conversation is fetched again at a pace that backs off while nothing changes.

  --format text|ndjson  as for send: the reply's text as it grows, or one JSON object per
                        event
  --timeout SECONDS     give up after this long (default: wait until the reply ends)

Exit status: 0 the reply ended, or the conversation is not running (said on stderr);
4 no such conversation; 8 --timeout passed first; 130 Ctrl+C (stops listening: the
platform's run goes on).
)");
    if (name == "append"_L1)
        return tr(R"(Stores a message in the conversation ID without running the agent, and prints
the new message's id.

  TEXT                  the message; - reads it from stdin, up to end of file
)");
    if (name == "cancel"_L1)
        return tr(R"(Asks the platform to stop the reply running in the conversation ID, and waits
for its answer: exit 0 means the platform accepted (the run may report "canceling" for a
moment more).

  --run RUN_ID          the run to stop, where the platform stops runs rather than
                        conversations; send and create print it on stderr ("run …"),
                        or as the "run" event with --format ndjson. Without it, Parley
                        asks the platform which run is going (Fixie: the turn being
                        written) and stops that one.
)");
    if (name == "queue"_L1)
        return tr(R"(The follow-up messages waiting for a running conversation, taken in order when
its reply ends. Every form prints the queue as it then stands: one row per message with
id, created_at and content (nothing when it is empty); how full it is goes to stderr.

  list                  (default) the queue
  add TEXT              queue a message; - reads it from stdin
    --param KEY=VALUE     a field of the queued message (the platform's, listed below)
  edit QID TEXT         change a queued message's text
  delete QID            remove a queued message
  clear                 remove them all
  --format FORMAT       ndjson (default), csv or json

Exit status: 0 done; 7 the queue is full (add); 4 no such conversation or message.
)");
    if (name == "requirements"_L1)
        return tr(R"(What the end user USER_ID must still link or provide before an app can run for
them: one row per unmet requirement with id, type, name, title and app. Nothing printed
means nothing is left (stderr says so). Exit 0 either way: the rows are the answer.
A pipedream_account requirement can be linked with link.

  --format FORMAT       ndjson (default), csv or json
)");
    if (name == "link"_L1)
        return tr(
            R"(Links an account for one requirement of the end user USER_ID (see requirements).
Prints the platform's connect page on the first line of stdout (always https; plain http
only to this machine, for the sandbox): open it in a browser and authorize. parley-cli
then checks every few seconds (2 s at first, backing off to 30 s) until the requirement
is met.

  --user USER_ID        the end user whose account is linked (required)
  --timeout SECONDS     give up after this long (default 600)

Exit status: 0 linked; 8 not linked within --timeout, or the link expired (run link
again for a new one); 5 when the wait ended while the checks were failing (network,
server error, rate limit: whether the account was linked is not known); 130 Ctrl+C (the
check in flight is canceled).
)");
    return {};
}

// `text` broken into lines of at most 88 characters at spaces.
QString wrapped(const QString &text)
{
    QString out;
    QString line;
    for (const QString &word : text.split(u' ', Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > 88) {
            out += line + u'\n';
            line.clear();
        }
        line += (line.isEmpty() ? QString() : u" "_s) + word;
    }
    return out + line + u'\n';
}

QString createFieldLine(const WorkspaceField &field)
{
    QString line = u"      --param "_s + field.key + u'=';
    line += field.choices.isEmpty() ? (field.placeholder.isEmpty() ? u"VALUE"_s : field.placeholder)
                                    : field.choices.join(u'|');
    QStringList notes{field.label};
    if (field.choicesOpen)
        notes << tr("or another the platform knows");
    if (field.format == WorkspaceField::Format::JsonObject)
        notes << tr("a JSON object");
    else if (field.format == WorkspaceField::Format::Json)
        notes << tr("JSON");
    if (!field.exclusiveWith.isEmpty())
        notes << (field.required ? tr("or --param %1, one of the two").arg(field.exclusiveWith)
                                 : tr("not with %1").arg(field.exclusiveWith));
    else if (field.automatic)
        notes << tr("default %1").arg(field.fallback);
    else if (!field.required)
        notes << tr("optional");
    if (!field.defaultValue.isEmpty())
        notes << tr("default %1").arg(field.defaultValue);
    return line + u"  ("_s + notes.join(u", "_s) + u")\n"_s;
}

// Which platforms offer the action; for create, with each one's fields.
QString platformsText(const CommandInfo &command, HttpClient *http)
{
    QString out;
    QStringList offering;
    QStringList others;
    for (const PlatformInfo &info : ProviderRegistry::platforms()) {
        Workspace probe;
        probe.platform = info.id;
        const auto provider = ProviderRegistry::create(probe, {}, http);
        if (!provider)
            continue;
        const Capabilities caps = provider->capabilities();
        if (!caps.can(*command.action)) {
            others << info.id;
            continue;
        }
        offering << info.id;
        if (command.action == Capabilities::Send || command.action == Capabilities::FollowUps) {
            const QList<WorkspaceField> &fields =
                command.action == Capabilities::Send ? caps.messageFields : caps.queueFields;
            if (fields.isEmpty())
                continue;
            out += u"  "_s + info.id + u'\n';
            for (const WorkspaceField &field : fields)
                out += createFieldLine(field);
            continue;
        }
        if (command.action != Capabilities::Create)
            continue;
        QStringList notes;
        // A platform that takes no messages takes no first message either (orq.ai).
        notes << (caps.createNeedsText           ? tr("TEXT required")
                  : caps.can(Capabilities::Send) ? tr("TEXT optional")
                                                 : tr("without TEXT"));
        if (caps.createHasTitle)
            notes << tr("--title kept");
        if (caps.maxMessageLength > 0)
            notes << tr("at most %1 characters").arg(caps.maxMessageLength);
        out += u"  "_s + info.id + u" ("_s + notes.join(u", "_s) + u")\n"_s;
        if (caps.createFields.isEmpty())
            out += u"      "_s + tr("(no fields)") + u'\n';
        for (const WorkspaceField &field : caps.createFields)
            out += createFieldLine(field);
    }
    QString head =
        tr("Offered by: %1.").arg(offering.isEmpty() ? tr("none yet") : offering.join(u", "_s));
    if (!others.isEmpty())
        head +=
            u' ' +
            tr("Elsewhere (%1) it exits with 2 and names the platform.").arg(others.join(u", "_s));
    if (command.action == Capabilities::Create && !out.isEmpty())
        return wrapped(head) + u'\n' + tr("Fields of a new conversation:") + u'\n' + out;
    if (!out.isEmpty())
        return wrapped(head) + u'\n' +
               (command.action == Capabilities::Send ? tr("Fields of a message:")
                                                     : tr("Fields of a queued message:")) +
               u'\n' + out;
    return wrapped(head);
}

// What `list` takes on each platform: the largest page (per choice of a setting where it
// depends on one), the sort fields, --before/--after.
QString listPlatformsText(HttpClient *http)
{
    QString out = tr("What each platform takes:") + u'\n';
    for (const PlatformInfo &info : ProviderRegistry::platforms()) {
        Workspace probe;
        probe.platform = info.id;
        for (const WorkspaceField &field : info.fields)
            probe.params.insert(field.key, field.defaultValue);
        const auto provider = ProviderRegistry::create(probe, {}, http);
        if (!provider)
            continue;
        const Capabilities caps = provider->capabilities();
        // A setting whose choices change the largest page (an API version).
        QStringList sizes;
        for (const WorkspaceField &field : info.fields) {
            QStringList perChoice;
            bool differs = false;
            for (const QString &choice : field.choices) {
                Workspace variant = probe;
                variant.params.insert(field.key, choice);
                const auto other = ProviderRegistry::create(variant, {}, http);
                const int most = other ? other->capabilities().maxPageSize : caps.maxPageSize;
                differs = differs || most != caps.maxPageSize;
                perChoice << tr("1–%1 with %2 %3").arg(most).arg(field.key, choice);
            }
            if (differs)
                sizes << perChoice;
        }
        if (sizes.isEmpty())
            sizes << tr("1–%1").arg(caps.maxPageSize);
        QStringList notes{tr("--page-size %1").arg(sizes.join(u", "_s))};
        notes << (caps.sortFields.isEmpty()
                      ? tr("no --sort")
                      : tr("--sort among %1").arg(caps.sortFields.join(u", "_s)));
        notes << (caps.listFromId ? tr("--before/--after") : tr("no --before/--after"));
        // Indented under the heading, continuation lines further.
        QString entry = wrapped(info.id + u": "_s + notes.join(u"; "_s) + u'.');
        entry.chop(1);
        out += u"  "_s + entry.replace(u'\n', u"\n      "_s) + u'\n';
    }
    return out;
}

} // namespace

bool isCommandName(const QString &name)
{
    return find(name) != nullptr;
}

QString commandUsage(const QString &name)
{
    const CommandInfo *command = find(name);
    return command ? u"Usage: parley-cli "_s + QLatin1String(command->usage) : QString();
}

QString commandHelpText(const QString &name, HttpClient *http)
{
    const CommandInfo *command = find(name);
    if (!command)
        return {};
    QString out = commandUsage(name) + u"\n\n"_s + body(name);
    if (command->action)
        out += u'\n' + platformsText(*command, http);
    if (name == "list"_L1)
        out += u'\n' + listPlatformsText(http);
    out += u'\n' + wrapped(tr("WHERE is --workspace NAME, or --provider PLATFORM [--base-url URL] "
                              "[--param KEY=VALUE]...; the key comes from the keychain or "
                              "PARLEY_API_KEY. Every command and exit status: parley-cli --help."));
    return out;
}

} // namespace parley::cli
