#include "sandbox/BodyFaults.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <functional>

namespace parley::sandbox::bodyfaults {

namespace {

// What places an item (its id, its kind): kept, so that a client can say which item broke.
bool keptKey(const QString &key)
{
    static const QStringList kept{QStringLiteral("id"), QStringLiteral("_id"),
                                  QStringLiteral("conversationId"), QStringLiteral("type"),
                                  QStringLiteral("role")};
    return kept.contains(key);
}

QJsonObject broken(QJsonObject item)
{
    for (auto it = item.begin(); it != item.end(); ++it) {
        if (keptKey(it.key()) || it.value().isNull())
            continue;
        it.value() = it.value().isString() ? QJsonValue(7) : QJsonValue(QStringLiteral("x"));
    }
    return item;
}

bool isListOfObjects(const QJsonValue &v)
{
    if (!v.isArray())
        return false;
    const QJsonArray list = v.toArray();
    return !list.isEmpty() &&
           std::all_of(list.begin(), list.end(), [](const QJsonValue &e) { return e.isObject(); });
}

// Breaks the item in the first list of objects found breadth first under `root`; false when
// there is none. Nested values are rebuilt on the way back (QJson values are copies).
bool breakFirstList(QJsonValue &root)
{
    if (isListOfObjects(root)) {
        QJsonArray list = root.toArray();
        const qsizetype at = list.size() > 1 ? 1 : 0;
        list[at] = broken(list.at(at).toObject());
        root = list;
        return true;
    }
    // One level at a time: the children that are lists of objects, then deeper.
    for (int depth = 1; depth <= 8; ++depth) {
        std::function<bool(QJsonValue &, int)> visit = [&](QJsonValue &v, int left) -> bool {
            if (left == 0)
                return isListOfObjects(v) && breakFirstList(v);
            if (v.isObject()) {
                QJsonObject o = v.toObject();
                for (auto it = o.begin(); it != o.end(); ++it) {
                    QJsonValue child = it.value();
                    if (visit(child, left - 1)) {
                        it.value() = child;
                        v = o;
                        return true;
                    }
                }
            } else if (v.isArray()) {
                QJsonArray a = v.toArray();
                for (qsizetype i = 0; i < a.size(); ++i) {
                    QJsonValue child = a.at(i);
                    if (visit(child, left - 1)) {
                        a[i] = child;
                        v = a;
                        return true;
                    }
                }
            }
            return false;
        };
        if (visit(root, depth))
            return true;
    }
    return false;
}

} // namespace

QByteArray withInvalidUtf8(const QByteArray &body)
{
    static const QRegularExpression value(QStringLiteral(":\\s*\""));
    const QRegularExpressionMatch m = value.match(QString::fromLatin1(body));
    qsizetype at = m.hasMatch() ? m.capturedEnd() : body.indexOf('"') + 1;
    QByteArray out = body;
    if (at > 0)
        out.insert(at, "\xC3\x28");
    else
        out += "\"\xC3\x28\"";
    return out;
}

QByteArray withBrokenItem(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isNull())
        return body;
    QJsonValue root = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    if (!breakFirstList(root))
        return body;
    return root.isArray() ? QJsonDocument(root.toArray()).toJson(QJsonDocument::Compact)
                          : QJsonDocument(root.toObject()).toJson(QJsonDocument::Compact);
}

} // namespace parley::sandbox::bodyfaults
