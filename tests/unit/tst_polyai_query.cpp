// PolyAI list query: which filters each API version documents, and how a ListQuery becomes
// query parameters, with every mistake refused before anything is sent.
#include "providers/polyai/PolyaiQuery.h"

#include <QTest>

using namespace parley;
using namespace parley::polyai;
using namespace Qt::StringLiterals;

namespace {

ListQuery withFilters(std::initializer_list<std::pair<const char *, const char *>> filters,
                      int pageSize = 50)
{
    ListQuery q;
    q.pageSize = pageSize;
    for (const auto &[k, v] : filters)
        q.filters.insert(QString::fromUtf8(k), QString::fromUtf8(v));
    return q;
}

QString value(const QueryItems &items, const QString &key)
{
    for (const auto &[k, v] : items) {
        if (k == key)
            return v;
    }
    return {};
}

QStringList values(const QueryItems &items, const QString &key)
{
    QStringList out;
    for (const auto &[k, v] : items) {
        if (k == key)
            out << v;
    }
    return out;
}

const FilterSpec *findSpec(const QList<FilterSpec> &specs, const QString &key)
{
    for (const FilterSpec &s : specs) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

} // namespace

class TestPolyaiQuery : public QObject
{
    Q_OBJECT

private slots:
    void documentedFilters()
    {
        const QList<FilterSpec> v1 = filterSpecs(ApiVersion::V1);
        const QList<FilterSpec> v3 = filterSpecs(ApiVersion::V3);
        for (const auto *key : {"client_env", "start_time", "end_time", "variant_id",
                                "variant_name", "in_progress"}) {
            QVERIFY2(findSpec(v1, QString::fromLatin1(key)), key);
            QVERIFY2(findSpec(v3, QString::fromLatin1(key)), key);
        }
        QVERIFY(findSpec(v1, u"include_context_state"_s));
        QVERIFY(!findSpec(v3, u"include_context_state"_s)); // not in the v3 spec
        for (const auto *key :
             {"channel", "query_type", "query", "turn_type", "sample", "include_latency"}) {
            QVERIFY2(findSpec(v3, QString::fromLatin1(key)), key);
            QVERIFY2(!findSpec(v1, QString::fromLatin1(key)), key);
        }
        QCOMPARE(findSpec(v1, u"variant_id"_s)->exclusiveWith, u"variant_name"_s);
        QCOMPARE(findSpec(v1, u"variant_name"_s)->exclusiveWith, u"variant_id"_s);
        QCOMPARE(findSpec(v3, u"sample"_s)->exclusiveWith, u"query_type"_s);
        QCOMPARE(findSpec(v3, u"query_type"_s)->exclusiveWith, u"sample"_s);
        const FilterSpec *env = findSpec(v1, u"client_env"_s);
        QCOMPARE(env->kind, FilterSpec::Kind::Choice);
        QCOMPARE(env->choices, (QStringList{u"sandbox"_s, u"pre-release"_s, u"live"_s}));
        QCOMPARE(findSpec(v1, u"in_progress"_s)->kind, FilterSpec::Kind::Bool);
        QCOMPARE(findSpec(v1, u"start_time"_s)->kind, FilterSpec::Kind::DateTime);
        for (const FilterSpec &s : v3)
            QVERIFY2(!s.label.isEmpty() && !s.hint.isEmpty(), qPrintable(s.key));
    }

    void pageSizeAndPaging()
    {
        auto r = listParameters(withFilters({}, 50), ApiVersion::V1, PageCursor{});
        QVERIFY(r.ok());
        QCOMPARE(r.value(), (QueryItems{{u"limit"_s, u"50"_s}}));

        PageCursor next = PageCursor::first(PageCursor::Style::Offset);
        next.offset = 150;
        r = listParameters(withFilters({}, 100000), ApiVersion::V1, next);
        QCOMPARE(value(r.value(), u"limit"_s), u"5000"_s);
        QCOMPARE(value(r.value(), u"offset"_s), u"150"_s);

        r = listParameters(withFilters({}, 100000), ApiVersion::V3, PageCursor{});
        QCOMPARE(value(r.value(), u"limit"_s), u"1000"_s);
        r = listParameters(withFilters({}, 0), ApiVersion::V3, PageCursor{});
        QCOMPARE(value(r.value(), u"limit"_s), u"1"_s);

        PageCursor token = PageCursor::first(PageCursor::Style::Cursor);
        token.token = u"cGMxOjQ5"_s;
        r = listParameters(withFilters({}), ApiVersion::V3, token);
        QCOMPARE(value(r.value(), u"cursor"_s), u"cGMxOjQ5"_s);
        QVERIFY(value(r.value(), u"offset"_s).isEmpty());
        // v1 knows no cursor.
        r = listParameters(withFilters({}), ApiVersion::V1, token);
        QVERIFY(value(r.value(), u"cursor"_s).isEmpty());
    }

    void valuesAreNormalised()
    {
        const auto r = listParameters(withFilters({{"client_env", "sandbox"},
                                                   {"in_progress", "Yes"},
                                                   {"include_context_state", "0"},
                                                   {"start_time", "2026-05-01T10:00:00+02:00"},
                                                   {"end_time", " 2026-05-02T00:00:00Z "},
                                                   {"variant_name", "Spring promo"},
                                                   {"variant_id", ""}}),
                                      ApiVersion::V1, PageCursor{});
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value(), (QueryItems{{u"client_env"_s, u"sandbox"_s},
                                        {u"start_time"_s, u"2026-05-01T08:00:00Z"_s},
                                        {u"end_time"_s, u"2026-05-02T00:00:00Z"_s},
                                        {u"variant_name"_s, u"Spring promo"_s},
                                        {u"in_progress"_s, u"true"_s},
                                        {u"include_context_state"_s, u"false"_s},
                                        {u"limit"_s, u"50"_s}}));
    }

    void channelsRepeat()
    {
        const auto r = listParameters(withFilters({{"channel", "voice, chat,,"}}), ApiVersion::V3,
                                      PageCursor{});
        QVERIFY(r.ok());
        QCOMPARE(values(r.value(), u"channel"_s), (QStringList{u"voice"_s, u"chat"_s}));
    }

    void refusedBeforeSending_data()
    {
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("key1");
        QTest::addColumn<QString>("value1");
        QTest::addColumn<QString>("key2");
        QTest::addColumn<QString>("value2");
        QTest::addColumn<QString>("mentions");
        const int v1 = int(ApiVersion::V1);
        const int v3 = int(ApiVersion::V3);
        QTest::newRow("variant id and name v1")
            << v1 << u"variant_id"_s << u"VARIANT-1"_s << u"variant_name"_s << u"Default"_s
            << u"Variant name"_s;
        QTest::newRow("variant id and name v3")
            << v3 << u"variant_name"_s << u"Default"_s << u"variant_id"_s << u"VARIANT-1"_s
            << u"Variant ID"_s;
        QTest::newRow("unknown filter")
            << v1 << u"agent_id"_s << u"x"_s << QString() << QString() << u"agent_id"_s;
        QTest::newRow("v3-only filter on v1")
            << v1 << u"channel"_s << u"voice"_s << QString() << QString() << u"v1"_s;
        QTest::newRow("v1-only filter on v3")
            << v3 << u"include_context_state"_s << u"true"_s << QString() << QString() << u"v3"_s;
        QTest::newRow("choice outside") << v1 << u"client_env"_s << u"production"_s << QString()
                                        << QString() << u"pre-release"_s;
        QTest::newRow("bool garbage")
            << v1 << u"in_progress"_s << u"maybe"_s << QString() << QString() << u"yes or no"_s;
        QTest::newRow("time garbage") << v3 << u"start_time"_s << u"last tuesday"_s << QString()
                                      << QString() << u"ISO 8601"_s;
        QTest::newRow("range reversed")
            << v1 << u"start_time"_s << u"2026-05-02T00:00:00Z"_s << u"end_time"_s
            << u"2026-05-01T00:00:00Z"_s << u"after its end"_s;
        QTest::newRow("search without text") << v3 << u"query_type"_s << u"transcript"_s
                                             << QString() << QString() << u"search text"_s;
        QTest::newRow("text without search")
            << v3 << u"query"_s << u"refund"_s << QString() << QString() << u"search mode"_s;
        QTest::newRow("sample with search") << v3 << u"sample"_s << u"random"_s << u"query_type"_s
                                            << u"semantic"_s << u"not both"_s;
        QTest::newRow("turn type without transcript")
            << v3 << u"turn_type"_s << u"user"_s << QString() << QString() << u"transcript"_s;
    }

    void refusedBeforeSending()
    {
        QFETCH(int, version);
        QFETCH(QString, key1);
        QFETCH(QString, value1);
        QFETCH(QString, key2);
        QFETCH(QString, value2);
        QFETCH(QString, mentions);
        ListQuery q;
        q.filters.insert(key1, value1);
        if (!key2.isEmpty())
            q.filters.insert(key2, value2);
        const auto r = listParameters(q, ApiVersion(version), PageCursor{});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ApiError::Kind::Invalid);
        QCOMPARE(r.error().httpStatus, 0); // never sent
        QVERIFY2(r.error().detail.contains(mentions), qPrintable(r.error().detail));
    }

    void searchIsAccepted()
    {
        const auto r = listParameters(
            withFilters(
                {{"query_type", "transcript"}, {"query", "refund please"}, {"turn_type", "agent"}}),
            ApiVersion::V3, PageCursor{});
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(value(r.value(), u"query"_s), u"refund please"_s);
        QCOMPARE(value(r.value(), u"turn_type"_s), u"agent"_s);
    }
};

QTEST_GUILESS_MAIN(TestPolyaiQuery)
#include "tst_polyai_query.moc"
