#pragma once

#include "cli/RowWriter.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace parley::cli {

// What the command line asked for, checked for everything that needs no platform
// knowledge. Platform-specific checks (params, filters, page size) happen once the
// provider is known.
struct CliOptions
{
    enum class Command
    {
        List,
        Show,
        Workspaces,
        Create,       // create [--title T] [--param K=V]... [TEXT]
        Send,         // send ID TEXT
        Append,       // append ID TEXT
        Cancel,       // cancel ID [--run RUN_ID]
        Follow,       // follow ID [--format text|ndjson] [--timeout S]
        Queue,        // queue ID [list | add TEXT | edit QID TEXT | delete QID | clear]
        Requirements, // requirements USER_ID
        Link,         // link REQUIREMENT_ID --user USER_ID [--timeout S]
        Approve,      // approve ID APPROVAL_ID --decision approve|reject [--note TEXT]
        Help,
        Version
    };
    enum class ShowFormat
    {
        Markdown,
        Json
    };

    Command command = Command::Help;
    QString helpTopic; // help: the command to explain ("" = all of parley-cli)

    // Where: a saved workspace, or an ad-hoc one.
    QString workspace; // --workspace NAME (or its id)
    QString platform;  // --provider ID
    QString baseUrl;   // --base-url URL ("" = the platform's default)
    QMap<QString, QString> params;
    QString keyEnv;         // --key-env VAR, default PARLEY_API_KEY
    bool keyEnvSet = false; // given explicitly (with --workspace: overrides the keychain)
    // Hidden --settings FILE: read workspaces from this INI file instead of the app's
    // settings (tests, or a second set of workspaces).
    QString settingsFile;
    bool verbose = false; // -v: log what happens (never keys or bodies) on stderr
    // --retries N: how often a failed idempotent request is sent again (RetryPolicy).
    int retries = 3;
    static constexpr int kMaxRetries = 10;
    // How long a plain request may take in all, retries and their pauses included (at least
    // requestTimeoutSeconds).
    static constexpr int kGiveUpAfterSeconds = 60;
    // --request-timeout S: no request waits longer than this for bytes (0 = their own).
    int requestTimeoutSeconds = 0;

    // list
    int limit = -1;   // -1 = all
    int pageSize = 0; // 0 = the provider's largest page
    // --parallel N: pages in flight where the paging allows it (1 = one after the other;
    // 0 = the pager's default, ListPager::kDefaultParallel).
    int parallel = 0;
    QMap<QString, QString> filters;
    QString sort;   // --sort FIELD,-FIELD… (where the platform sorts on the server)
    QString before; // --before ID: only the rows newer than ID (where the platform can)
    QString after;  // --after ID: only the rows older than ID
    RowWriter::Format format = RowWriter::Format::Ndjson;

    // show
    QString id;
    ShowFormat showFormat = ShowFormat::Markdown;

    // The write side. TEXT "-" is read from stdin.
    QString text;
    bool textFromStdin = false;
    QString title;   // create --title
    QString runId;   // cancel --run (where the platform cancels a run, not a conversation)
    QString queueOp; // queue: list, add, edit, delete, clear
    QString queueItemId;
    QString userId;           // requirements USER_ID, link --user
    QString requirementId;    // link
    int timeoutSeconds = 600; // link: give up waiting after this long
    bool timeoutSet = false;  // --timeout given (follow waits without a limit otherwise)
    bool jsonEvents = false;  // create/send --format ndjson: one JSON object per event
    QString approvalId;       // approve: the approval (PostHog: its proposal id)
    bool approve = true;      // approve --decision approve|reject
    QString note;             // approve --note: a rejection's reason

    static constexpr const char *kDefaultKeyEnv = "PARLEY_API_KEY";
};

struct CliParseResult
{
    CliOptions options;
    QString error;   // a usage error, one line; empty when the arguments are fine
    QString command; // the command word given ("send"), when it is a known one
    QString usage;   // its usage line ("Usage: parley-cli WHERE send ID TEXT|- …")
};

// create, send and queue take the platform's own fields for the message as --param (with
// --workspace too; with --provider they are told from the workspace settings by name).
bool takesMessageFields(CliOptions::Command command);

// `arguments` includes the program name, as QCoreApplication::arguments().
CliParseResult parseCliArguments(const QStringList &arguments);
QString cliHelpText();

} // namespace parley::cli
