// One conformance suite for every registered platform. The binary checks ONE platform, named
// by PARLEY_CONFORMANCE_PLATFORM (or `--platform ID` before the Qt Test arguments); ctest runs
// it once per platform as conformance_<id>. It starts the sandbox on 127.0.0.1, makes the
// platform's demo workspace and its provider through the registry, and checks over real
// HTTP what every platform must do, driven only by what the provider declares in
// capabilities() (never by its id):
//   - the list: every row exactly once at several page sizes (233 conversations, a prime no
//     page size divides), page sizes capped at maxPageSize, the total where one is reported,
//     a cursor at its end sends nothing;
//   - each declared filter and sort field (see filtersAsDeclared for the rules), an
//     undeclared one refused or ignored, mutually exclusive filters refused together;
//   - opening listed rows (their id, turns where Transcript), an unknown id is NotFound;
//   - a wrong or empty key is Auth/Forbidden for list, open and the connection test, and
//     no message holds the key; the sandbox's faults give the documented ApiError kinds;
//   - each write the capabilities declare, with inputs the provider itself offers; a write
//     they do not declare is refused (Config) without a request.
// Platform quirks live in each platform's own tests, not here.
#include "ConformanceInputs.h"
#include "providers/ProviderRegistry.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxServer.h"
#include "session/DemoWorkspaces.h"
#include "support/Await.h"
#include "support/PlatformSandbox.h"
#include "support/ProviderCalls.h"
#include "support/SecretScan.h"
#include "support/StreamWatch.h"

#include <QSet>
#include <QTest>

#include <memory>
#include <optional>

using namespace parley;
using namespace parley::test;
using namespace parley::conformance;
using namespace Qt::StringLiterals;

namespace {

constexpr int kCount = 233; // prime: no page size divides it
constexpr quint32 kSeed = 7;

QSet<QString> setOf(const QStringList &ids)
{
    return QSet<QString>(ids.cbegin(), ids.cend());
}

bool isAuthKind(ApiError::Kind kind)
{
    return kind == ApiError::Kind::Auth || kind == ApiError::Kind::Forbidden;
}

} // namespace

class TestConformance : public QObject
{
    Q_OBJECT
public:
    explicit TestConformance(QString platform)
        : m_platform(std::move(platform))
    {}

private:
    QString m_platform;
    PlatformSandbox m_fx;
    std::unique_ptr<Provider> m_provider;
    Capabilities m_caps;
    Walk m_all; // the unfiltered list at the largest page size
    QSet<QString> m_allIds;
    QString m_created; // a conversation this run started (Create), for the later writes

    QString label(const QString &what) const { return m_platform + u": "_s + what; }

    // A page size that makes several pages of the list.
    int filterPageSize() const { return qMin(17, m_caps.maxPageSize); }

    Walk walk(const ListQuery &query) { return walkAll(*m_provider, query, this); }

    // Whether a list with `query` is refused: an Invalid error, before sending or by the
    // server; `sent` tells which. nullopt with the walk when it was accepted.
    std::optional<ApiError> refusal(const ListQuery &query, Walk *accepted, bool *sent)
    {
        const int before = m_fx.requests();
        *accepted = walk(query);
        *sent = m_fx.requests() != before;
        if (accepted->ok())
            return std::nullopt;
        return accepted->error;
    }

    // A conversation no reply is running in, for Send/Append: one this run started, else
    // the newest listed.
    QString quietConversation() const
    {
        return m_created.isEmpty() ? m_all.rows.constFirst().id : m_created;
    }

    // Starts a reply that stays running for a while: a message to a quiet conversation, or
    // a new conversation. nullptr when the platform can do neither.
    std::unique_ptr<StreamWatch> startReply(QString *conversationId)
    {
        if (m_caps.can(Capabilities::Send)) {
            *conversationId = quietConversation();
            return std::make_unique<StreamWatch>(m_provider->sendMessage(
                *conversationId, u"Conformance: a long answer, please."_s, this));
        }
        if (m_caps.can(Capabilities::Create)) {
            QStringList missing;
            auto watch = std::make_unique<StreamWatch>(
                m_provider->startConversation(createRequest(m_caps, *m_provider, &missing), this));
            // The id comes with the stream's first events; without it the caller fails.
            (void)QTest::qWaitFor(
                [&] { return !watch->conversationId().isEmpty() || watch->finished(); }, 10000);
            *conversationId = watch->conversationId();
            return watch;
        }
        return nullptr;
    }

    int turnsOf(const QString &id)
    {
        const auto d = openConversation(*m_provider, id, this);
        return d && d->ok() ? int(d->value().turns.size()) : -1;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!m_platform.isEmpty(),
                 "name the platform: PARLEY_CONFORMANCE_PLATFORM=<id> or --platform <id>");
        sandbox::SandboxOptions options;
        options.seed = kSeed;
        options.conversations = kCount;
        options.key = distinctiveSecret("cnf_");
        options.streamIntervalMs = 50; // a reply runs long enough to be stopped
        QString error;
        QVERIFY2(m_fx.start(options, &error), qPrintable(error));
        m_provider = m_fx.provider(m_platform);
        QVERIFY2(m_provider, qPrintable(label(u"the registry makes no provider"_s)));
        m_caps = m_provider->capabilities();
        QVERIFY(m_caps.maxPageSize > 0);

        ListQuery q;
        q.pageSize = m_caps.maxPageSize;
        m_all = walk(q);
        QVERIFY2(m_all.ok(), qPrintable(label(m_all.error.message())));
        QVERIFY2(m_all.rows.size() >= 3, "the demo workspace lists too few conversations");
        m_allIds = setOf(m_all.ids());
    }

    void cleanupTestCase()
    {
        m_provider.reset();
        m_fx.stop();
    }

    // The platform is found everywhere a platform must be: the registry, the sandbox, the
    // demo workspaces (valid, and exactly one), and it says what it can do.
    void registeredEverywhere()
    {
        const PlatformInfo info = ProviderRegistry::platform(m_platform);
        QCOMPARE(info.id, m_platform);
        QVERIFY(!info.displayName.isEmpty());
        QCOMPARE(m_provider->platform(), m_platform);
        QVERIFY(m_fx.sandbox().prefixes().contains(m_platform));
        int demos = 0;
        for (const Workspace &ws : DemoWorkspaces::create(m_fx.sandbox())) {
            if (ws.platform != m_platform)
                continue;
            ++demos;
            QVERIFY2(ProviderRegistry::validate(ws).isEmpty(),
                     qPrintable(QStringList(ProviderRegistry::validate(ws).values()).join(u' ')));
        }
        QCOMPARE(demos, 1);
        QVERIFY(m_caps.can(Capabilities::List));
        QVERIFY(ProviderRegistry::capabilities(m_platform).can(Capabilities::List));
        QVERIFY(!m_caps.listNote.isEmpty());
    }

    void everyRowOnceAtEveryPageSize_data()
    {
        QTest::addColumn<int>("pageSize");
        QList<int> sizes{1, 7, 13, m_caps.maxPageSize - 1, m_caps.maxPageSize};
        for (int size : sizes) {
            if (size >= 1 && size <= m_caps.maxPageSize)
                QTest::addRow("%d", size) << size;
        }
        QTest::addRow("%d is capped", m_caps.maxPageSize + 1) << m_caps.maxPageSize + 1;
    }

    void everyRowOnceAtEveryPageSize()
    {
        QFETCH(int, pageSize);
        const int effective = qMin(pageSize, m_caps.maxPageSize);
        ListQuery q;
        q.pageSize = pageSize;
        const int before = m_fx.requests();
        const Walk w = walk(q);
        QVERIFY2(w.ok(), qPrintable(label(w.error.message())));
        QCOMPARE(w.ids(), m_all.ids()); // the same rows in the same order
        QCOMPARE(setOf(w.ids()).size(), w.rows.size());
        QVERIFY(w.largestPage <= effective);
        const int rows = int(w.rows.size());
        const int fullPages = (rows + effective - 1) / effective;
        // A cursor platform may learn of the end only from an empty last page.
        QVERIFY2(w.pages == fullPages || w.pages == fullPages + 1,
                 qPrintable(u"%1 pages for %2 rows"_s.arg(w.pages).arg(rows)));
        QCOMPARE(m_fx.requests() - before, w.pages);
        QVERIFY(w.totalsAgree);
        if (w.total >= 0)
            QCOMPARE(w.total, qint64(rows));
    }

    void cursorAtEndSendsNothing()
    {
        const int before = m_fx.requests();
        int answers = 0;
        const auto r =
            listPage(*m_provider, ListQuery{}, PageCursor::end(m_caps.paging), this, &answers);
        QVERIFY(r);
        QVERIFY2(r->ok(), qPrintable(r->error().message()));
        QVERIFY(r->value().items.isEmpty());
        QVERIFY(r->value().next.atEnd);
        QCOMPARE(answers, 1);
        QCOMPARE(m_fx.requests(), before);
    }

    // Rules, from the FilterSpec alone:
    // - a value is accepted (the list walks, each row once, the total agrees) or refused with
    //   Invalid (a value that needs a companion filter, before sending or by the server);
    // - Bool: yes and no keep rows of the unfiltered list; either they split it (disjoint,
    //   together all of it) or both keep all of it (an option that adds detail, not a filter);
    // - Choice: each value's rows are within the unfiltered list or wholly outside it (a
    //   platform may list one choice when none is set); two values never share a row unless
    //   both keep the whole list;
    // - DateTime (a listed row's creation time): rows of the list, some but not all;
    // - Text: rows of the list; a value the provider suggested keeps some rows;
    // - at least one Choice/Bool filter narrows the list, where the platform declares any;
    // - a filter the platform does not declare is refused (Invalid) or ignored (same rows);
    // - two filters declared exclusive are refused together (Invalid).
    void filtersAsDeclared()
    {
        {
            ListQuery q;
            q.pageSize = m_caps.maxPageSize;
            q.filters.insert(u"conformance_undeclared"_s, u"1"_s);
            Walk w;
            bool sent = false;
            if (const auto refused = refusal(q, &w, &sent))
                QCOMPARE(refused->kind, ApiError::Kind::Invalid);
            else
                QCOMPARE(w.ids(), m_all.ids());
        }

        int narrowingFilters = 0;
        int choiceOrBool = 0;
        QStringList options;    // accepted, keep every row: they add detail, not a filter
        QStringList companions; // refused alone: they need another filter set too
        for (const FilterSpec &f : m_caps.filters) {
            const QList<FilterValue> values = valuesFor(f, *m_provider, m_all.rows);
            QVERIFY2(!values.isEmpty(), qPrintable(label(u"no value to try for "_s + f.key)));
            QList<QSet<QString>> kept;
            for (const FilterValue &v : values) {
                const QString what = label(f.key + u'=' + v.value);
                ListQuery q;
                q.pageSize = filterPageSize();
                q.filters.insert(f.key, v.value);
                Walk w;
                bool sent = false;
                if (const auto refused = refusal(q, &w, &sent)) {
                    QVERIFY2(refused->kind == ApiError::Kind::Invalid,
                             qPrintable(what + u": "_s + refused->message()));
                    QVERIFY2(!v.namesListedRows, qPrintable(what + u": a listed value refused"_s));
                    continue;
                }
                const QSet<QString> ids = setOf(w.ids());
                QVERIFY2(ids.size() == w.rows.size(), qPrintable(what + u": a row twice"_s));
                QVERIFY2(w.totalsAgree, qPrintable(what));
                if (w.total >= 0)
                    QVERIFY2(w.total == w.rows.size(), qPrintable(what + u": total"_s));
                const bool inside = m_allIds.contains(ids);
                if (f.kind == FilterSpec::Kind::Choice)
                    QVERIFY2(inside || !m_allIds.intersects(ids),
                             qPrintable(what + u": partly outside the list"_s));
                else
                    QVERIFY2(inside, qPrintable(what + u": rows the list does not have"_s));
                if (v.namesListedRows)
                    QVERIFY2(!ids.isEmpty(), qPrintable(what + u": keeps nothing"_s));
                if (f.kind == FilterSpec::Kind::DateTime)
                    QVERIFY2(!ids.isEmpty() && ids.size() < m_allIds.size(),
                             qPrintable(what + u": does not narrow"_s));
                kept << ids;
            }
            if (f.kind != FilterSpec::Kind::Choice && f.kind != FilterSpec::Kind::Bool)
                continue;
            ++choiceOrBool;
            const bool allWhole = std::all_of(
                kept.cbegin(), kept.cend(), [&](const QSet<QString> &s) { return s == m_allIds; });
            for (qsizetype i = 0; i < kept.size(); ++i) {
                for (qsizetype j = i + 1; j < kept.size(); ++j)
                    QVERIFY2(allWhole || !kept.at(i).intersects(kept.at(j)),
                             qPrintable(label(f.key + u": two values share rows"_s)));
            }
            if (f.kind == FilterSpec::Kind::Bool && kept.size() == 2 && !allWhole)
                QVERIFY2(kept.at(0) + kept.at(1) == m_allIds,
                         qPrintable(label(f.key + u": yes and no miss rows"_s)));
            if (kept.isEmpty())
                companions << f.key;
            else if (allWhole)
                options << f.key;
            else
                ++narrowingFilters;
        }
        if (choiceOrBool > 0)
            QVERIFY2(narrowingFilters > 0, qPrintable(label(u"no filter narrows the list"_s)));
        if (!options.isEmpty() || !companions.isEmpty())
            qInfo("%s",
                  qPrintable(label(u"not narrowing alone: options "_s + options.join(u", "_s) +
                                   u"; need a companion "_s + companions.join(u", "_s))));

        for (const FilterSpec &f : m_caps.filters) {
            if (f.exclusiveWith.isEmpty())
                continue;
            const auto other =
                std::find_if(m_caps.filters.cbegin(), m_caps.filters.cend(),
                             [&](const FilterSpec &s) { return s.key == f.exclusiveWith; });
            QVERIFY2(other != m_caps.filters.cend(),
                     qPrintable(label(f.key + u" is exclusive with an undeclared filter"_s)));
            const QList<FilterValue> mine = valuesFor(f, *m_provider, m_all.rows);
            const QList<FilterValue> theirs = valuesFor(*other, *m_provider, m_all.rows);
            ListQuery q;
            q.filters.insert(f.key, mine.constFirst().value);
            q.filters.insert(other->key, theirs.constFirst().value);
            Walk w;
            bool sent = false;
            const auto refused = refusal(q, &w, &sent);
            QVERIFY2(refused, qPrintable(label(f.key + u" and "_s + other->key + u" accepted"_s)));
            QCOMPARE(refused->kind, ApiError::Kind::Invalid);
        }
    }

    // Each declared sort field, ascending and descending ("-field"): the same rows, each
    // once, in two different orders. An undeclared one is refused (Invalid) or ignored.
    void sortAsDeclared()
    {
        {
            ListQuery q;
            q.pageSize = m_caps.maxPageSize;
            q.sort = u"conformance_undeclared"_s;
            Walk w;
            bool sent = false;
            if (const auto refused = refusal(q, &w, &sent))
                QCOMPARE(refused->kind, ApiError::Kind::Invalid);
            else
                QCOMPARE(setOf(w.ids()), m_allIds);
        }
        for (const QString &field : m_caps.sortFields) {
            QStringList orders[2];
            for (int descending = 0; descending < 2; ++descending) {
                ListQuery q;
                q.pageSize = filterPageSize();
                q.sort = descending ? u"-"_s + field : field;
                const Walk w = walk(q);
                QVERIFY2(w.ok(), qPrintable(label(q.sort + u": "_s + w.error.message())));
                QCOMPARE(w.rows.size(), m_all.rows.size());
                QCOMPARE(setOf(w.ids()), m_allIds);
                orders[descending] = w.ids();
            }
            QVERIFY2(orders[0] != orders[1], qPrintable(label(field + u": one order only"_s)));
        }
    }

    void listedRowsOpen()
    {
        const qsizetype n = m_all.rows.size();
        const QList<qsizetype> picks{0, 1, n / 3, n / 2, n - 2, n - 1};
        int turns = 0;
        for (qsizetype i : picks) {
            const Conversation &row = m_all.rows.at(i);
            const auto d = openConversation(*m_provider, row.id, this);
            QVERIFY(d);
            QVERIFY2(d->ok(), qPrintable(label(row.id + u": "_s + d->error().message())));
            QCOMPARE(d->value().summary.id, row.id);
            if (m_caps.can(Capabilities::Transcript)) {
                QVERIFY(d->value().hasTranscript);
                turns += int(d->value().turns.size());
                for (const Turn &t : d->value().turns)
                    QVERIFY2(!t.id.isEmpty() || !t.fragments.isEmpty(), qPrintable(row.id));
            } else {
                QVERIFY(!d->value().hasTranscript);
                QVERIFY(d->value().turns.isEmpty());
                QVERIFY(!d->value().transcriptNote.isEmpty());
            }
        }
        if (m_caps.can(Capabilities::Transcript))
            QVERIFY2(turns > 0, "no opened conversation has a turn");
    }

    void unknownIdIsNotFound()
    {
        const QString id = unknownIdLike(m_all.rows.constFirst().id);
        QVERIFY(!m_allIds.contains(id));
        const auto d = openConversation(*m_provider, id, this);
        QVERIFY(d && !d->ok());
        QVERIFY2(d->error().kind == ApiError::Kind::NotFound,
                 qPrintable(label(id + u": "_s + d->error().message())));
    }

    void wrongKeyIsAuth_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::newRow("wrong") << distinctiveSecret("bad_");
        QTest::newRow("empty") << QByteArray();
    }

    void wrongKeyIsAuth()
    {
        QFETCH(QByteArray, key);
        const auto p = m_fx.provider(m_fx.workspace(m_platform), key);
        const QString secrets[] = {QString::fromLatin1(key), QString::fromLatin1(m_fx.key())};
        auto keyFree = [&](const ApiError &e) {
            for (const QString &s : secrets) {
                if (!s.isEmpty() && (e.message().contains(s) || e.detail.contains(s)))
                    return false;
            }
            return true;
        };
        const auto list = listPage(*p, ListQuery{}, PageCursor::first(m_caps.paging), this);
        QVERIFY(list && !list->ok());
        QVERIFY2(isAuthKind(list->error().kind), qPrintable(list->error().message()));
        QVERIFY(keyFree(list->error()));

        const auto open = openConversation(*p, m_all.rows.constFirst().id, this);
        QVERIFY(open && !open->ok());
        QVERIFY2(isAuthKind(open->error().kind), qPrintable(open->error().message()));
        QVERIFY(keyFree(open->error()));

        const auto tested = awaitAnswer<ApiError>(
            [&](std::function<void(ApiError)> done) { p->testConnection(this, std::move(done)); });
        QVERIFY(tested);
        QVERIFY2(isAuthKind(tested->kind), qPrintable(tested->message()));
    }

    void testConnectionSucceeds()
    {
        const auto tested = awaitAnswer<ApiError>([&](std::function<void(ApiError)> done) {
            m_provider->testConnection(this, std::move(done));
        });
        QVERIFY(tested);
        QVERIFY2(!tested->isError(), qPrintable(tested->message()));
    }

    // The sandbox's faults on every request (FaultSpec), one attempt each: the list and the
    // opening of a listed row end with the documented kind, and the next request works.
    void faultsGiveTheirKind_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("kind");
        using K = ApiError::Kind;
        QTest::newRow("status 500") << u"status=500"_s << int(K::Server);
        QTest::newRow("html 503") << u"html=503"_s << int(K::Server);
        QTest::newRow("html 502") << u"html=502"_s << int(K::Server);
        QTest::newRow("429 retry-after") << u"status=429;retry-after=7"_s << int(K::RateLimited);
        QTest::newRow("401") << u"status=401"_s << int(K::Auth);
        QTest::newRow("403") << u"status=403"_s << int(K::Forbidden);
        QTest::newRow("malformed json") << u"malformed-json"_s << int(K::BadResponse);
        QTest::newRow("truncated") << u"truncated"_s << int(K::BadResponse);
        QTest::newRow("html as 200") << u"content-type=text/html"_s << int(K::BadResponse);
        QTest::newRow("deep json") << u"deep-json=100000"_s << int(K::BadResponse);
        QTest::newRow("reset") << u"reset"_s << int(K::Network);
        QTest::newRow("redirect elsewhere") << u"redirect-other-host"_s << int(K::Config);
    }

    void faultsGiveTheirKind()
    {
        QFETCH(QString, spec);
        QFETCH(int, kind);
        HttpClient once;
        once.setRetryPolicy(RetryPolicy::disabled());
        const auto p = m_fx.provider(m_fx.workspace(m_platform), m_fx.key(), &once);
        QString why;
        QVERIFY2(m_fx.sandbox().server()->setFaults(spec, &why), qPrintable(why));
        const auto list = listPage(*p, ListQuery{}, PageCursor::first(m_caps.paging), this);
        const auto open = openConversation(*p, m_all.rows.constFirst().id, this);
        m_fx.sandbox().server()->setFaults(QString());
        QVERIFY(list && open);
        for (const ApiError &e : {list->error(), open->error()}) {
            QVERIFY2(int(e.kind) == kind,
                     qPrintable(label(ApiError::kindName(e.kind) + u": "_s + e.message())));
            QVERIFY(!e.message().contains(u"<html"_s, Qt::CaseInsensitive));
            if (spec.contains(u"retry-after"_s))
                QCOMPARE(e.retryAfterSeconds, 7);
        }
        const auto again = listPage(*p, ListQuery{}, PageCursor::first(m_caps.paging), this);
        QVERIFY(again);
        QVERIFY2(again->ok(), qPrintable(again->error().message()));
    }

    // A byte sequence that is no UTF-8 in a string of the list does not fail the page: it
    // reads as U+FFFD, and every row is there (read, or kept as unreadable).
    void invalidUtf8DoesNotFailThePage()
    {
        HttpClient once;
        once.setRetryPolicy(RetryPolicy::disabled());
        const auto p = m_fx.provider(m_fx.workspace(m_platform), m_fx.key(), &once);
        const auto clean = listPage(*p, ListQuery{}, PageCursor::first(m_caps.paging), this);
        QVERIFY(clean && clean->ok());
        QString why;
        QVERIFY2(m_fx.sandbox().server()->setFaults(u"invalid-utf8"_s, &why), qPrintable(why));
        const auto list = listPage(*p, ListQuery{}, PageCursor::first(m_caps.paging), this);
        m_fx.sandbox().server()->setFaults(QString());
        QVERIFY(list);
        QVERIFY2(list->ok(), qPrintable(label(list->error().message())));
        QCOMPARE(list->value().items.size(), clean->value().items.size());
    }

    // Runs first among the writes: Send, Append, Cancel and FollowUps use the conversation.
    void create()
    {
        if (!m_caps.can(Capabilities::Create)) {
            const int before = m_fx.requests();
            StreamWatch watch(m_provider->startConversation(NewConversation{}, this));
            QVERIFY(watch.waitFinished());
            QCOMPARE(watch.error().kind, ApiError::Kind::Config);
            QCOMPARE(m_fx.requests(), before);
            return;
        }
        QStringList missing;
        const NewConversation request = createRequest(m_caps, *m_provider, &missing);
        QVERIFY2(missing.isEmpty(),
                 qPrintable(label(u"nothing offers a value for "_s + missing.join(u", "_s))));
        if (m_caps.createNeedsText) {
            NewConversation empty = request;
            empty.text.clear();
            const int before = m_fx.requests();
            StreamWatch refused(m_provider->startConversation(empty, this));
            QVERIFY(refused.waitFinished());
            QCOMPARE(refused.error().kind, ApiError::Kind::Invalid);
            QCOMPARE(m_fx.requests(), before);
        }
        StreamWatch watch(m_provider->startConversation(request, this));
        QVERIFY(watch.waitFinished(30000));
        QVERIFY2(!watch.error().isError(), qPrintable(label(watch.error().message())));
        m_created = watch.conversationId();
        QVERIFY(!m_created.isEmpty());
        QVERIFY(!m_allIds.contains(m_created));

        const auto d = openConversation(*m_provider, m_created, this);
        QVERIFY(d);
        QVERIFY2(d->ok(), qPrintable(d->error().message()));
        QCOMPARE(d->value().summary.id, m_created);
        if (m_caps.createHasTitle)
            QCOMPARE(d->value().summary.title, request.title);
        if (!request.text.isEmpty() && m_caps.can(Capabilities::Transcript))
            QVERIFY(!d->value().turns.isEmpty());

        ListQuery q;
        q.pageSize = m_caps.maxPageSize;
        const Walk w = walk(q);
        QVERIFY2(w.ok(), qPrintable(w.error.message()));
        QCOMPARE(w.ids().count(m_created), 1);
        QCOMPARE(w.rows.size(), m_all.rows.size() + 1);
    }

    void send()
    {
        const QString id = quietConversation();
        if (!m_caps.can(Capabilities::Send)) {
            const int before = m_fx.requests();
            StreamWatch watch(m_provider->sendMessage(id, u"Hello"_s, this));
            QVERIFY(watch.waitFinished());
            QCOMPARE(watch.error().kind, ApiError::Kind::Config);
            QCOMPARE(m_fx.requests(), before);
            return;
        }
        if (m_caps.maxMessageLength > 0) {
            const int before = m_fx.requests();
            StreamWatch tooLong(
                m_provider->sendMessage(id, QString(m_caps.maxMessageLength + 1, u'x'), this));
            QVERIFY(tooLong.waitFinished());
            QCOMPARE(tooLong.error().kind, ApiError::Kind::Invalid);
            QCOMPARE(m_fx.requests(), before);
        }
        const int turnsBefore = m_caps.can(Capabilities::Transcript) ? turnsOf(id) : 0;
        StreamWatch watch(m_provider->sendMessage(id, u"Conformance: are you there?"_s, this));
        QVERIFY(watch.waitFinished(30000));
        QVERIFY2(!watch.error().isError(), qPrintable(label(watch.error().message())));
        QVERIFY2(watch.hasAssistantTurn(), "the reply streamed no assistant turn");
        if (m_caps.can(Capabilities::Transcript))
            QVERIFY(turnsOf(id) > turnsBefore);
    }

    void append()
    {
        const QString id = quietConversation();
        auto call = [&](const QString &text) {
            return await<QString>([&](Provider::Done<QString> done) {
                m_provider->appendMessage(id, text, this, std::move(done));
            });
        };
        if (!m_caps.can(Capabilities::Append)) {
            const int before = m_fx.requests();
            const auto r = call(u"Hello"_s);
            QVERIFY(r && !r->ok());
            QCOMPARE(r->error().kind, ApiError::Kind::Config);
            QCOMPARE(m_fx.requests(), before);
            return;
        }
        if (m_caps.maxMessageLength > 0) {
            const int before = m_fx.requests();
            const auto r = call(QString(m_caps.maxMessageLength + 1, u'x'));
            QVERIFY(r && !r->ok());
            QCOMPARE(r->error().kind, ApiError::Kind::Invalid);
            QCOMPARE(m_fx.requests(), before);
        }
        const int turnsBefore = m_caps.can(Capabilities::Transcript) ? turnsOf(id) : 0;
        const auto r = call(u"Conformance: noted."_s);
        QVERIFY(r);
        QVERIFY2(r->ok(), qPrintable(label(r->error().message())));
        QVERIFY(!r->value().isEmpty());
        if (m_caps.can(Capabilities::Transcript)) {
            const auto d = openConversation(*m_provider, id, this);
            QVERIFY(d && d->ok());
            QCOMPARE(d->value().turns.size(), turnsBefore + 1);
            QCOMPARE(d->value().turns.constLast().id, r->value());
        }
    }

    void followUps()
    {
        auto change = [&](const QString &id, const FollowUpChange &c) {
            return await<FollowUpQueue>([&](Provider::Done<FollowUpQueue> done) {
                m_provider->changeFollowUps(id, c, this, std::move(done));
            });
        };
        if (!m_caps.can(Capabilities::FollowUps)) {
            const int before = m_fx.requests();
            const auto r = await<FollowUpQueue>([&](Provider::Done<FollowUpQueue> done) {
                m_provider->fetchFollowUps(quietConversation(), this, std::move(done));
            });
            QVERIFY(r && !r->ok());
            QCOMPARE(r->error().kind, ApiError::Kind::Config);
            QCOMPARE(m_fx.requests(), before);
            return;
        }
        QString id;
        const auto reply = startReply(&id);
        QVERIFY2(reply, "follow-ups without a way to start a reply");
        QVERIFY(reply->waitReplyStarted());
        QVERIFY(!reply->finished());

        auto added = change(id, {FollowUpChange::Op::Add, {}, u"Conformance A"_s});
        QVERIFY(added);
        QVERIFY2(added->ok(), qPrintable(added->error().message()));
        QCOMPARE(added->value().items.size(), 1);
        QCOMPARE(added->value().items.constFirst().content, u"Conformance A"_s);
        const QString itemId = added->value().items.constFirst().id;

        const auto edited = change(id, {FollowUpChange::Op::Edit, itemId, u"Conformance B"_s});
        QVERIFY(edited && edited->ok());
        QCOMPARE(edited->value().items.constFirst().content, u"Conformance B"_s);

        const int max = added->value().maxItems;
        if (max > 0) {
            for (int i = 1; i < max; ++i)
                QVERIFY(change(id, {FollowUpChange::Op::Add, {}, u"More"_s}).value().ok());
            const auto full = change(id, {FollowUpChange::Op::Add, {}, u"Too many"_s});
            QVERIFY(full && !full->ok());
            QCOMPARE(full->error().kind, ApiError::Kind::Conflict);
        }
        const auto deleted = change(id, {FollowUpChange::Op::Delete, itemId, {}});
        QVERIFY(deleted && deleted->ok());
        QVERIFY(std::none_of(deleted->value().items.cbegin(), deleted->value().items.cend(),
                             [&](const FollowUpItem &item) { return item.id == itemId; }));
        const auto cleared = change(id, {FollowUpChange::Op::Clear, {}, {}});
        QVERIFY(cleared && cleared->ok());
        QVERIFY(cleared->value().items.isEmpty());
        QVERIFY(reply->waitFinished(30000));
    }

    void cancel()
    {
        if (!m_caps.can(Capabilities::Cancel)) {
            const int before = m_fx.requests();
            const auto r = awaitAnswer<ApiError>([&](std::function<void(ApiError)> done) {
                m_provider->cancelRun(quietConversation(), QString(), this, std::move(done));
            });
            QVERIFY(r);
            QCOMPARE(r->kind, ApiError::Kind::Config);
            QCOMPARE(m_fx.requests(), before);
            return;
        }
        QString id;
        const auto reply = startReply(&id);
        QVERIFY2(reply, "cancel without a way to start a reply");
        QVERIFY(reply->waitReplyStarted());
        QVERIFY(!reply->finished());
        QVERIFY(!id.isEmpty());
        // A platform that stops a reply by its run has named the run by its first reply turn.
        const auto r = awaitAnswer<ApiError>([&](std::function<void(ApiError)> done) {
            m_provider->cancelRun(id, reply->stream()->runId(), this, std::move(done));
        });
        QVERIFY(r);
        QVERIFY2(!r->isError(), qPrintable(label(r->message())));
        QVERIFY(reply->waitFinished(15000));
    }

    void connectors()
    {
        const QString user = u"conformance-user"_s;
        if (!m_caps.can(Capabilities::Connectors)) {
            const int before = m_fx.requests();
            const auto r = await<RequirementStatus>([&](Provider::Done<RequirementStatus> done) {
                m_provider->fetchRequirements(user, this, std::move(done));
            });
            QVERIFY(r && !r->ok());
            QCOMPARE(r->error().kind, ApiError::Kind::Config);
            QCOMPARE(m_fx.requests(), before);
            return;
        }
        const auto status = await<RequirementStatus>([&](Provider::Done<RequirementStatus> done) {
            m_provider->fetchRequirements(user, this, std::move(done));
        });
        QVERIFY(status);
        QVERIFY2(status->ok(), qPrintable(status->error().message()));
        QCOMPARE(status->value().userId, user);
        const auto token = await<ConnectToken>([&](Provider::Done<ConnectToken> done) {
            m_provider->createConnectToken(user, this, std::move(done));
        });
        QVERIFY(token);
        QVERIFY2(token->ok(), qPrintable(token->error().message()));
        QVERIFY(!token->value().token.isEmpty());
        QVERIFY(token->value().token != m_fx.key());
        int linkable = 0;
        for (const Requirement &req : status->value().unsatisfied) {
            if (!req.canLink())
                continue;
            ++linkable;
            const auto url = await<QUrl>([&](Provider::Done<QUrl> done) {
                m_provider->authorizeRequirement(req.id, token->value(), this, std::move(done));
            });
            QVERIFY(url);
            QVERIFY2(url->ok(), qPrintable(url->error().message()));
            QVERIFY(url->value().scheme() == u"https"_s || HttpClient::isLoopback(url->value()));
        }
        qInfo("%d linkable requirement(s) authorized", linkable);
    }
};

// QTEST_GUILESS_MAIN, with the platform taken from `--platform ID` (removed before Qt Test
// reads the arguments) or PARLEY_CONFORMANCE_PLATFORM.
int main(int argc, char **argv)
{
    QString platform = qEnvironmentVariable("PARLEY_CONFORMANCE_PLATFORM");
    std::vector<char *> args;
    for (int i = 0; i < argc; ++i) {
        if (qstrcmp(argv[i], "--platform") == 0 && i + 1 < argc) {
            platform = QString::fromLocal8Bit(argv[++i]);
            continue;
        }
        args.push_back(argv[i]);
    }
    int count = int(args.size());
    args.push_back(nullptr);
    QCoreApplication app(count, args.data());
    app.setAttribute(Qt::AA_Use96Dpi, true);
    QTEST_SET_MAIN_SOURCE_PATH
    TestConformance test(platform);
    return QTest::qExec(&test, count, args.data());
}

#include "tst_conformance.moc"
