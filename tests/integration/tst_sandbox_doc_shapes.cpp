// The sandbox speaks the documented shapes: every field it sends, at every depth, is a field
// of the hand-written fixtures under tests/data/<platform>/ (written from the platforms'
// documents: the seeds, shared/api, the specs' examples), with the same JSON type where both
// have a value.
//
// The mapping tests read those fixtures; the provider tests read the sandbox. A field name or
// type that client and sandbox got wrong alike (say `createdAt` where the document says
// `created_at`) passes every provider test against the sandbox, fails the mapping tests on the
// fixtures, and fails here, naming the field.
//
// Objects whose keys the documents leave open (tool arguments, metadata, PolyAI's metrics,
// state and entities) are compared only as objects, not by their keys.

#include "support/SandboxHttpTestCase.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace parley::test;

namespace {

// Each key path ("conversations.[].turns.[].role") with the JSON types seen there.
using Shape = QMap<QString, QSet<QString>>;

QString typeOf(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return u"bool"_s;
    case QJsonValue::Double:
        return u"number"_s;
    case QJsonValue::String:
        return u"text"_s;
    case QJsonValue::Array:
        return u"list"_s;
    case QJsonValue::Object:
        return u"object"_s;
    default:
        return u"null"_s;
    }
}

void collect(const QJsonValue &v, const QString &prefix, const QStringList &open, Shape *out)
{
    if (open.contains(prefix.chopped(qMin<qsizetype>(1, prefix.size()))))
        return; // an object the documents leave open: its keys are not compared
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString path = prefix + it.key();
            (*out)[path].insert(typeOf(it.value()));
            collect(it.value(), path + u'.', open, out);
        }
    } else if (v.isArray()) {
        for (const QJsonValue &item : v.toArray())
            collect(item, prefix + u"[]."_s, open, out);
    }
}

// A fixture, and where its top level sits in the answer ("" = the answer itself;
// "conversations.[]." = each item of a list, where a list item is a whole conversation).
struct Fixture
{
    QString pattern;
    QString mount = {};
};

struct Case
{
    QString prefix;    // the emulation's path prefix
    QString path;      // under it
    QByteArray header; // the key's header
    QByteArray value;  // its value
    QString folder;    // tests/data/<folder>
    QList<Fixture> fixtures;
    QStringList open = {}; // key paths of objects whose keys the documents leave open
    // For a detail: the path of one conversation, from the list answer.
    std::function<QString(const QJsonObject &list)> detailPath = {};
};

Shape documented(const Case &c, QString *error)
{
    Shape shape;
    const QDir dir(QStringLiteral(PARLEY_TEST_DATA_DIR "/") + c.folder);
    for (const Fixture &fixture : c.fixtures) {
        const QStringList files = dir.entryList({fixture.pattern}, QDir::Files, QDir::Name);
        if (files.isEmpty())
            *error += u"no fixture %1/%2; "_s.arg(c.folder, fixture.pattern);
        for (const QString &name : files) {
            QFile f(dir.filePath(name));
            if (!f.open(QIODevice::ReadOnly)) {
                *error += u"cannot read %1; "_s.arg(name);
                continue;
            }
            const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
            if (!doc.isObject())
                continue; // error bodies that are not objects say nothing of the shape
            collect(doc.object(), fixture.mount, c.open, &shape);
        }
    }
    return shape;
}

QStringList differences(const Shape &sent, const Shape &documented)
{
    QStringList out;
    for (auto it = sent.cbegin(); it != sent.cend(); ++it) {
        if (!documented.contains(it.key())) {
            out << u"'%1' is in no fixture"_s.arg(it.key());
            continue;
        }
        QSet<QString> sentTypes = it.value();
        QSet<QString> docTypes = documented.value(it.key());
        sentTypes.remove(u"null"_s);
        docTypes.remove(u"null"_s);
        if (!sentTypes.isEmpty() && !docTypes.isEmpty() && !sentTypes.intersects(docTypes))
            out << u"'%1' is %2 in the sandbox, %3 in the fixtures"_s.arg(
                it.key(), QStringList(sentTypes.values()).join(u'/'),
                QStringList(docTypes.values()).join(u'/'));
    }
    return out;
}

QString firstId(const QJsonObject &list, const QString &array, const QString &key)
{
    return list.value(array).toArray().first().toObject().value(key).toString();
}

const QByteArray kBearer = QByteArray("Bearer ") + "test-key-123";

QList<Case> cases()
{
    const QStringList polyaiOpen{u"conversations.[].metrics"_s, u"conversations.[].state"_s,
                                 u"conversations.[].turns.[].entities.[]"_s, u"descriptions"_s};
    return {
        {u"posthog"_s,
         u"/api/projects/1/conversations/"_s,
         "Authorization",
         kBearer,
         u"posthog"_s,
         {{u"list_*.json"_s}}},
        {u"posthog"_s,
         {},
         "Authorization",
         kBearer,
         u"posthog"_s,
         {{u"conversation*.json"_s}},
         // A visualization's answer is an insight query of PostHog's own schema; an approval's
         // payload is the arguments of the tool that waits for it.
         {u"messages.[].tool_calls.[].args"_s, u"messages.[].ui_payload"_s, u"messages.[].answer"_s,
          u"pending_approvals.[].payload"_s},
         [](const QJsonObject &list) {
             return u"/api/projects/1/conversations/%1/"_s.arg(
                 firstId(list, u"results"_s, u"id"_s));
         }},
        {u"dynamiq"_s,
         u"/v1/conversations"_s,
         "Authorization",
         kBearer,
         u"dynamiq"_s,
         {{u"list_*.json"_s}}},
        {u"dynamiq"_s,
         {},
         "Authorization",
         kBearer,
         u"dynamiq"_s,
         {{u"conversation*.json"_s}},
         {},
         [](const QJsonObject &list) {
             return u"/v1/conversations/%1"_s.arg(firstId(list, u"data"_s, u"id"_s));
         }},
        {u"fixie"_s,
         u"/api/v1/agents/agent-1/conversations"_s,
         "Authorization",
         kBearer,
         u"fixie"_s,
         {{u"list_*.json"_s}, {u"conversation*.json"_s, u"conversations.[]."_s}},
         {u"conversations.[].turns.[].metadata"_s,
          u"conversations.[].turns.[].messages.[].metadata"_s,
          u"conversations.[].turns.[].messages.[].args"_s}},
        {u"fixie"_s,
         {},
         "Authorization",
         kBearer,
         u"fixie"_s,
         {{u"conversation*.json"_s}},
         {u"turns.[].metadata"_s, u"turns.[].messages.[].metadata"_s,
          u"turns.[].messages.[].args"_s},
         [](const QJsonObject &list) {
             return u"/api/v1/agents/agent-1/conversations/%1"_s.arg(
                 firstId(list, u"conversations"_s, u"id"_s));
         }},
        {u"orq"_s,
         u"/v2/conversations"_s,
         "Authorization",
         kBearer,
         u"orq"_s,
         {{u"list_*.json"_s}},
         {u"data.[].metadata"_s}},
        {u"orq"_s,
         {},
         "Authorization",
         kBearer,
         u"orq"_s,
         {{u"conversation*.json"_s}},
         {u"metadata"_s},
         [](const QJsonObject &list) {
             return u"/v2/conversations/%1"_s.arg(firstId(list, u"data"_s, u"_id"_s));
         }},
        {u"polyai"_s,
         u"/v1/acme/support/conversations"_s,
         "x-api-key",
         "test-key-123",
         u"polyai"_s,
         {{u"v1_list*.json"_s}},
         polyaiOpen},
        {u"polyai"_s,
         u"/v3/acme/support/conversations"_s,
         "x-api-key",
         "test-key-123",
         u"polyai"_s,
         {{u"v3_list*.json"_s}, {u"v3_detail.json"_s, u"conversations.[]."_s}},
         polyaiOpen},
        {u"polyai"_s,
         {},
         "x-api-key",
         "test-key-123",
         u"polyai"_s,
         {{u"v3_detail.json"_s}},
         {u"metrics"_s, u"state"_s, u"turns.[].entities.[]"_s},
         [](const QJsonObject &list) {
             return u"/v3/acme/support/conversations/%1"_s.arg(
                 firstId(list, u"conversations"_s, u"id"_s));
         }},
    };
}

} // namespace

class TestSandboxDocShapes : public SandboxHttpTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(startSandbox(&error), qPrintable(error));
    }

    void sandboxSendsTheDocumentedShape_data()
    {
        QTest::addColumn<int>("index");
        const QList<Case> all = cases();
        for (int i = 0; i < all.size(); ++i) {
            const Case &c = all.at(i);
            QTest::addRow("%s %s", qPrintable(c.prefix),
                          c.detailPath ? "conversation" : qPrintable(c.path))
                << i;
        }
    }

    void sandboxSendsTheDocumentedShape()
    {
        QFETCH(int, index);
        const Case c = cases().at(index);
        QString path = c.path;
        if (c.detailPath) {
            // The list of the same version gives a conversation id.
            const Case list = cases().at(index - 1);
            const RawAnswer answer =
                m_raw.send("GET", urlAt(list.prefix, list.path), {}, {{list.header, list.value}});
            QCOMPARE(answer.status, 200);
            path = c.detailPath(answer.json);
        }
        const RawAnswer answer =
            m_raw.send("GET", urlAt(c.prefix, path), {}, {{c.header, c.value}});
        QVERIFY2(answer.status == 200,
                 qPrintable(u"%1%2: %3"_s.arg(c.prefix, path).arg(answer.status)));
        QVERIFY(!answer.json.isEmpty());

        QString error;
        const Shape doc = documented(c, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Shape sent;
        collect(answer.json, {}, c.open, &sent);
        QVERIFY(sent.size() > 3);
        const QStringList diff = differences(sent, doc);
        QVERIFY2(diff.isEmpty(),
                 qPrintable(u"%1 field(s) of %2%3 differ from tests/data/%4: %5"_s.arg(diff.size())
                                .arg(c.prefix, path, c.folder, diff.join(u"; "_s))));
    }

    // The comparison itself: a renamed field and a changed type are both found.
    void comparisonFindsRenamesAndTypes()
    {
        Shape doc;
        collect(QJsonObject{{u"created_at"_s, u"2026-01-01T00:00:00Z"_s}, {u"n"_s, 1}}, {}, {},
                &doc);
        Shape renamed;
        collect(QJsonObject{{u"createdAt"_s, u"2026-01-01T00:00:00Z"_s}, {u"n"_s, 1}}, {}, {},
                &renamed);
        QCOMPARE(differences(renamed, doc).size(), 1);
        Shape retyped;
        collect(QJsonObject{{u"created_at"_s, 5}, {u"n"_s, 1}}, {}, {}, &retyped);
        QCOMPARE(differences(retyped, doc).size(), 1);
        Shape nulled;
        collect(QJsonObject{{u"created_at"_s, QJsonValue::Null}, {u"n"_s, 1}}, {}, {}, &nulled);
        QVERIFY(differences(nulled, doc).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSandboxDocShapes)
#include "tst_sandbox_doc_shapes.moc"
