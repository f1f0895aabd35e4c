#pragma once

#include "core/PageCursor.h"

#include <QFlags>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace parley {

// A server-side list filter a platform documents; the filter bar builds its widgets
// from these, and ListQuery::filters carries the values under `key`.
struct FilterSpec
{
    enum class Kind
    {
        Text,
        Choice,
        DateTime,
        Bool
    };

    QString key;   // the platform's query parameter name
    QString label; // shown in the UI
    Kind kind = Kind::Text;
    QStringList choices;   // Choice: allowed values
    QString exclusiveWith; // key of a filter that cannot be set together with this one
    QString hint;          // tooltip / placeholder
    QString pattern;       // Text: regular expression a value must match (anchored); empty = any
    QString patternHint;   // Text: shown beside the field when the value does not match
};

// A workspace setting a platform needs, for the workspace dialog and validation.
struct WorkspaceField
{
    // What a value must be: any text, or JSON (Json: any JSON value; JsonObject: an object).
    // JSON values travel as their text and go out as JSON.
    enum class Format
    {
        Text,
        Json,
        JsonObject,
    };

    QString key; // Workspace::params key, e.g. "project_id"
    QString label;
    bool required = true;
    QString placeholder;
    QString pattern;     // regular expression the value must match (anchored); empty = any
    QStringList choices; // non-empty: a combo box
    // The choices are the values known so far, not all there are (a platform whose list
    // grows): any other value is taken too, and the combo box is editable.
    bool choicesOpen = false;
    Format format = Format::Text;
    QString defaultValue;
    QString hint;          // one sentence shown with the field (tooltip / help text); empty = none
    QString exclusiveWith; // key of a field that cannot be set together with this one;
                           // with both required, exactly one of the two must be set
    // A choice of the API's form (version, path, revision): empty is "Automatic", which
    // testing the workspace fills with the form that answers (Provider::probeConnection);
    // until then the provider uses `fallback`.
    bool automatic = false;
    QString fallback = {};
};

// A limit a platform documents on the requests of one key: at most `requests` in any
// `seconds` (PostHog: 480 a minute, 4800 an hour).
struct RequestLimit
{
    int requests = 0;
    int seconds = 60;
    bool operator==(const RequestLimit &) const = default;
};

// What a provider can do; the UI enables exactly this, never `if (platform == ...)`.
struct Capabilities
{
    enum Action
    {
        List = 1 << 0,
        Transcript = 1 << 1, // a conversation's messages can be read
        Details = 1 << 8,    // a conversation can be opened (fetchConversation)
        Create = 1 << 2,
        Send = 1 << 3,
        Append = 1 << 4,
        Cancel = 1 << 5,
        FollowUps = 1 << 6,
        Connectors = 1 << 7,
        Approvals = 1 << 9, // ConversationDetail::approvals can be answered
    };
    Q_DECLARE_FLAGS(Actions, Action)

    Actions actions = List;
    PageCursor::Style paging = PageCursor::Style::Offset;
    int maxPageSize = 100;
    QList<FilterSpec> filters;
    QStringList sortFields; // server-side sort keys; empty = no server sort
    // ListQuery::startAfter / endBefore are honoured: a list can start at a conversation id.
    bool listFromId = false;
    QString listNote; // e.g. "Lists only the conversations of the key's owner."
    // A page of the list is asked for by its number or offset alone (PageCursor::nth()), so
    // the pager may ask for several at once; false where a page needs what the one before
    // said (an opaque cursor, a server-given URL).
    bool pagesByPosition = false;
    // The platform's documented limits on reads per key, which the pager keeps to before any
    // 429; empty where it documents none (a 429 then lowers the pages in flight).
    QList<RequestLimit> readLimits;

    // Create: the platform's own fields for a new conversation (NewConversation::params),
    // shown by the new-conversation dialog; a field with `exclusiveWith` cannot be set
    // together with that one (Dynamiq: exactly one of app_id / model_id).
    QList<WorkspaceField> createFields;
    // Send and FollowUps: the platform's own fields for a sent and a queued message (the
    // params of Provider::sendMessage() and FollowUpChange), as createFields for creating.
    QList<WorkspaceField> messageFields;
    QList<WorkspaceField> queueFields;
    bool createNeedsText = false; // a conversation starts only with a first message
    bool createHasTitle = false;  // the platform stores a title given at creation
    int maxMessageLength = 0;     // characters a sent/appended/queued message may have; 0 = any

    bool can(Action a) const { return actions.testFlag(a); }
};

Q_DECLARE_OPERATORS_FOR_FLAGS(Capabilities::Actions)

// Static facts about a platform, available before any workspace exists.
struct PlatformInfo
{
    QString id;          // "posthog"
    QString displayName; // "PostHog AI"
    QUrl defaultBaseUrl;
    QString keyHint; // "Personal API key (phx_…) with conversation:read"
    QList<WorkspaceField> fields;
};

} // namespace parley
