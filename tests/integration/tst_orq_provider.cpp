// OrqProvider's quirks (both API revisions) against the in-process sandbox over real HTTP on
// 127.0.0.1: the list's order and exact has_more, the entity filter of the newer revision,
// transcripts, orq's error codes, and the emulation's own rules (cursor spellings, limits,
// ending_before) on the wire. What every platform must do (paging, auth kinds, faults,
// writes) is checked by conformance_orq (on the default revision).
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "providers/orq/OrqMapping.h"
#include "providers/orq/OrqProvider.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/orq/OrqSandboxData.h"
#include "support/SandboxTestCase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <functional>
#include <memory>
#include <optional>

using namespace parley;
using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

class TestOrqProvider : public PlatformTestCase<OrqSandboxData>
{
    Q_OBJECT

public:
    TestOrqProvider()
        : PlatformTestCase(u"orq"_s, 9)
    {}

private:
    // A provider for the demo workspace at API revision `revision` (null: the platform's
    // default).
    std::unique_ptr<Provider> provider(const QString &revision, const QByteArray &key = kKey)
    {
        return m_fx.provider(demoWorkspace({{u"api_revision"_s, revision}}), key);
    }

    // The ids the sandbox holds whose entity satisfies `keep`, newest first.
    QStringList expected(const std::function<bool(const QString &entity)> &keep) const
    {
        QStringList out;
        for (int i = m_data.count() - 1; i >= 0; --i) {
            if (keep(m_data.entityAt(i)))
                out << m_data.idAt(i);
        }
        return out;
    }

    HttpResponse raw(const QString &path, const QList<QPair<QString, QString>> &query,
                     const QByteArray &key = kKey)
    {
        Endpoint bearer;
        bearer.authHeader = "Authorization";
        bearer.authPrefix = "Bearer ";
        bearer.secret = key;
        return rawGet(bearer, path, query);
    }

    static QJsonObject json(const HttpResponse &r)
    {
        return QJsonDocument::fromJson(r.body).object();
    }
    static QString errorCode(const HttpResponse &r)
    {
        return json(r).value(u"error"_s).toObject().value(u"code"_s).toString();
    }
    static QStringList dataIds(const HttpResponse &r)
    {
        QStringList out;
        for (const QJsonValue &v : json(r).value(u"data"_s).toArray())
            out << v.toObject().value(u"_id"_s).toString();
        return out;
    }

private slots:
    void registryKnowsOrq()
    {
        verifyRegistered(u"orq.ai"_s, QUrl(u"https://api.orq.ai"_s), {u"api_revision"_s});
        const PlatformInfo info = ProviderRegistry::platform(u"orq"_s);
        QVERIFY(info.keyHint.contains(u"sk-orq-"_s));
        QCOMPARE(info.fields.at(0).choices,
                 (QStringList{u"2025-12 (starting_after)"_s, u"2026-02 (startingAfter)"_s}));
        // Automatic by default (Test Connection finds the revision), 2025-12 until then.
        QVERIFY(info.fields.at(0).automatic);
        QVERIFY(info.fields.at(0).defaultValue.isEmpty());
        QCOMPARE(info.fields.at(0).fallback, u"2025-12 (starting_after)"_s);
        QVERIFY(ProviderRegistry::validate(
                    demoWorkspace({{u"api_revision"_s, u"2026-02 (startingAfter)"_s}}))
                    .isEmpty());
        QVERIFY(ProviderRegistry::validate(demoWorkspace({{u"api_revision"_s, u"2027"_s}}))
                    .contains(u"api_revision"_s));

        auto camel = provider(u"2026-02 (startingAfter)"_s);
        QVERIFY(camel);
        verifyCapabilities(camel.get(),
                           Capabilities::List | Capabilities::Details | Capabilities::Transcript |
                               Capabilities::Create,
                           PageCursor::Style::Cursor, 100);
        const Capabilities c = camel->capabilities();
        QCOMPARE(c.filters.size(), 1);
        QCOMPARE(c.filters.at(0).key, u"entityId"_s);
        QVERIFY(provider(QString())->capabilities().filters.isEmpty());
        QVERIFY(provider(QString())->capabilities().listNote.contains(u"newest first"_s));
    }

    void walkEveryPage_data()
    {
        QTest::addColumn<QString>("revision");
        QTest::addColumn<int>("pageSize");
        // The default revision at every page size: conformance_orq.
        QTest::addRow("2025-12 by 10") << u"2025-12 (starting_after)"_s << 10;
        for (int size : {1, 9, 100})
            QTest::addRow("2026-02 by %d", size) << u"2026-02 (startingAfter)"_s << size;
    }

    void walkEveryPage()
    {
        QFETCH(QString, revision);
        QFETCH(int, pageSize);
        const Walk w = walk(*provider(revision), pageSize);
        QVERIFY2(w.ok(), qPrintable(w.error.message()));
        // 2025-12: the whole workspace. 2026-02 without an entity: standalone ones only.
        const bool camel = revision.startsWith(u"2026"_s);
        const QStringList want =
            expected([camel](const QString &entity) { return !camel || entity.isEmpty(); });
        QVERIFY(want.size() > 50);
        QCOMPARE(w.ids(), want);
        const QStringList ids = w.ids();
        QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), ids.size());
        const int limit = qMin(pageSize, 100);
        QVERIFY(w.largestPage <= limit);
        // has_more is exact: no empty page at the end, even when the size divides the total.
        QCOMPARE(w.pages, (int(want.size()) + limit - 1) / limit);
        for (int i = 1; i < w.rows.size(); ++i)
            QVERIFY(w.rows.at(i).createdAt < w.rows.at(i - 1).createdAt); // newest first
    }

    void entitiesPartitionEverything()
    {
        auto p = provider(u"2026-02 (startingAfter)"_s);
        QSet<QString> all;
        int total = 0;
        QStringList entities = m_data.agents();
        entities.prepend(QString()); // standalone
        for (const QString &entity : entities) {
            ListQuery q;
            q.pageSize = 25;
            if (!entity.isEmpty())
                q.filters.insert(u"entityId"_s, entity);
            const Walk w = walk(*p, q);
            QVERIFY2(w.ok(), qPrintable(w.error.message()));
            QCOMPARE(w.ids(), expected([&entity](const QString &e) { return e == entity; }));
            QVERIFY(!w.ids().isEmpty());
            for (const Conversation &c : w.rows) {
                if (entity.isEmpty())
                    QVERIFY(c.kind.contains(u'/')); // standalone: the model, provider/model
                else
                    QCOMPARE(c.kind, entity);
            }
            total += int(w.ids().size());
            const QStringList ids = w.ids();
            all.unite(QSet<QString>(ids.begin(), ids.end()));
        }
        QCOMPARE(total, kCount);
        QCOMPARE(all.size(), kCount);

        ListQuery nobody;
        nobody.filters.insert(u"entityId"_s, u"agent_00000000000000000000000000"_s);
        const auto none = page(*p, nobody, PageCursor::first(PageCursor::Style::Cursor));
        QVERIFY(none && none->ok());
        QVERIFY(none->value().items.isEmpty());
        QVERIFY(none->value().next.atEnd);
    }

    void filtersRefusedBeforeSending()
    {
        const int before = requests();
        ListQuery q;
        q.filters.insert(u"entityId"_s, m_data.agents().first());
        auto old = provider(u"2025-12 (starting_after)"_s);
        int answers = 0;
        auto r = page(*old, q, PageCursor::first(PageCursor::Style::Cursor), &answers);
        QCOMPARE(answers, 1);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::Invalid);
        QVERIFY(r->error().detail.contains(u"2025-12"_s));
        ListQuery other;
        other.filters.insert(u"model"_s, u"openai/gpt-4o"_s);
        auto camel = provider(u"2026-02 (startingAfter)"_s);
        r = page(*camel, other, PageCursor::first(PageCursor::Style::Cursor));
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::Invalid);
        QCOMPARE(requests(), before);
    }

    void transcript()
    {
        // One with an error part, one with a tool result, and one plain: all parse.
        int withError = -1;
        int withTool = -1;
        for (int i = 0; i < m_data.count() && (withError < 0 || withTool < 0); ++i) {
            const QByteArray body = QJsonDocument(m_data.detail(i)).toJson();
            if (withError < 0 && body.contains("\"kind\": \"error\""))
                withError = i;
            if (withTool < 0 && body.contains("\"kind\": \"tool_result\""))
                withTool = i;
        }
        QVERIFY(withError >= 0 && withTool >= 0);
        auto p = provider(QString());
        for (int index : {withError, withTool, 0}) {
            ConversationDetail d;
            QVERIFY(openChecked(*p, m_data.idAt(index), &d));
            const QJsonObject source = m_data.detail(index);
            QCOMPARE(d.summary.title, source.value(u"displayName"_s).toString());
            QCOMPARE(d.summary.createdAt.toMSecsSinceEpoch(), m_data.createdAtMs(index));
            QCOMPARE(d.turns.size(), source.value(u"messages"_s).toArray().size());
            QCOMPARE(d.summary.turnCount, int(d.turns.size()));
            QCOMPARE(d.turns.first().role, Turn::Role::User);
            QVERIFY(d.turns.first().id.startsWith(u"msg_"_s));
            QVERIFY(!d.turns.first().plainText().isEmpty() ||
                    d.turns.first().fragments.first().kind == Fragment::Kind::ToolResult);
            bool sawError = false;
            bool sawTool = false;
            for (const Turn &t : d.turns) {
                sawError = sawError || t.state == Turn::State::Error;
                for (const Fragment &f : t.fragments)
                    sawTool = sawTool || f.kind == Fragment::Kind::ToolResult;
            }
            if (index == withError)
                QVERIFY(sawError);
            if (index == withTool)
                QVERIFY(sawTool);
        }
    }

    void unknownAndInvalidIds()
    {
        auto p = provider(QString());
        auto r = open(*p, u"conv_01jj1hdhn79xas7a01wb3hysdb"_s);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().httpStatus, 404);
        QVERIFY(r->error().detail.contains(u"not found"_s));
        const int before = requests();
        r = open(*p, u"conv_1/../../x"_s);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::Invalid);
        QCOMPARE(requests(), before);
    }

    // Open and the connection test, right and wrong: conformance_orq (wrongKeyIsAuth,
    // testConnectionSucceeds).
    void wrongKey()
    {
        for (const QString &revision :
             {u"2025-12 (starting_after)"_s, u"2026-02 (startingAfter)"_s}) {
            auto p = provider(revision, "sk-orq-wrong");
            const auto r = page(*p, ListQuery{}, PageCursor::first(PageCursor::Style::Cursor));
            QVERIFY(r && !r->ok());
            QCOMPARE(r->error().kind, ApiError::Kind::Auth);
            QCOMPARE(r->error().code, u"invalid_api_key"_s);
            QVERIFY(!r->error().detail.isEmpty());
        }
        auto none = provider(QString(), QByteArray());
        const auto r = page(*none, ListQuery{}, PageCursor::first(PageCursor::Style::Cursor));
        QCOMPARE(r->error().kind, ApiError::Kind::Auth);
        QCOMPARE(r->error().code, u"authentication_required"_s);
    }

    // ListQuery::startAfter / endBefore: starting_after and ending_before (camelCase in
    // 2026-02); ending_before walks towards the newest, a page at a time, each newest first.
    void listFromAConversation()
    {
        const auto idsOf = [](const QList<Conversation> &rows) {
            QStringList ids;
            for (const Conversation &c : rows)
                ids << c.id;
            return ids;
        };
        for (const QString &revision :
             {u"2025-12 (starting_after)"_s, u"2026-02 (startingAfter)"_s}) {
            // 2026-02 without an entity lists the standalone conversations.
            const bool camel = revision.startsWith(u"2026"_s);
            const QStringList all =
                expected([camel](const QString &entity) { return !camel || entity.isEmpty(); });
            QVERIFY(all.size() >= 6);
            auto p = provider(revision);
            QVERIFY(p->capabilities().listFromId);
            ListQuery q;
            q.pageSize = 2;
            q.endBefore = all.at(5);
            auto r = page(*p, q, PageCursor::first(PageCursor::Style::Cursor));
            QVERIFY(r && r->ok());
            QCOMPARE(idsOf(r->value().items), all.mid(3, 2));
            QVERIFY(!r->value().next.atEnd);
            QVERIFY(r->value().next.token.isEmpty());
            QCOMPARE(r->value().next.backToken, all.at(3));
            r = page(*p, q, r->value().next);
            QVERIFY(r && r->ok());
            QCOMPARE(idsOf(r->value().items), all.mid(1, 2));

            q.endBefore.clear();
            q.startAfter = all.at(1);
            r = page(*p, q, PageCursor::first(PageCursor::Style::Cursor));
            QVERIFY(r && r->ok());
            QCOMPARE(idsOf(r->value().items), all.mid(2, 2));
            r = page(*p, q, r->value().next); // then paging goes on from the page's last row
            QVERIFY(r && r->ok());
            QCOMPARE(idsOf(r->value().items), all.mid(4, 2));
        }
        // Both at once, or an id that is not a path segment: refused before sending.
        const QStringList all = expected([](const QString &) { return true; });
        auto p = provider(QString());
        const int before = requests();
        ListQuery both;
        both.startAfter = all.at(1);
        both.endBefore = all.at(3);
        auto r = page(*p, both, PageCursor::first(PageCursor::Style::Cursor));
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::Invalid);
        ListQuery odd;
        odd.endBefore = u"conv_1/../x"_s;
        r = page(*p, odd, PageCursor::first(PageCursor::Style::Cursor));
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ApiError::Kind::Invalid);
        QCOMPARE(requests(), before);
    }

    void emulationRulesOnTheWire()
    {
        const QString snake = u"/v2/conversations"_s;
        const QString camel = u"/v2/conversations/"_s;
        // Default page size 10, newest first.
        HttpResponse r = raw(snake, {});
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r).value(u"object"_s).toString(), u"list"_s);
        QCOMPARE(dataIds(r), expected([](const QString &) { return true; }).mid(0, 10));
        QCOMPARE(json(r).value(u"has_more"_s), QJsonValue(true));
        // Limits, with orq's error body.
        for (const QString &bad : {u"0"_s, u"101"_s, u"ten"_s, u"-5"_s}) {
            r = raw(snake, {{u"limit"_s, bad}});
            QCOMPARE(r.status, 400);
            QCOMPARE(errorCode(r), u"invalid_request_body"_s);
            QVERIFY(json(r)
                        .value(u"error"_s)
                        .toObject()
                        .value(u"doc_url"_s)
                        .toString()
                        .startsWith(u"https://docs.orq.ai/"_s));
        }
        QCOMPARE(raw(camel, {{u"limit"_s, u"100"_s}}).status, 200);
        // Each revision knows only its own spelling.
        const QString some = m_data.idAt(100);
        QCOMPARE(raw(snake, {{u"startingAfter"_s, some}}).status, 400);
        QCOMPARE(raw(camel, {{u"starting_after"_s, some}}).status, 400);
        QCOMPARE(raw(snake, {{u"entityId"_s, m_data.agents().first()}}).status, 400);
        QCOMPARE(raw(snake, {{u"starting_after"_s, some}}).status, 200);
        QCOMPARE(raw(camel, {{u"startingAfter"_s, some}}).status, 200);
        // Cursors: malformed 400, unknown 404, both directions at once 400.
        QCOMPARE(raw(snake, {{u"starting_after"_s, u"12"_s}}).status, 400);
        r = raw(snake, {{u"starting_after"_s, u"conv_01jj1hdhn79xas7a01wb3hysdb"_s}});
        QCOMPARE(r.status, 404);
        QVERIFY(!json(r).value(u"message"_s).toString().isEmpty());
        QCOMPARE(raw(snake, {{u"starting_after"_s, some}, {u"ending_before"_s, some}}).status, 400);
        // ending_before pages back: the page before the second page is the first page.
        const HttpResponse first = raw(snake, {{u"limit"_s, u"7"_s}});
        const QString last = dataIds(first).last();
        const HttpResponse second = raw(snake, {{u"limit"_s, u"7"_s}, {u"starting_after"_s, last}});
        QCOMPARE(dataIds(second).size(), 7);
        const HttpResponse back =
            raw(snake, {{u"limit"_s, u"7"_s}, {u"ending_before"_s, dataIds(second).first()}});
        QCOMPARE(dataIds(back), dataIds(first));
        QCOMPARE(json(back).value(u"has_more"_s), QJsonValue(false));
        const HttpResponse middle =
            raw(snake, {{u"limit"_s, u"3"_s}, {u"ending_before"_s, dataIds(second).first()}});
        QCOMPARE(dataIds(middle), dataIds(first).mid(4));
        QCOMPARE(json(middle).value(u"has_more"_s), QJsonValue(true));
        // The retrieve 404 body is the documented {"message"}.
        r = raw(u"/v2/conversations/conv_01jj1hdhn79xas7a01wb3hysdb"_s, {});
        QCOMPARE(r.status, 404);
        QVERIFY(json(r).contains(u"message"_s));
        // A wrong key is a 401 with invalid_api_key.
        r = raw(snake, {}, "sk-orq-nope");
        QCOMPARE(r.status, 401);
        QCOMPARE(errorCode(r), u"invalid_api_key"_s);
    }
};

QTEST_GUILESS_MAIN(TestOrqProvider)
#include "tst_orq_provider.moc"
