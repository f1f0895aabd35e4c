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
        Help,
        Version
    };
    enum class ShowFormat
    {
        Markdown,
        Json
    };

    Command command = Command::Help;

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

    // list
    int limit = -1;   // -1 = all
    int pageSize = 0; // 0 = the provider's largest page
    QMap<QString, QString> filters;
    RowWriter::Format format = RowWriter::Format::Ndjson;

    // show
    QString id;
    ShowFormat showFormat = ShowFormat::Markdown;

    static constexpr const char *kDefaultKeyEnv = "PARLEY_API_KEY";
};

struct CliParseResult
{
    CliOptions options;
    QString error; // a usage error, one line; empty when the arguments are fine
};

// `arguments` includes the program name, as QCoreApplication::arguments().
CliParseResult parseCliArguments(const QStringList &arguments);
QString cliHelpText();

} // namespace parley::cli
