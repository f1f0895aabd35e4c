#include "sandbox/FaultSpec.h"

#include <QStringList>

namespace parley::sandbox {

namespace {

bool toInt(const QString &value, int lo, int hi, int *out)
{
    bool ok = false;
    const int v = value.toInt(&ok);
    if (!ok || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

} // namespace

bool FaultSpec::isEmpty() const
{
    return delayMs == 0 && !hang && !reset && status == 0 && htmlStatus == 0 && !malformedJson &&
           !truncated && contentType.isEmpty() && oversizeMb == 0 && dripMs == 0 &&
           !redirectOtherHost && !cutStream && deepJson == 0 && !invalidUtf8 && !brokenItem &&
           !repeatPage;
}

bool FaultSpec::matchesPath(const QString &path) const
{
    return pathPattern.isEmpty() || m_path.match(path).hasMatch();
}

std::optional<FaultSpec> FaultSpec::parse(const QString &text, QString *error)
{
    FaultSpec spec;
    auto fail = [error](const QString &why) -> std::optional<FaultSpec> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QStringList items = text.split(QRegularExpression(QStringLiteral("[,;]")));
    bool any = false;
    for (const QString &raw : items) {
        const QString item = raw.trimmed();
        if (item.isEmpty())
            continue;
        const qsizetype eq = item.indexOf(u'=');
        const QString key = (eq < 0 ? item : item.left(eq)).trimmed().toLower();
        const QString value = eq < 0 ? QString() : item.mid(eq + 1).trimmed();
        const bool hasValue = eq >= 0;
        auto number = [&](int lo, int hi, int *out) {
            if (!hasValue || !toInt(value, lo, hi, out)) {
                if (error)
                    *error = QStringLiteral("fault \"%1\" needs a number from %2 to %3")
                                 .arg(key)
                                 .arg(lo)
                                 .arg(hi);
                return false;
            }
            return true;
        };
        auto flag = [&](bool *out) {
            if (hasValue) {
                if (error)
                    *error = QStringLiteral("fault \"%1\" takes no value").arg(key);
                return false;
            }
            *out = true;
            return true;
        };
        bool ok = true;
        bool isFault = true;
        if (key == u"delay")
            ok = number(1, 600000, &spec.delayMs);
        else if (key == u"hang")
            ok = flag(&spec.hang);
        else if (key == u"reset")
            ok = flag(&spec.reset);
        else if (key == u"status")
            ok = number(400, 599, &spec.status);
        else if (key == u"retry-after")
            ok = number(0, 86400, &spec.retryAfterSeconds);
        else if (key == u"retry-after-date")
            ok = flag(&spec.retryAfterDate);
        else if (key == u"html")
            ok = number(400, 599, &spec.htmlStatus);
        else if (key == u"malformed-json")
            ok = flag(&spec.malformedJson);
        else if (key == u"truncated")
            ok = flag(&spec.truncated);
        else if (key == u"content-type") {
            if (value.isEmpty() || value.contains(u'\r') || value.contains(u'\n'))
                return fail(QStringLiteral("fault \"content-type\" needs a media type"));
            spec.contentType = value.toLatin1();
        } else if (key == u"oversize")
            ok = number(1, 4096, &spec.oversizeMb);
        else if (key == u"drip")
            ok = number(1, 60000, &spec.dripMs);
        else if (key == u"redirect-other-host")
            ok = flag(&spec.redirectOtherHost);
        else if (key == u"cut-stream")
            ok = flag(&spec.cutStream);
        else if (key == u"deep-json")
            ok = number(1, 10000000, &spec.deepJson);
        else if (key == u"invalid-utf8")
            ok = flag(&spec.invalidUtf8);
        else if (key == u"broken-item")
            ok = flag(&spec.brokenItem);
        else if (key == u"repeat-page")
            ok = flag(&spec.repeatPage);
        else if (key == u"path") {
            isFault = false;
            QRegularExpression re(QRegularExpression::anchoredPattern(value));
            if (value.isEmpty() || !re.isValid())
                return fail(QStringLiteral("fault qualifier \"path\" needs a valid regular "
                                           "expression (%1)")
                                .arg(re.errorString()));
            spec.pathPattern = value;
            spec.m_path = std::move(re);
        } else if (key == u"every") {
            isFault = false;
            ok = number(1, 1000000, &spec.every);
        } else if (key == u"first") {
            isFault = false;
            ok = number(1, 1000000, &spec.first);
        } else
            return fail(
                QStringLiteral("unknown fault \"%1\" (see parley-sandbox --help)").arg(key));
        if (!ok)
            return std::nullopt;
        any = any || isFault;
    }
    if (!any)
        return fail(QStringLiteral("no fault given"));
    if ((spec.retryAfterSeconds >= 0 || spec.retryAfterDate) && spec.status == 0)
        return fail(QStringLiteral("\"retry-after\" needs \"status=N\""));
    if (spec.retryAfterSeconds >= 0 && spec.retryAfterDate)
        return fail(QStringLiteral("use either \"retry-after=S\" or \"retry-after-date\""));
    if (spec.status != 0 && spec.htmlStatus != 0)
        return fail(QStringLiteral("use either \"status=N\" or \"html=N\""));
    return spec;
}

QString FaultSpec::syntaxHelp()
{
    return QStringLiteral(
        "Faults (--faults or the X-Parley-Fault request header; join with ',' or ';'):\n"
        "  delay=MS              answer MS milliseconds late\n"
        "  hang                  never answer (the client's timeout fires)\n"
        "  reset                 reset the connection instead of answering\n"
        "  status=N              a JSON error with HTTP status N (400-599)\n"
        "  retry-after=S         with status: Retry-After: S seconds\n"
        "  retry-after-date      with status: Retry-After as an HTTP date 3 s ahead\n"
        "  html=N                an HTML error page with status N (as proxies send)\n"
        "  malformed-json        the real body with a byte cut out and a stray '}'\n"
        "  truncated             Content-Length larger than the body, then close\n"
        "  content-type=T        the real body labelled as type T\n"
        "  oversize=MB           a 200 body of MB megabytes, streamed lazily\n"
        "  drip=MS               the real body a few bytes every MS milliseconds\n"
        "  redirect-other-host   307 to http://127.0.0.2 on the same port\n"
        "  cut-stream            streamed replies: half the frames, cut mid-frame, reset\n"
        "  deep-json=N           a 200 body of arrays nested N deep\n"
        "  invalid-utf8          bytes C3 28 inside the first string value of the real body\n"
        "  broken-item           the real body with one item of its first list of objects\n"
        "                        (a row, a message) unreadable: every field but its id,\n"
        "                        type and role of the wrong type\n"
        "  repeat-page           every matching request gets the body the first one got\n"
        "                        (a server that ignores the paging parameters)\n"
        "Qualifiers (--faults only): path=REGEX (anchored, whole path), every=N, first=N");
}

} // namespace parley::sandbox
