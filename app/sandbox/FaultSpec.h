#pragma once

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

#include <optional>

namespace parley::sandbox {

// One set of faults the SandboxServer injects into its replies, parsed from text such as
// "delay=800", "status=429;retry-after=3" or "html=502,path=/posthog/.*,first=2".
// Items are separated by ',' or ';' (so a path regex cannot contain either).
struct FaultSpec
{
    int delayMs = 0;                // delay=MS: answer late
    bool hang = false;              // hang: never answer
    bool reset = false;             // reset: TCP reset instead of an answer
    int status = 0;                 // status=N: JSON error with this status
    int retryAfterSeconds = -1;     // retry-after=S (with status)
    bool retryAfterDate = false;    // retry-after-date: Retry-After as an HTTP date (with status)
    int htmlStatus = 0;             // html=N: an HTML error page with this status
    bool malformedJson = false;     // malformed-json: the real body, broken
    bool truncated = false;         // truncated: Content-Length larger than the body, then close
    QByteArray contentType;         // content-type=T: the real body with this type
    int oversizeMb = 0;             // oversize=MB: a 200 body this large, streamed lazily
    int dripMs = 0;                 // drip=MS: the real body a few bytes every MS
    bool redirectOtherHost = false; // redirect-other-host: 307 to 127.0.0.2 on the same port
    bool cutStream = false;         // cut-stream: half the frames, then cut inside one and reset
    int deepJson = 0;               // deep-json=N: [[[...]]] nested N deep
    bool invalidUtf8 = false;       // invalid-utf8: bytes C3 28 inside a string value of the body
    bool brokenItem = false;        // broken-item: one item of the body's first list unreadable
    bool repeatPage = false;        // repeat-page: the first matching body again, for every page

    QString pathPattern; // path=REGEX: only requests whose path matches (anchored)
    int every = 0;       // every=N: only every Nth matching request
    int first = 0;       // first=N: only the first N matching requests

    bool isEmpty() const;
    // Whether the spec is meant for `path` (the path qualifier only).
    bool matchesPath(const QString &path) const;

    // nullopt with `error` set (saying which item and why) when the text is not a spec.
    static std::optional<FaultSpec> parse(const QString &text, QString *error = nullptr);
    // One line per fault, for --help and documentation.
    static QString syntaxHelp();

private:
    QRegularExpression m_path;
};

} // namespace parley::sandbox
