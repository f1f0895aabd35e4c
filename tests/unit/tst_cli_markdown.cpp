// What `parley-cli show` prints of structured content: the markdown of every PostHog message
// type (the fixture written from PostHog's schema, read by the real mapping), the line that
// stands in for an unreadable message, and `--format json`'s raw message and reason.
#include "cli/ConversationJson.h"
#include "cli/MarkdownTranscript.h"
#include "core/MarkdownText.h"
#include "providers/posthog/PosthogMapping.h"
#include "support/MappingTestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

namespace {

const mappingtest::FixtureFolder fixture{"posthog"};

// The section of `markdown` under the heading that holds `type`, up to the next heading.
QString section(const QString &markdown, const QString &type)
{
    const qsizetype at = markdown.indexOf(u" ("_s + type + u')');
    if (at < 0)
        return {};
    const qsizetype start = markdown.indexOf(u'\n', at) + 1;
    const qsizetype end = markdown.indexOf(u"\n### "_s, start);
    return markdown.mid(start, end < 0 ? -1 : end - start).trimmed();
}

} // namespace

class TestCliMarkdown : public QObject
{
    Q_OBJECT

private:
    ConversationDetail m_detail;
    QString m_markdown;

private slots:
    void initTestCase()
    {
        const auto r = posthog::parseConversation(fixture("conversation_content.json"));
        QVERIFY2(r.ok(), qPrintable(r.error().message()));
        m_detail = r.value();
        m_markdown = cli::markdownTranscript(m_detail, u"posthog"_s);
    }

    // Whole sections, under the heading of each message type.
    void sections_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("markdown");
        QTest::newRow("plan steps with their status")
            << u"ai/planning"_s
            << u"- [x] Find the signup events *(completed)*\n"
               u"- [ ] Build the funnel *(in progress)*\n"
               u"- [ ] Write the notebook *(pending)*"_s;
        QTest::newRow("tasks with prompt and outcome")
            << u"ai/task_execution"_s
            << u"- [x] Weekly signups *(completed)*\n"
               u"  - **Prompt:** Chart weekly 'user signed up' over 90 days\n"
               u"  - **Progress:** Created the trend.\n"
               u"- [ ] Signups by referrer *(failed)*\n"
               u"  - **Prompt:** Break signups down by $referring_domain\n"
               u"  - **Progress:** The property has no values in this period.\n"
               u"- [ ] Summarise the findings *(pending)*"_s;
        QTest::newRow("reasoning with substeps")
            << u"ai/reasoning"_s
            << u"**Reasoning:** Picking the events that mark a signup\n\n"
               u"- Found 'user signed up'\n"
               u"- It is sent once per account"_s;
        QTest::newRow("chart question, plan and query")
            << u"ai/viz"_s
            << u"**Question:** Weekly signups over the last 90 days\n\n"
               u"**Plan:**\n\nSeries: 'user signed up', total count\nInterval: week\n\n"
               u"**Query kind:** TrendsQuery"_s;
        QTest::newRow("notebook text")
            << u"ai/notebook"_s
            << u"**Notebook ID:** nb-signups\n\n"
               u"**Notebook:**\n\n#### Signups, last quarter\n\n"
               u"Signups grew 18% over the quarter.\n\n"
               u"- Weekly signups rose.\n- Conversion is flat\n  - at 6.2%\n\n"
               u"```sql\nSELECT count()\nFROM events\n```\n\n"
               u"[ph-query: Weekly signups]\n\nKept from an unknown node.\n\n"
               u"1. Re-run the funnel."_s;
        QTest::newRow("context")
            << u"context"_s
            << u"**Context:**\n\nThe user is looking at the dashboard \"Growth\".\n"
               u"Filters: last 90 days"_s;
        QTest::newRow("failure") << u"ai/failure, failed"_s
                                 << u"> **Error:** Oops! Something went wrong."_s;
    }

    void sections()
    {
        QFETCH(QString, type);
        QFETCH(QString, markdown);
        QCOMPARE(section(m_markdown, type), markdown);
    }

    void chartQuestionPlanAndQuery()
    {
        QCOMPARE(section(m_markdown, u"ai/viz"_s),
                 u"**Question:** Weekly signups over the last 90 days\n\n"
                 u"**Plan:**\n\nSeries: 'user signed up', total count\nInterval: week\n\n"
                 u"**Query kind:** TrendsQuery"_s);
        const QString multi = section(m_markdown, u"ai/multi_viz"_s);
        QVERIFY(multi.startsWith(u"**Commentary:** The funnel shows where people leave.\n\n"
                                 u"**Question:** Signup to purchase conversion\n\n"_s));
        QVERIFY2(multi.endsWith(u"**SQL:**\n```sql\nSELECT country, count() FROM events GROUP BY "
                                u"country\n```"_s),
                 qPrintable(multi));
    }

    void artifactTitleKindAndSource()
    {
        QVERIFY(m_markdown.contains(u"**Title:** Weekly signups\n\n**Content kind:** "
                                    u"visualization\n\n**Source:** artifact\n\n"_s));
    }

    void notebookHeadingsGoUnderTheTurn_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("demoted");
        QTest::newRow("levels") << u"# A\n## B\n###### F"_s << u"### A\n#### B\n###### F"_s;
        QTest::newRow("not headings")
            << u"#tag\n #x\n####### seven"_s << u"#tag\n #x\n####### seven"_s;
        QTest::newRow("code is left alone")
            << u"```sh\n# comment\n```\n# After\n~~~~\n# in\n~~~\n# still in\n~~~~"_s
            << u"```sh\n# comment\n```\n### After\n~~~~\n# in\n~~~\n# still in\n~~~~"_s;
    }

    void notebookHeadingsGoUnderTheTurn()
    {
        QFETCH(QString, text);
        QFETCH(QString, demoted);
        QCOMPARE(markdownDemoteHeadings(text, 2), demoted);
    }

    void unreadableMessageIsOneLineInItsPlace()
    {
        ConversationDetail d = m_detail;
        Turn odd;
        odd.id = u"m-odd"_s;
        odd.typeLabel = u"ai/viz"_s;
        odd.unreadable = u"field 'query' is a number, expected text"_s;
        odd.raw = R"({"type":"ai/viz","id":"m-odd","query":7})";
        d.turns.insert(2, odd);
        const QString markdown = cli::markdownTranscript(d, u"posthog"_s);
        const QString line =
            u"unreadable ai/viz m-odd: field 'query' is a number, expected text\n"_s;
        QCOMPARE(markdown.count(line), 1);
        // In its place: after the second turn's section, before the third's heading.
        const qsizetype at = markdown.indexOf(line);
        QVERIFY(at > markdown.indexOf(u"How did signups develop last quarter?"_s));
        QVERIFY(at < markdown.indexOf(u"(ai/planning)"_s));
        QCOMPARE(markdown.count(u"\n### "_s), m_detail.turns.size()); // no heading of its own

        const QJsonObject json = cli::ConversationJson::turn(odd);
        QCOMPARE(json.value(u"unreadable"_s).toString(), odd.unreadable);
        QCOMPARE(json.value(u"raw"_s).toObject(),
                 (QJsonObject{{u"type"_s, u"ai/viz"_s}, {u"id"_s, u"m-odd"_s}, {u"query"_s, 7}}));
    }

    void jsonCarriesRawAndStatus()
    {
        const QJsonObject detail = cli::ConversationJson::detail(m_detail, u"posthog"_s);
        const QJsonArray turns = detail.value(u"turns"_s).toArray();
        const QJsonArray messages = QJsonDocument::fromJson(fixture("conversation_content.json"))
                                        .object()
                                        .value(u"messages"_s)
                                        .toArray();
        QCOMPARE(turns.size(), messages.size());
        for (qsizetype i = 0; i < turns.size(); ++i) {
            QCOMPARE(turns.at(i).toObject().value(u"raw"_s).toObject(), messages.at(i).toObject());
            QVERIFY(!turns.at(i).toObject().contains(u"unreadable"_s));
        }
        const QJsonObject step =
            turns.at(2).toObject().value(u"fragments"_s).toArray().at(1).toObject();
        QCOMPARE(step.value(u"name"_s).toString(), u"step"_s);
        QCOMPARE(step.value(u"status"_s).toString(), u"in_progress"_s);
        QCOMPARE(step.value(u"in_progress"_s).toBool(), true);
        // A turn with nothing received whole has no `raw`.
        QVERIFY(!cli::ConversationJson::turn(Turn{}).contains(u"raw"_s));
    }
};

QTEST_GUILESS_MAIN(TestCliMarkdown)
#include "tst_cli_markdown.moc"
