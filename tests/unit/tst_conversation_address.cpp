// Provider::conversationIdIn (Open by ID): a conversation id as pasted, or an address that
// holds one in the forms each platform's README lists; anything else is refused, saying why.
// Pure: no request is sent.
#include "net/HttpClient.h"
#include "providers/ProviderRegistry.h"
#include "support/WorkspaceDefaults.h"

#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

const QString kUuid = u"0b7c4b1e-9d2f-4c3a-8e61-5f0a2b3c4d5e"_s;
const QString kOrqId = u"conv_01JQ8Z6T3V5W7X9Y1A2B3C4D5E"_s;

} // namespace

class TestConversationAddress : public QObject
{
    Q_OBJECT

private:
    // What `platform`'s provider (its default settings, `params` over them) reads in `text`:
    // the id, or "error: <detail>".
    QString read(const QString &platform, const QString &text,
                 const QMap<QString, QString> &params = {})
    {
        Workspace ws;
        ws.platform = platform;
        ws.params = test::defaultParams(ProviderRegistry::platform(platform), params);
        const auto provider = ProviderRegistry::create(ws, "key", &m_http);
        if (!provider)
            return u"no provider"_s;
        const Result<QString> r = provider->conversationIdIn(text);
        if (r.ok())
            return r.value();
        return r.error().kind == ApiError::Kind::Invalid ? u"error: "_s + r.error().detail
                                                         : u"wrong kind"_s;
    }

    HttpClient m_http;

private slots:
    void bareIdsAreTakenAsTheyAre_data()
    {
        QTest::addColumn<QString>("platform");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("id");
        for (const char *p : {"posthog", "fixie", "polyai", "dynamiq"})
            QTest::newRow(p) << QString::fromLatin1(p) << u"  "_s + kUuid + u"\n"_s << kUuid;
        QTest::newRow("orq") << u"orq"_s << kOrqId << kOrqId;
    }
    void bareIdsAreTakenAsTheyAre()
    {
        QFETCH(QString, platform);
        QFETCH(QString, text);
        QFETCH(QString, id);
        QCOMPARE(read(platform, text), id);
        QVERIFY(read(platform, u"   "_s).startsWith(u"error: "_s));
    }

    void posthogAddresses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("max chat") << u"https://us.posthog.com/project/12345/max?chat="_s + kUuid
                                  << kUuid;
        QTest::newRow("ai chat") << u"https://eu.posthog.com/project/12345/ai?ask=x&chat="_s + kUuid
                                 << kUuid;
        QTest::newRow("self-hosted")
            << u"http://posthog.internal:8000/project/12345/max?chat="_s + kUuid << kUuid;
        QTest::newRow("api") << u"https://us.posthog.com/api/environments/12345/conversations/"_s +
                                    kUuid + u'/'
                             << kUuid;
        QTest::newRow("another project")
            << u"https://us.posthog.com/project/999/max?chat="_s + kUuid
            << u"error: This address is of PostHog project 999; the workspace reads project "
               "12345."_s;
        QTest::newRow("no chat") << u"https://us.posthog.com/project/12345/insights"_s
                                 << u"error"_s;
    }
    void posthogAddresses()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const QString got = read(u"posthog"_s, text, {{u"project_id"_s, u"12345"_s}});
        if (expected == "error"_L1)
            QVERIFY2(got.startsWith(u"error: "_s), qPrintable(got));
        else
            QCOMPARE(got, expected);
    }

    void orqAddresses()
    {
        QCOMPARE(read(u"orq"_s, u"https://my.orq.ai/acme/conversations/"_s + kOrqId), kOrqId);
        QCOMPARE(read(u"orq"_s, u"https://my.orq.ai/acme/agents/support/"_s + kOrqId + u"/x"_s),
                 kOrqId);
        QCOMPARE(read(u"orq"_s, u"https://api.orq.ai/v2/conversations/"_s + kOrqId), kOrqId);
        QVERIFY(
            read(u"orq"_s, u"https://my.orq.ai/acme/agents/support"_s).startsWith(u"error: "_s));
    }

    void apiAddressesElsewhere_data()
    {
        QTest::addColumn<QString>("platform");
        QTest::addColumn<QString>("text");
        QTest::newRow("fixie") << u"fixie"_s
                               << u"https://api.fixie.ai/api/v1/agents/a1/conversations/"_s + kUuid;
        QTest::newRow("polyai") << u"polyai"_s
                                << u"https://api.us-1.platform.polyai.app/v3/ws-acme/P/"
                                   "conversations/"_s +
                                       kUuid;
        QTest::newRow("dynamiq") << u"dynamiq"_s
                                 << u"https://api.getdynamiq.ai/v1/conversations/"_s + kUuid;
    }
    void apiAddressesElsewhere()
    {
        QFETCH(QString, platform);
        QFETCH(QString, text);
        QCOMPARE(read(platform, text), kUuid);
        QVERIFY(read(platform, u"https://example.com/nothing/here"_s).startsWith(u"error: "_s));
    }
};

QTEST_GUILESS_MAIN(TestConversationAddress)
#include "tst_conversation_address.moc"
