#pragma once

#include "core/NewConversation.h"
#include "core/PageCursor.h"
#include "core/Workspace.h"
#include "providers/Capabilities.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace parley {

// What a user may type, checked from what a platform declares (PlatformInfo::fields,
// Capabilities): one function per kind of input, used alike by the workspace dialog, the
// new-conversation dialog, the server filter bar, the command line and the demo workspaces,
// so that they accept and refuse the same values with the same words.
//
// Each check answers with the problems it found keyed by field (a WorkspaceField or
// FilterSpec key, or one of the keys below), each a sentence for the user; empty when all
// is well. Values are compared trimmed; an empty value is a value not set. A pattern is a
// regular expression the whole value must match; a pattern that does not compile (a
// platform's mistake) refuses nothing.
namespace InputRules {

using Problems = QMap<QString, QString>;

inline constexpr char16_t kPlatformKey[] = u"platform";  // the platform is unknown
inline constexpr char16_t kBaseUrlKey[] = u"base_url";   // Workspace::baseUrl
inline constexpr char16_t kTextKey[] = u"text";          // a message's text
inline constexpr char16_t kSortKey[] = u"sort";          // ListQuery::sort
inline constexpr char16_t kPageSizeKey[] = u"page_size"; // ListQuery::pageSize

// ---- Workspace settings ----

// Empty when `url` is usable as `info`'s base URL (https, or http to this computer only;
// no user name, query or fragment), else what is wrong with it.
QString checkBaseUrl(const QUrl &url, const PlatformInfo &info);
// The base URL (an empty one means the platform's default) and every field of `info`:
// required, choices, pattern, and two fields that exclude each other (exclusiveWith: not
// both; with both required, one of them). `info` empty: the platform is unknown.
Problems checkWorkspace(const Workspace &workspace, const PlatformInfo &info);
// `value` is set and would pass `field`'s choices and pattern.
bool fits(const WorkspaceField &field, const QString &value);

// Empty when `value` (trimmed) is empty or is what `format` asks for (WorkspaceField::Format:
// any JSON value, or a JSON object), else what is wrong with it.
QString jsonProblem(WorkspaceField::Format format, const QString &value);

// ---- Starting a conversation, sending and queueing ----

// The values in `params` of a message's own fields (Capabilities::messageFields or
// queueFields): required, JSON, choices, pattern.
Problems checkFields(const QList<WorkspaceField> &fields, const QMap<QString, QString> &params);

// The create fields' values in `params`. Of two fields that exclude each other exactly one
// may be set; `chosen` names the one the user picked to set (the dialog's choice), so it is
// the one that must be filled in; without it either will do.
Problems checkCreateFields(const QList<WorkspaceField> &fields,
                           const QMap<QString, QString> &params, const QStringList &chosen = {});
// Empty when `text` is within the platform's message length (Capabilities::maxMessageLength).
QString checkMessageLength(const Capabilities &capabilities, const QString &text);
// A whole request: its create fields, and under kTextKey a missing first message
// (createNeedsText) or one that is too long.
Problems checkNewConversation(const Capabilities &capabilities, const NewConversation &request,
                              const QStringList &chosen = {});

// ---- Listing conversations ----

// Why `value` is not accepted for `spec` (empty when it is, or when it is empty): the
// pattern of a text, one of the choices, true or false, an ISO 8601 date and time. With
// `normalized`, the value as it is sent (booleans in lower case, times in UTC).
QString checkFilter(const FilterSpec &spec, const QString &value, QString *normalized = nullptr);
// Every filter in `filters`: one the platform offers, with a value checkFilter() accepts,
// not together with one it excludes (reported under the later of the two in `specs`).
// With `normalized`, the filters as they are sent, empty values left out.
Problems checkFilters(const QList<FilterSpec> &specs, const QMap<QString, QString> &filters,
                      QMap<QString, QString> *normalized = nullptr);
// Empty when `sort` is empty or a comma-separated list of `sortFields`, each at most once and
// optionally after "-" (descending), e.g. "-created_at,title".
QString checkSort(const QStringList &sortFields, const QString &sort);
// Empty when 1 ≤ `pageSize` ≤ the platform's largest page.
QString checkPageSize(const Capabilities &capabilities, int pageSize);
// The largest page the platform gives (at least 1).
int maxPageSize(const Capabilities &capabilities);
// Filters, sort (under kSortKey) and page size (under kPageSizeKey) of `query`; with
// `normalized`, the query as it is sent.
Problems checkListQuery(const Capabilities &capabilities, const ListQuery &query,
                        ListQuery *normalized = nullptr);
// `query` without the filter keys and sort fields the platform does not offer (a saved
// query from another platform or an older version); values are kept as they are, so that
// an editor can show what is wrong with them.
ListQuery sanitized(const ListQuery &query, const Capabilities &capabilities);

} // namespace InputRules

} // namespace parley
