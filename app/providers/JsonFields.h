#pragma once

#include "core/ApiError.h"
#include "core/Result.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>
#include <type_traits>

namespace parley {

// Defensive reading of platform JSON, shared by every provider's mapping:
// a field that is absent or null gives the default; a field that is present with the
// wrong type gives the default *and* records a BadResponse error naming the field, so
// that a mapping can parse everything it can and still report the first type mismatch.
class JsonFields
{
public:
    explicit JsonFields(QString what = QStringLiteral("response"))
        : m_what(std::move(what))
    {}
    // Readers named for where they read, their names made only when error() needs one
    // (lists make one such reader per element):
    // "in <list>[index],"
    static JsonFields element(const QString &list, qsizetype index);
    // "in <outer>[outerIndex].<list>[index],"
    static JsonFields element(const QString &outer, qsizetype outerIndex, const QString &list,
                              qsizetype index);
    // "in '<key>',"
    static JsonFields inside(const QString &key);

    QString string(const QJsonObject &o, const QString &key);
    // A string, or a number rendered as text (ids are sometimes numeric).
    QString stringOrNumber(const QJsonObject &o, const QString &key);
    qint64 integer(const QJsonObject &o, const QString &key, qint64 fallback = -1);
    bool boolean(const QJsonObject &o, const QString &key, bool fallback = false);
    QJsonObject object(const QJsonObject &o, const QString &key);
    QJsonArray array(const QJsonObject &o, const QString &key);
    // ISO 8601 / RFC 3339 text, returned in UTC; invalid QDateTime when absent.
    QDateTime isoTime(const QJsonObject &o, const QString &key);
    // Unix epoch milliseconds (orq.ai), returned in UTC.
    QDateTime msTime(const QJsonObject &o, const QString &key);
    // Anything that is present, as compact JSON text (for tool arguments, payloads).
    QString jsonText(const QJsonObject &o, const QString &key);

    // Records a problem found by the mapping itself (e.g. "results is missing").
    void fail(const QString &problem);
    // False, with the problem "it has no '<key>'" recorded, when `key` is absent or null.
    bool require(const QJsonObject &o, const QString &key);
    // Calls `read(object, reader, index)` for each element of `list` that is an object, with
    // a reader of its own ("in <name>[i],") whose first problem this one takes afterwards;
    // an element that is no object records "<name>[i] is …, expected an object".
    template<typename Read>
    void eachObject(const QJsonArray &list, const QString &name, Read read)
    {
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QJsonValue v = list.at(i);
            if (!v.isObject()) {
                fail(notAnObject(name, i, v));
                continue;
            }
            JsonFields nested = element(name, i);
            read(v.toObject(), nested, i);
            absorb(nested);
        }
    }
    // Calls `read(object, reader, index)` for each element of `list` as eachObject does, but
    // an element that cannot be read does not fail this reader (degrade, never discard): for
    // an element that is no object, or whose reader recorded a problem, `unreadable(element,
    // why, index)` runs after, `why` the problem without the reader's name ("field 'title'
    // is a number, expected text").
    template<typename Read, typename Unreadable>
    void eachItem(const QJsonArray &list, const QString &name, Read read, Unreadable unreadable)
    {
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QJsonValue v = list.at(i);
            if (!v.isObject()) {
                unreadable(v, notAnObject(name, i, v), i);
                continue;
            }
            JsonFields nested = element(name, i);
            read(v.toObject(), nested, i);
            if (nested.failed())
                unreadable(v, nested.problem(), i);
        }
    }
    // Whether the items objects() reads keep their element as it came (`raw`) when they
    // could be read; one that could not always keeps it.
    enum class KeepRaw
    {
        Always,        // messages: the window and `show --format json` show any one's JSON
        WhenUnreadable // list rows, and turns read only to sum a row up
    };
    // What `read(object, reader)` (or `read(object, reader, index)`) makes of each object of
    // `list`, read as eachItem reads them: T is an item with `id` and setUnreadable() (a Turn,
    // a Conversation; only a Turn keeps the JSON of one that could be read). An element that cannot
    // be read becomes unreadableItem() of what its reader made, with the element as compact JSON;
    // the others are kept.
    template<typename T, typename Read>
    QList<T> objects(const QJsonArray &list, const QString &name, Read read,
                     KeepRaw keep = KeepRaw::Always)
    {
        QList<T> out;
        out.reserve(list.size());
        eachItem(
            list, name,
            [&](const QJsonObject &o, JsonFields &nested, qsizetype i) {
                if constexpr (std::is_invocable_v<Read &, const QJsonObject &, JsonFields &>)
                    out.append(read(o, nested));
                else
                    out.append(read(o, nested, i));
                if constexpr (requires(T t) { t.raw; }) {
                    if (keep == KeepRaw::Always && !nested.failed())
                        out.last().raw = compactJson(o);
                }
            },
            [&](const QJsonValue &v, const QString &why, qsizetype) {
                // An object was read (and appended) first: what its reader made is replaced.
                T item = unreadableItem(v.isObject() ? out.takeLast() : T(), why);
                item.setUnreadable(why, compactJson(v));
                out.append(std::move(item));
            });
        return out;
    }
    // An item that could not be read, for `why`: it keeps what places it (the id, a turn's
    // role, platform type, time and what it answers; a row's times), nothing it says.
    template<typename T>
    static T unreadableItem(const T &partial, const QString &why)
    {
        T item;
        item.id = partial.id;
        if constexpr (requires { item.typeLabel; }) {
            item.role = partial.role;
            item.typeLabel = partial.typeLabel;
            item.timestamp = partial.timestamp;
            item.inReplyTo = partial.inReplyTo;
        } else {
            item.createdAt = partial.createdAt;
            item.updatedAt = partial.updatedAt;
        }
        item.setUnreadable(why);
        return item;
    }
    // Carries the first problem of a nested reader up into this one.
    void absorb(const JsonFields &nested);

    bool failed() const { return !m_problem.isEmpty(); }
    // The first problem, without the reader's name; empty when there is none.
    const QString &problem() const { return m_problem; }
    // BadResponse with the first problem, e.g. "conversation field 'title' is a number,
    // expected text".
    ApiError error() const;

    // Parses `body` as a JSON object (the usual top level), with a nesting limit.
    // Error: BadResponse saying what was wrong ("not JSON at offset 12", "too deeply nested").
    static bool parseObject(const QByteArray &body, QJsonObject *out, ApiError *error,
                            int maxDepth = 64);
    static bool parseArray(const QByteArray &body, QJsonArray *out, ApiError *error,
                           int maxDepth = 64);
    // Parses `body` as a JSON object and reads it with `read(object, reader)`, the reader
    // named `what`: the value read, or the body's or the reader's first problem.
    template<typename T, typename Read>
    static Result<T> readObject(const QByteArray &body, const QString &what, Read read)
    {
        QJsonObject o;
        ApiError error;
        if (!parseObject(body, &o, &error))
            return error;
        JsonFields f(what);
        T value = read(o, f);
        if (f.failed())
            return f.error();
        return value;
    }
    // ISO 8601 / RFC 3339 text in UTC (no offset: UTC); invalid when it is none. The usual
    // forms are read by hand (readRfc3339), the others by parseIsoTimeWithQt().
    static QDateTime parseIsoTime(const QString &text);
    // The same with Qt's readers only: what parseIsoTime() must agree with.
    static QDateTime parseIsoTimeWithQt(const QString &text);
    // True when `key` is missing from `o` or null.
    static bool absent(const QJsonObject &o, const QString &key);
    // "a number", "text", "a list"... for messages about a value of the wrong type.
    static QString typeName(const QJsonValue &value);
    // `text` on one line, cut to at most `max` characters with an ellipsis.
    static QString oneLine(const QString &text, int max = 160);
    static QString toIsoUtc(const QDateTime &time); // "2026-05-01T10:00:00Z" (ms kept if any)
    // `value` as compact JSON text (a scalar as its JSON literal).
    static QByteArray compactJson(const QJsonValue &value);
    // "<name>[i] is a number, expected an object".
    static QString notAnObject(const QString &name, qsizetype index, const QJsonValue &value);

private:
    std::optional<qint64> wholeNumber(const QJsonValue &v, const QString &key);
    bool typeOk(const QJsonValue &v, QJsonValue::Type want, const QString &key,
                const char *expected);
    // The reader's name: m_what, or one made of the parts below (see element(), inside()).
    QString name() const;
    QString m_what;
    QString m_list;  // element(), inside(): the list or the key
    QString m_outer; // element() of a nested list
    qsizetype m_index = -1;
    qsizetype m_outerIndex = -1;
    bool m_inside = false;
    QString m_problem;
};

} // namespace parley
