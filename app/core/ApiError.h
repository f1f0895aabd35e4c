#pragma once

#include <QMetaType>
#include <QString>

#include <utility>

namespace parley {

// What went wrong with a request, in terms a person (and a retry policy) can act on.
// Providers fill `code` and `detail` from the platform's own error body; `message()`
// composes the sentence shown in the UI and printed by the CLI.
struct ApiError
{
    enum class Kind
    {
        None,
        Network,     // connection refused, DNS, TLS, reset
        Timeout,     // no bytes within the transfer timeout
        Canceled,    // the caller canceled; never shown as an error
        Auth,        // 401: missing or wrong key
        Forbidden,   // 403: key valid, not allowed
        NotFound,    // 404
        Conflict,    // 409: busy conversation, full queue
        RateLimited, // 429, see retryAfterSeconds
        Quota,       // 402: credits or plan exhausted
        Invalid,     // 400/422: the platform rejected what we sent
        Server,      // 5xx
        BadResponse, // a body we cannot understand (malformed JSON, wrong types, too large)
        Config,      // refused before sending: bad base URL, plain http to a remote host
    };

    // What the error means where its kind alone does not say: set by the platform's
    // refinement (or the HTTP layer) so that callers decide by it, never by `code` text.
    enum class Reason
    {
        None,
        QueueFull,        // Conflict: the follow-up queue holds all the platform keeps
        ConversationBusy, // Conflict: the conversation is still answering (queue, or wait)
        QueueClosed,      // Conflict: the conversation is not running, nothing takes a queue
        ScopeMissing,     // Forbidden: the key lacks a permission scope this call needs
        RunIdNeeded,      // Invalid: stopping a reply needs its run id, and none was given
        NotLoaded,        // NotFound without asking: the item is not among the rows loaded
        NotOffered,       // Config: the platform does not offer this action
        CutOff,           // BadResponse: the connection dropped before the whole answer came
    };

    Kind kind = Kind::None;
    Reason reason = Reason::None;
    int httpStatus = 0;         // 0 when no HTTP status was received
    QString code;               // platform's machine code, e.g. "queue_full", "not_found"
    QString detail;             // platform's human text, or our own description
    int retryAfterSeconds = -1; // from Retry-After, -1 when absent

    bool isError() const { return kind != Kind::None; }
    explicit operator bool() const { return isError(); }

    // One line: what happened, then what to do about it.
    QString message() const;
    // Short, stable name of the kind ("auth", "timeout", ...) for logs and the CLI.
    static QString kindName(Kind kind);

    // Short, stable name of the reason ("queue-full", ...) for logs and the CLI.
    static QString reasonName(Reason reason);

    static ApiError make(Kind kind, QString detail = {}, int httpStatus = 0, QString code = {});
    // Refusals made before anything is sent, with our own description: what we were asked
    // is not valid (Invalid), or the workspace lacks what the call needs (Config).
    static ApiError invalid(QString detail) { return make(Kind::Invalid, std::move(detail)); }
    static ApiError config(QString detail) { return make(Kind::Config, std::move(detail)); }
    // Invalid: "“<id>” is not <what>" (`what` such as "a Fixie conversation id"), the id cut
    // to 100 characters.
    static ApiError notAnId(const QString &id, const QString &what);
    // This error with `reason` set.
    ApiError because(Reason why) const;
    // Kind for an HTTP status (>= 400); Kind::None for success codes.
    static Kind kindForStatus(int httpStatus);
};

} // namespace parley

Q_DECLARE_METATYPE(parley::ApiError)
