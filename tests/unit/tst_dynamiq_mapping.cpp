// Dynamiq JSON mapping and list query: the documented shapes (fixtures in
// tests/data/dynamiq/, written from the API reference) and what happens with broken input.
#include "net/ErrorBody.h"
#include "providers/dynamiq/DynamiqMapping.h"
#include "providers/dynamiq/DynamiqQuery.h"
#include "support/MappingTestSupport.h"

#include <QJsonDocument>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

using namespace parley::mappingtest;

namespace {

const mappingtest::FixtureFolder fixture{"dynamiq"};

using Filters = QMap<QString, QString>;

QString queryText(const dynamiq::QueryItems &items)
{
    QStringList parts;
    for (const auto &[k, v] : items)
        parts << k + u'=' + v;
    return parts.join(u'&');
}

} // namespace

class TestDynamiqMapping : public QObject
{
    Q_OBJECT

private slots:
    void listFirstPage()
    {
        const auto r = dynamiq::parseListPage(fixture("list_first_page.json"), 1, 2);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationPage &page = r.value();
        QCOMPARE(page.total, 3);
        QCOMPARE(page.items.size(), 2);

        const Conversation &a = page.items.at(0);
        QCOMPARE(a.id, u"6f1c2a9e-3b7d-4c1e-8a2f-9d0b5e4c3a21"_s);
        QCOMPARE(a.title, u"Refund for order 4821"_s);
        QCOMPARE(a.kind, u"Support Copilot"_s); // the app's name
        QCOMPARE(a.owner, u"user_7Hq2"_s);
        QVERIFY(a.status.isEmpty()); // Dynamiq has no conversation status
        QCOMPARE(a.turnCount, -1);
        QCOMPARE(a.createdAt, QDateTime(QDate(2026, 3, 4), QTime(9, 15), Qt::UTC));
        QCOMPARE(a.updatedAt, QDateTime(QDate(2026, 3, 4), QTime(9, 21, 42), Qt::UTC));

        const Conversation &b = page.items.at(1);
        QVERIFY(b.title.isEmpty());
        QCOMPARE(b.kind, u"General Chat"_s); // bound to a model: the model's name
        QCOMPARE(b.createdAt, QDateTime(QDate(2026, 3, 3), QTime(18, 0, 5, 250), Qt::UTC));
        QCOMPARE(b.updatedAt, QDateTime(QDate(2026, 3, 3), QTime(16, 0, 5, 250), Qt::UTC));
        QCOMPARE(b.updatedAt.timeSpec(), Qt::UTC);

        QCOMPARE(page.next.style, PageCursor::Style::PageNumber);
        QVERIFY(!page.next.atEnd);
        QCOMPARE(page.next.page, 2);
    }

    // The apps and models the rows name, by name, for the New Conversation dialog.
    void listSuggestsAppsAndModels()
    {
        const auto r = dynamiq::parseListPage(fixture("list_first_page.json"), 1, 2);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const QList<FieldSuggestion> expected = {
            {u"app_id"_s, u"2b8e4f10-7c3a-4d5e-9f61-0a1b2c3d4e5f"_s, u"Support Copilot"_s},
            {u"model_id"_s, u"d3e4f5a6-b7c8-4d9e-8f01-23456789abcd"_s, u"General Chat"_s},
        };
        QCOMPARE(r.value().suggestions, expected);
    }

    void suggestionsFromOneConversation_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("expected"); // "field=value=label"
        const QByteArray app = "2B8E4F10-7C3A-4D5E-9F61-0A1B2C3D4E5F";
        QTest::newRow("app_id and name")
            << QByteArray(R"({"app_id":")" + app + R"(","app":{"name":"Copilot"}})")
            << QStringList{u"app_id=2b8e4f10-7c3a-4d5e-9f61-0a1b2c3d4e5f="
                           u"Copilot"_s};
        QTest::newRow("only the nested id")
            << QByteArray(R"({"model":{"id":"d3e4f5a6-b7c8-4d9e-8f01-23456789abcd"}})")
            << QStringList{u"model_id=d3e4f5a6-b7c8-4d9e-8f01-23456789abcd="_s};
        QTest::newRow("not a uuid")
            << QByteArray(R"({"app_id":"app-1","app":{"name":"X"}})") << QStringList{};
        QTest::newRow("wrong types")
            << QByteArray(R"({"app_id":7,"model":"d3e4f5a6-b7c8-4d9e-8f01-23456789abcd"})")
            << QStringList{};
        QTest::newRow("name on many lines")
            << QByteArray(R"({"app_id":")" + app + R"(","app":{"name":"Two\nlines"}})")
            << QStringList{u"app_id=2b8e4f10-7c3a-4d5e-9f61-0a1b2c3d4e5f=Two lines"_s};
    }

    void suggestionsFromOneConversation()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, expected);
        QStringList got;
        for (const FieldSuggestion &s :
             dynamiq::suggestionsFromJson(QJsonDocument::fromJson(json).object()))
            got << s.field + u'=' + s.value + u'=' + s.label;
        QCOMPARE(got, expected);
    }

    void listLastPage()
    {
        const auto r = dynamiq::parseListPage(fixture("list_last_page.json"), 2, 2);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().items.size(), 1);
        QCOMPARE(r.value().items.at(0).kind, u"d3e4f5a6-b7c8-4d9e-8f01-23456789abcd"_s);
        QVERIFY(r.value().next.atEnd); // page 2 of 2
        QCOMPARE(r.value().total, 3);
    }

    void listPastTheEnd()
    {
        const auto r = dynamiq::parseListPage(fixture("list_past_the_end.json"), 9, 2);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QVERIFY(r.value().items.isEmpty());
        QVERIFY(r.value().next.atEnd);
    }

    // The reference's example: placeholder zeros in `pagination` beside one row. Page 1 of
    // "0 pages" is the end; the row is still read.
    void listPlaceholderPagination()
    {
        const auto r = dynamiq::parseListPage(fixture("list_placeholder_pagination.json"), 1, 20);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().items.size(), 1);
        QVERIFY(r.value().next.atEnd);
        QCOMPARE(r.value().total, 0);
    }

    // A page that claims more pages but holds no rows ends the list: no endless paging.
    void emptyPageClaimingMoreEnds()
    {
        const auto r = dynamiq::parseListPage(
            R"({"data": [], "pagination": {"page": 3, "page_size": 5, "page_count": 1000,
                "total_count": 4999}})",
            3, 5);
        QVERIFY(r.ok());
        QVERIFY(r.value().next.atEnd);
    }

    void listWithoutCounts_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("page");
        QTest::addColumn<bool>("atEnd");
        const QByteArray row = R"({"id": "x"})";
        QTest::newRow("total says more") << QByteArray(R"({"data": [)" + row + "," + row +
                                                       R"(], "pagination": {"total_count": 5}})")
                                         << 1 << false;
        QTest::newRow("total reached") << QByteArray(R"({"data": [)" + row + "," + row +
                                                     R"(], "pagination": {"total_count": 6}})")
                                       << 3 << true;
        QTest::newRow("full page, no counts")
            << QByteArray(R"({"data": [)" + row + "," + row + R"(], "pagination": {}})") << 1
            << false;
        QTest::newRow("short page, no counts")
            << QByteArray(R"({"data": [)" + row + R"(], "pagination": {}})") << 1 << true;
    }

    void listWithoutCounts()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, page);
        QFETCH(bool, atEnd);
        const auto r = dynamiq::parseListPage(body, page, 2);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().next.atEnd, atEnd);
        QCOMPARE(r.value().next.page, page + 1);
    }

    void detailOfAnAppConversation()
    {
        const auto r = dynamiq::parseConversation(fixture("conversation.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationDetail &d = r.value();
        QCOMPARE(d.summary.id, u"6f1c2a9e-3b7d-4c1e-8a2f-9d0b5e4c3a21"_s);
        QCOMPARE(d.summary.title, u"Refund for order 4821"_s);
        QVERIFY(!d.hasTranscript);
        QVERIFY(d.turns.isEmpty());
        QCOMPARE(d.transcriptNote, dynamiq::transcriptNote());
        QVERIFY(d.transcriptNote.contains(u"no endpoint"_s));
        QCOMPARE(propertyValue(d, u"App"_s), u"Support Copilot"_s);
        QCOMPARE(propertyValue(d, u"App ID"_s), u"2b8e4f10-7c3a-4d5e-9f61-0a1b2c3d4e5f"_s);
        QCOMPARE(propertyValue(d, u"App description"_s), u"Answers customer tickets."_s);
        QVERIFY(propertyValue(d, u"Model"_s).isEmpty());
        QVERIFY(propertyValue(d, u"Model ID"_s).isEmpty());
        QCOMPARE(propertyValue(d, u"Organization ID"_s), u"c0ffee00-1234-4abc-8def-0123456789ab"_s);
        QCOMPARE(propertyValue(d, u"User ID"_s), u"user_7Hq2"_s);
        QCOMPARE(propertyValue(d, u"Sandbox ID"_s), u"sbx-41a7"_s);
        // Times are the summary's, not repeated as properties.
        QCOMPARE(d.summary.createdAt, QDateTime(QDate(2026, 3, 4), QTime(9, 15), Qt::UTC));
        QCOMPARE(d.summary.updatedAt, QDateTime(QDate(2026, 3, 4), QTime(9, 21, 42), Qt::UTC));
        QVERIFY(propertyValue(d, u"Created"_s).isEmpty());
        QCOMPARE(d.properties.size(), 6);
        for (const Property &p : d.properties)
            QVERIFY2(!p.value.isEmpty(), qPrintable(p.label)); // empty values are left out
    }

    void detailOfAModelConversation()
    {
        const auto r = dynamiq::parseConversation(fixture("conversation_model.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        const ConversationDetail &d = r.value();
        QCOMPARE(d.summary.kind, u"General Chat"_s);
        QCOMPARE(propertyValue(d, u"Model"_s), u"General Chat"_s);
        QCOMPARE(propertyValue(d, u"Model ID"_s), u"d3e4f5a6-b7c8-4d9e-8f01-23456789abcd"_s);
        QCOMPARE(propertyValue(d, u"Model slug"_s), u"general-chat"_s);
        QCOMPARE(propertyValue(d, u"Model provider"_s), u"openai"_s);
        QVERIFY(propertyValue(d, u"App"_s).isEmpty());
        QVERIFY(propertyValue(d, u"Sandbox ID"_s).isEmpty()); // absent in the body
        QVERIFY(!d.hasTranscript);
    }

    void brokenList_data()
    {
        addBrokenBodies({
            {"empty", {}, u"empty"_s},
            {"not JSON", "<html>502 Bad Gateway</html>", u"JSON"_s},
            {"truncated", R"({"data": [{"id": "a")", u"JSON"_s},
            {"a list", R"([{"id": "a"}])", u"object"_s},
            {"no envelope", R"({"id": "a", "title": "t"})", u"'data'"_s},
            {"no pagination", R"({"data": []})", u"'pagination'"_s},
            {"data not a list", R"({"data": {"id": "a"}, "pagination": {}})", u"'data'"_s},
            {"too deep", QByteArray(200, '['), u"nested"_s},
        });
    }

    // A row that cannot be read is an unreadable row among the others; it suggests nothing.
    void unreadableRow_data()
    {
        addUnreadableItems({
            {"row not an object", R"("a")", u"data[1] is text"_s},
            {"title a number",
             R"({"id": "x", "title": 7, "app_id": "0b6f2f5e-8a43-4a1f-9d5e-3c2b1a0f9e8d"})",
             u"'title'"_s},
            {"id a number", R"({"id": 12})", u"'id'"_s},
            {"bad time", R"({"id": "x", "created_at": "yesterday"})", u"'created_at'"_s},
            {"app name a list", R"({"id": "x", "app": {"name": []}})", u"in 'app'"_s},
            {"app a string", R"({"id": "x", "app": "x"})", u"'app'"_s},
        });
    }

    void unreadableRow()
    {
        QFETCH(QByteArray, item);
        QFETCH(QString, mentions);
        const auto r =
            dynamiq::parseListPage(amidGood(R"({"pagination": {"total_count": 3}, "data": [)",
                                            R"({"id": "a"})", item, R"({"id": "b"})", "]}"),
                                   1, 20);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        verifyOnlyUnreadable(r.value().items, 1, item, mentions, false);
        QCOMPARE(r.value().items.at(1).id, item.contains(R"("id": "x")") ? u"x"_s : QString());
        QVERIFY(r.value().suggestions.isEmpty());
        QVERIFY(!r.value().error.isError());
    }

    // Paging fields of the wrong type keep the rows: the page says why and is at its end.
    void pagingProblem_data()
    {
        addBrokenBodies({
            {"pagination not an object", R"({"data": [{"id": "a"}], "pagination": 3})",
             u"'pagination'"_s},
            {"total a string", R"({"data": [{"id": "a"}], "pagination": {"total_count": "3"}})",
             u"'total_count'"_s},
        });
    }

    void pagingProblem()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        const auto r = dynamiq::parseListPage(body, 1, 1);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().items.size(), 1);
        QCOMPARE(r.value().error.kind, ApiError::Kind::BadResponse);
        QVERIFY2(r.value().error.detail.contains(mentions), qPrintable(r.value().error.detail));
        QVERIFY(r.value().next.atEnd);
    }

    void brokenList()
    {
        verifyBodyRefused(
            [](const QByteArray &body) { return dynamiq::parseListPage(body, 1, 20); });
    }

    void brokenDetail_data()
    {
        addBrokenBodies({
            {"not JSON", "Not Found", u"JSON"_s},
            {"no envelope", R"({"id": "6f1c2a9e-3b7d-4c1e-8a2f-9d0b5e4c3a21"})", u"'data'"_s},
            {"data a list", R"({"data": []})", u"'data'"_s},
            {"no id", R"({"data": {"title": "t"}})", u"'id'"_s},
            {"model slug a number", R"({"data": {"id": "a", "model": {"slug": 1}}})", u"'slug'"_s},
            {"updated_at an object", R"({"data": {"id": "a", "updated_at": {}}})",
             u"'updated_at'"_s},
        });
    }

    void brokenDetail() { verifyBodyRefused(dynamiq::parseConversation); }

    // Nulls and unknown fields are fine: the reference marks nothing as required.
    void nullsAndExtrasAreTolerated()
    {
        const auto r = dynamiq::parseConversation(
            R"({"data": {"id": "a", "title": null, "app": null, "model": null, "app_id": null,
                 "sandbox_id": null, "messages_count": 4, "tags": ["x"]}, "meta": {}})");
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(r.value().summary.id, u"a"_s);
        QVERIFY(r.value().summary.title.isEmpty());
        QVERIFY(r.value().summary.kind.isEmpty());
    }

    // The HTTP layer reads Dynamiq's error bodies; these are the documented ones.
    void errorBodies_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("detail");
        QTest::newRow("401") << QByteArray("error_unauthorized.json") << u"unauthorized"_s
                             << u"Unauthorized"_s;
        QTest::newRow("404") << QByteArray("error_not_found.json") << u"not_found"_s
                             << u"Not Found"_s;
        QTest::newRow("400 with details")
            << QByteArray("error_bad_request.json") << u"bad_request"_s
            << u"Bad Request (app_id: must be a valid UUID)"_s;
    }

    void errorBodies()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, code);
        QFETCH(QString, detail);
        ApiError e = ApiError::make(ApiError::Kind::Invalid);
        ErrorBody::describe(e, fixture(file.constData()), "application/json");
        QCOMPARE(e.code, code);
        QCOMPARE(e.detail, detail);
    }

    void queryParameters_data()
    {
        QTest::addColumn<Filters>("filters");
        QTest::addColumn<QString>("sort");
        QTest::addColumn<int>("page");
        QTest::addColumn<int>("pageSize");
        QTest::addColumn<QString>("expected");
        QTest::newRow("first page")
            << Filters{} << QString() << 1 << 50 << u"page=1&page_size=50"_s;
        QTest::newRow("page 0 is page 1")
            << Filters{} << QString() << 0 << 50 << u"page=1&page_size=50"_s;
        QTest::newRow("size capped")
            << Filters{} << QString() << 3 << 5000 << u"page=3&page_size=100"_s;
        QTest::newRow("size at least 1")
            << Filters{} << QString() << 1 << 0 << u"page=1&page_size=1"_s;
        QTest::newRow("sort") << Filters{} << u" -created_at , title "_s << 2 << 10
                              << u"page=2&page_size=10&sort=-created_at,title"_s;
        QTest::newRow("filters in documented order, UUIDs lower-cased")
            << Filters{{u"org_id"_s, u"A40F5D1F-D889-42E9-94EA-B9B33585FC6B"_s},
                       {u"app_id"_s, u" affd1d10-9538-4fc8-9e0b-4594a28c1335 "_s},
                       {u"model_id"_s, QString()}}
            << QString() << 1 << 20
            << u"app_id=affd1d10-9538-4fc8-9e0b-4594a28c1335&org_id=a40f5d1f-d889-42e9-94ea-"
               "b9b33585fc6b&page=1&page_size=20"_s;
    }

    void queryParameters()
    {
        QFETCH(Filters, filters);
        QFETCH(QString, sort);
        QFETCH(int, page);
        QFETCH(int, pageSize);
        QFETCH(QString, expected);
        ListQuery q;
        q.filters = filters;
        q.sort = sort;
        q.pageSize = pageSize;
        PageCursor c = PageCursor::first(PageCursor::Style::PageNumber);
        c.page = page;
        const auto r = dynamiq::listParameters(q, c);
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        QCOMPARE(queryText(r.value()), expected);
    }

    void queryRefusals_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("sort");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown filter") << u"user_id"_s << u"x"_s << QString() << u"user_id"_s;
        QTest::newRow("not a uuid")
            << u"app_id"_s << u"support-copilot"_s << QString() << u"support-copilot"_s;
        QTest::newRow("uuid without dashes")
            << u"org_id"_s << u"a40f5d1fd88942e994eab9b33585fc6b"_s << QString() << u"UUID"_s;
        QTest::newRow("sort with spaces inside")
            << QString() << QString() << u"created at"_s << u"created at"_s;
        QTest::newRow("sort with a query")
            << QString() << QString() << u"title&page=9"_s << u"title&page=9"_s;
        QTest::newRow("sort with two dashes")
            << QString() << QString() << u"--title"_s << u"--title"_s;
    }

    void queryRefusals()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, sort);
        QFETCH(QString, mentions);
        ListQuery q;
        if (!key.isEmpty())
            q.filters.insert(key, value);
        q.sort = sort;
        const auto r = dynamiq::listParameters(q, PageCursor::first(PageCursor::Style::PageNumber));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ApiError::Kind::Invalid);
        QVERIFY2(r.error().detail.contains(mentions), qPrintable(r.error().detail));
    }

    void filterSpecsAreUuids()
    {
        const QList<FilterSpec> specs = dynamiq::filterSpecs();
        QStringList keys;
        for (const FilterSpec &s : specs) {
            keys << s.key;
            QCOMPARE(s.kind, FilterSpec::Kind::Text);
            QVERIFY2(s.hint.contains(u"UUID"_s), qPrintable(s.hint));
        }
        QCOMPARE(keys, (QStringList{u"app_id"_s, u"model_id"_s, u"org_id"_s}));
        QCOMPARE(dynamiq::sortFields(),
                 (QStringList{u"created_at"_s, u"updated_at"_s, u"title"_s, u"started_at"_s}));
    }

    void uuids()
    {
        QVERIFY(dynamiq::isUuid(u"497f6eca-6276-4993-bfeb-53cbbbba6f08"_s));
        QVERIFY(dynamiq::isUuid(u"497F6ECA-6276-1993-0FEB-53CBBBBA6F08"_s)); // any version
        QVERIFY(!dynamiq::isUuid(QString()));
        QVERIFY(!dynamiq::isUuid(u"497f6eca-6276-4993-bfeb-53cbbbba6f0"_s));
        QVERIFY(!dynamiq::isUuid(u"{497f6eca-6276-4993-bfeb-53cbbbba6f08}"_s));
        QVERIFY(!dynamiq::isUuid(u"497f6eca-6276-4993-bfeb-53cbbbba6f08/x"_s));
        QVERIFY(!dynamiq::isUuid(u"g97f6eca-6276-4993-bfeb-53cbbbba6f08"_s));
    }
};

QTEST_GUILESS_MAIN(TestDynamiqMapping)
#include "tst_dynamiq_mapping.moc"
