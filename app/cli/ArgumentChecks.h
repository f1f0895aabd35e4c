#pragma once

#include "cli/CliOptions.h"
#include "core/NewConversation.h"
#include "core/PageCursor.h"
#include "providers/Capabilities.h"

#include <QMap>
#include <QString>

namespace parley::cli {

// The command line's arguments checked against what the platform declares, by the same
// rules the dialogs and the filter bar use (InputRules). Each answers with the usage error
// to print, naming the options at fault, or an empty string when the arguments are fine.

// list: --filter (offered, valid value, not two that exclude each other), --sort (the
// platform's sort fields), --before/--after (where the platform lists from an id) and
// --page-size (1 to the platform's largest page). On success `query` is what to ask for.
QString checkListArguments(const CliOptions &options, const Capabilities &capabilities,
                           const QString &platform, ListQuery *query);

// create: --param names a create field (or a workspace setting), the fields' values
// (required, pattern, choices, one of two that exclude each other) and the first message
// (where the platform needs one, within its length). `workspaceParams` are the open
// workspace's settings. On success `request` is what to send.
QString checkCreateArguments(const CliOptions &options, const Capabilities &capabilities,
                             const QMap<QString, QString> &workspaceParams, const QString &platform,
                             NewConversation *request);

// send and queue add: --param names a field of the message (`fields`: the platform's
// messageFields or queueFields) or a workspace setting, and the fields' values are what they
// take (JSON, choices, pattern). On success `params` holds the fields to send.
QString checkMessageFields(const CliOptions &options, const QList<WorkspaceField> &fields,
                           const QMap<QString, QString> &workspaceParams, const QString &platform,
                           QMap<QString, QString> *params);

// send, append, queue: the message is within the platform's length.
QString checkMessageArgument(const QString &text, const Capabilities &capabilities,
                             const QString &platform);

} // namespace parley::cli
