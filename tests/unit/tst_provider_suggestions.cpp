// Provider's memory of create-field values it has seen (the New Conversation dialog's
// suggestions): per field, most recently seen first, each value once with its newest name,
// at most Provider::kMaxSuggestions per field, nothing empty kept.

#include "providers/Provider.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace parley;

namespace {

// Only what the memory needs: no request is ever made.
class MemoryProvider final : public Provider
{
public:
    MemoryProvider()
        : Provider(Workspace{}, nullptr)
    {}
    QString platform() const override { return u"memory"_s; }
    Capabilities capabilities() const override { return {}; }
    RequestHandle listConversations(const ListQuery &, const PageCursor &, QObject *,
                                    Done<ConversationPage>) override
    {
        return {};
    }
    RequestHandle fetchConversation(const QString &, QObject *, Done<ConversationDetail>) override
    {
        return {};
    }
    using Provider::rememberSuggestions;
};

QStringList values(const QList<FieldSuggestion> &list)
{
    QStringList out;
    for (const FieldSuggestion &s : list)
        out << s.value;
    return out;
}

} // namespace

class TestProviderSuggestions : public QObject
{
    Q_OBJECT

private slots:
    void emptyUntilSomethingIsSeen()
    {
        MemoryProvider p;
        QVERIFY(p.suggestions(u"app_id"_s).isEmpty());
        p.rememberSuggestions(
            {{u"app_id"_s, QString(), u"no value"_s}, {QString(), u"a"_s, u"no field"_s}});
        QVERIFY(p.suggestions(u"app_id"_s).isEmpty());
        QVERIFY(p.suggestions(QString()).isEmpty());
    }

    void newestFirstPerField()
    {
        MemoryProvider p;
        // A page lists its newest row first.
        p.rememberSuggestions({{u"app_id"_s, u"a1"_s, u"One"_s},
                               {u"model_id"_s, u"m1"_s, u"Chat"_s},
                               {u"app_id"_s, u"a2"_s, u"Two"_s}});
        QCOMPARE(values(p.suggestions(u"app_id"_s)), (QStringList{u"a1"_s, u"a2"_s}));
        QCOMPARE(values(p.suggestions(u"model_id"_s)), QStringList{u"m1"_s});

        // A later page: what it names comes first, seen again moves up with its new name.
        p.rememberSuggestions(
            {{u"app_id"_s, u"a2"_s, u"Two renamed"_s}, {u"app_id"_s, u"a3"_s, u"Three"_s}});
        const QList<FieldSuggestion> apps = p.suggestions(u"app_id"_s);
        QCOMPARE(values(apps), (QStringList{u"a2"_s, u"a3"_s, u"a1"_s}));
        QCOMPARE(apps.first().label, u"Two renamed"_s);
        QCOMPARE(values(p.suggestions(u"model_id"_s)), QStringList{u"m1"_s});
    }

    void boundedPerField()
    {
        MemoryProvider p;
        p.rememberSuggestions({{u"model_id"_s, u"m"_s, QString()}});
        for (int i = 0; i < Provider::kMaxSuggestions + 5; ++i)
            p.rememberSuggestions({{u"app_id"_s, u"a%1"_s.arg(i), QString()}});
        const QStringList apps = values(p.suggestions(u"app_id"_s));
        QCOMPARE(apps.size(), Provider::kMaxSuggestions);
        QCOMPARE(apps.first(), u"a%1"_s.arg(Provider::kMaxSuggestions + 4)); // the newest
        QVERIFY(!apps.contains(u"a4"_s));                                    // the oldest went
        // Another field's values are not pushed out by this one's.
        QCOMPARE(values(p.suggestions(u"model_id"_s)), QStringList{u"m"_s});
    }
};

QTEST_GUILESS_MAIN(TestProviderSuggestions)
#include "tst_provider_suggestions.moc"
