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

#include "providers/JsonFields.h"
#include "providers/ProviderRegistry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parley::test;

namespace {

// Each key path ("conversations.[].turns.[].role") with the JSON types seen there.
using Shape = QMap<QString, QSet<QString>>;

void collect(const QJsonValue &v, const QString &prefix, const QStringList &open, Shape *out)
{
    if (open.contains(prefix.chopped(qMin<qsizetype>(1, prefix.size()))))
        return; // an object the documents leave open: its keys are not compared
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString path = prefix + it.key();
            (*out)[path].insert(parley::JsonFields::typeName(it.value()));
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
    QString prefix;          // the emulation's path prefix
    QString path;            // a list's path under it; for a detail, with %1 for the id
    QList<Fixture> fixtures; // in tests/data/<prefix>/
    QStringList open = {};   // key paths of objects whose keys the documents leave open
    QString listArray = {};  // a detail: the list (the case before) holds ids in this array
    QString idKey = u"id"_s; // under this key
    bool isDetail() const { return !listArray.isEmpty(); }
    QString folder() const { return prefix; }
};

Shape documented(const Case &c, QString *error)
{
    Shape shape;
    const QDir dir(QStringLiteral(PARLEY_TEST_DATA_DIR "/") + c.folder());
    for (const Fixture &fixture : c.fixtures) {
        const QStringList files = dir.entryList({fixture.pattern}, QDir::Files, QDir::Name);
        if (files.isEmpty())
            *error += u"no fixture %1/%2; "_s.arg(c.folder(), fixture.pattern);
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

QList<Case> cases()
{
    const QStringList polyaiOpen{u"conversations.[].metrics"_s, u"conversations.[].state"_s,
                                 u"conversations.[].turns.[].entities.[]"_s, u"descriptions"_s};
    const QString agent = u"/api/v1/agents/agent-1/conversations"_s;
    const QString posthog = u"/api/projects/1/conversations/"_s;
    return {
        {u"posthog"_s, posthog, {{u"list_*.json"_s}}},
        // A visualization's answer is an insight query of PostHog's own schema; an approval's
        // payload is the arguments of the tool that waits for it.
        {u"posthog"_s,
         posthog + u"%1/"_s,
         {{u"conversation*.json"_s}},
         {u"messages.[].tool_calls.[].args"_s, u"messages.[].ui_payload"_s, u"messages.[].answer"_s,
          u"pending_approvals.[].payload"_s},
         u"results"_s},
        {u"dynamiq"_s, u"/v1/conversations"_s, {{u"list_*.json"_s}}},
        {u"dynamiq"_s, u"/v1/conversations/%1"_s, {{u"conversation*.json"_s}}, {}, u"data"_s},
        {u"fixie"_s,
         agent,
         {{u"list_*.json"_s}, {u"conversation*.json"_s, u"conversations.[]."_s}},
         {u"conversations.[].turns.[].metadata"_s,
          u"conversations.[].turns.[].messages.[].metadata"_s,
          u"conversations.[].turns.[].messages.[].args"_s}},
        {u"fixie"_s,
         agent + u"/%1"_s,
         {{u"conversation*.json"_s}},
         {u"turns.[].metadata"_s, u"turns.[].messages.[].metadata"_s,
          u"turns.[].messages.[].args"_s},
         u"conversations"_s},
        {u"orq"_s, u"/v2/conversations"_s, {{u"list_*.json"_s}}, {u"data.[].metadata"_s}},
        {u"orq"_s,
         u"/v2/conversations/%1"_s,
         {{u"conversation*.json"_s}},
         {u"metadata"_s},
         u"data"_s,
         u"_id"_s},
        {u"polyai"_s, u"/v1/acme/support/conversations"_s, {{u"v1_list*.json"_s}}, polyaiOpen},
        {u"polyai"_s,
         u"/v3/acme/support/conversations"_s,
         {{u"v3_list*.json"_s}, {u"v3_detail.json"_s, u"conversations.[]."_s}},
         polyaiOpen},
        {u"polyai"_s,
         u"/v3/acme/support/conversations/%1"_s,
         {{u"v3_detail.json"_s}},
         {u"metrics"_s, u"state"_s, u"turns.[].entities.[]"_s},
         u"conversations"_s},
    };
}

} // namespace

class TestSandboxDocShapes : public SandboxHttpTestCase
{
    Q_OBJECT

private:
    // PolyAI takes its key as x-api-key, the others as a bearer token.
    RawAnswer fetch(const QString &prefix, const QString &path)
    {
        const bool polyai = prefix == QLatin1String("polyai");
        return m_raw.send("GET", urlAt(prefix, path), {},
                          {{polyai ? QByteArray("x-api-key") : QByteArray("Authorization"),
                            polyai ? QByteArray(kKey) : m_auth}});
    }

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
        for (int i = 0; i < all.size(); ++i)
            QTest::addRow("%s %s", qPrintable(all.at(i).prefix), qPrintable(all.at(i).path)) << i;
    }

    void sandboxSendsTheDocumentedShape()
    {
        QFETCH(int, index);
        const Case c = cases().at(index);
        QString path = c.path;
        if (c.isDetail()) {
            // The list of the same version, the case before, gives a conversation id.
            const RawAnswer list = fetch(cases().at(index - 1).prefix, cases().at(index - 1).path);
            QCOMPARE(list.status, 200);
            path = path.arg(list.json.value(c.listArray)
                                .toArray()
                                .first()
                                .toObject()
                                .value(c.idKey)
                                .toString());
        }
        const RawAnswer answer = fetch(c.prefix, path);
        QVERIFY2(answer.status == 200,
                 qPrintable(u"%1%2: %3"_s.arg(c.prefix, path).arg(answer.status)));

        QString error;
        const Shape doc = documented(c, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Shape sent;
        collect(answer.json, {}, c.open, &sent);
        QVERIFY(sent.size() > 3);
        const QStringList diff = differences(sent, doc);
        QVERIFY2(diff.isEmpty(),
                 qPrintable(u"%1 field(s) of %2%3 differ from tests/data/%4: %5"_s.arg(diff.size())
                                .arg(c.prefix, path, c.folder(), diff.join(u"; "_s))));
    }

    // The table above names platforms by hand (each has fixtures of its own): every
    // registered platform must have a list and a detail case in it.
    void everyPlatformHasItsCases()
    {
        for (const parley::PlatformInfo &info : parley::ProviderRegistry::platforms()) {
            bool list = false;
            bool detail = false;
            for (const Case &c : cases()) {
                if (c.prefix == info.id)
                    (c.isDetail() ? detail : list) = true;
            }
            QVERIFY2(list && detail, qPrintable(u"no list and detail case for "_s + info.id));
        }
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
