#include "sandbox/posthog/PosthogShowcase.h"

#include "sandbox/SandboxText.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace parley::sandbox::PosthogShowcase {

namespace {

QJsonObject message(const QString &type, QRandomGenerator &rng)
{
    return QJsonObject{{u"type"_s, type}, {u"id"_s, SandboxText::uuid(rng)}};
}

QJsonObject trendsQuery()
{
    return QJsonObject{
        {u"kind"_s, u"TrendsQuery"_s},
        {u"series"_s, QJsonArray{QJsonObject{{u"kind"_s, u"EventsNode"_s},
                                             {u"event"_s, u"user signed up"_s},
                                             {u"math"_s, u"total"_s}}}},
        {u"interval"_s, u"week"_s},
        {u"dateRange"_s, QJsonObject{{u"date_from"_s, u"-90d"_s}}},
    };
}

QJsonObject step(const QString &description, const QString &status)
{
    return QJsonObject{{u"description"_s, description}, {u"status"_s, status}};
}

QJsonObject task(const QString &id, const QString &description, const QString &prompt,
                 const QString &status, const QString &progress)
{
    QJsonObject o{{u"id"_s, id},
                  {u"description"_s, description},
                  {u"prompt"_s, prompt},
                  {u"status"_s, status},
                  {u"task_type"_s, u"create_insight"_s}};
    if (!progress.isEmpty())
        o.insert(u"progress_text"_s, progress);
    return o;
}

// ProseMirror nodes, as PostHog's notebook editor (TipTap) writes them.
QJsonObject text(const QString &t, const QString &mark = {})
{
    QJsonObject o{{u"type"_s, u"text"_s}, {u"text"_s, t}};
    if (!mark.isEmpty())
        o.insert(u"marks"_s, QJsonArray{QJsonObject{{u"type"_s, mark}}});
    return o;
}

QJsonObject node(const QString &type, const QJsonArray &content, const QJsonObject &attrs = {})
{
    QJsonObject o{{u"type"_s, type}, {u"content"_s, content}};
    if (!attrs.isEmpty())
        o.insert(u"attrs"_s, attrs);
    return o;
}

QJsonObject heading(int level, const QString &t)
{
    return node(u"heading"_s, {text(t)}, {{u"level"_s, level}});
}

QJsonObject paragraph(const QJsonArray &content)
{
    return node(u"paragraph"_s, content);
}

QJsonObject item(const QJsonArray &content)
{
    return node(u"listItem"_s, {paragraph(content)});
}

QJsonObject notebookDocument()
{
    return node(
        u"doc"_s,
        {
            heading(1, u"Signups, last quarter"_s),
            paragraph({text(u"Signups grew "_s), text(u"18%"_s, u"bold"_s),
                       text(u" over the quarter; most people who leave do so before their "
                            "first project."_s)}),
            heading(2, u"Findings"_s),
            node(u"bulletList"_s,
                 {item({text(u"Weekly signups rose from 410 to 484."_s)}),
                  item({text(u"Conversion from signup to purchase is "_s),
                        text(u"6.2%"_s, u"italic"_s), text(u", flat."_s)}),
                  item({text(u"Germany overtook the United Kingdom as the second country."_s)})}),
            node(u"ph-query"_s, {}, {{u"title"_s, u"Weekly signups, last 90 days"_s}}),
            heading(2, u"The query behind the country split"_s),
            node(u"codeBlock"_s,
                 {text(u"SELECT properties.$geoip_country_name AS country, count() AS signups\n"
                       "FROM events\nWHERE event = 'user signed up'\nGROUP BY country\n"
                       "ORDER BY signups DESC\nLIMIT 5"_s)},
                 {{u"language"_s, u"sql"_s}}),
            heading(2, u"Next steps"_s),
            node(u"orderedList"_s,
                 {item({text(u"Ask new users why they leave before the first project."_s)}),
                  item({text(u"Re-run the funnel after the onboarding change."_s)})},
                 {{u"start"_s, 1}}),
        });
}

} // namespace

QString title()
{
    return u"Signups last quarter: trends, funnel and a write-up"_s;
}

QJsonArray messages(QRandomGenerator &rng, bool running)
{
    QJsonArray out;
    QJsonObject human = message(u"human"_s, rng);
    human.insert(u"content"_s, u"How did signups develop last quarter, and where do people "
                               "drop off? Write it up for the team."_s);
    out.append(human);

    QJsonObject plan = message(u"ai/planning"_s, rng);
    plan.insert(u"steps"_s, QJsonArray{
                                step(u"Find the events that mark a signup"_s, u"completed"_s),
                                step(u"Chart weekly signups"_s, u"completed"_s),
                                step(u"Build the signup-to-purchase funnel"_s, u"in_progress"_s),
                                step(u"Write the findings up in a notebook"_s, u"pending"_s),
                            });
    out.append(plan);

    QJsonObject reasoning = message(u"ai/reasoning"_s, rng);
    reasoning.insert(u"content"_s, u"Picking the events that mark a signup"_s);
    reasoning.insert(u"substeps"_s, QJsonArray{u"Found 'user signed up' and '$identify'"_s,
                                               u"'user signed up' is sent once per account"_s});
    out.append(reasoning);

    QJsonObject tasks = message(u"ai/task_execution"_s, rng);
    tasks.insert(
        u"tasks"_s,
        QJsonArray{
            task(u"task_1"_s, u"Weekly signups, last 90 days"_s,
                 u"Chart the weekly count of 'user signed up' over the last 90 days."_s,
                 u"completed"_s, u"Created the trend."_s),
            task(u"task_2"_s, u"Signup to purchase funnel"_s,
                 u"Build a funnel from 'user signed up' to 'purchase completed', 14-day window."_s,
                 u"completed"_s, u"Created the funnel."_s),
            task(u"task_3"_s, u"Signups by referring domain"_s,
                 u"Break weekly signups down by $referring_domain."_s, u"failed"_s,
                 u"The property '$referring_domain' has no values in this period."_s),
            task(u"task_4"_s, u"Write the notebook"_s,
                 u"Summarise the findings in a notebook for the team."_s, u"pending"_s, {}),
        });
    out.append(tasks);

    QJsonObject viz = message(u"ai/viz"_s, rng);
    viz.insert(u"query"_s, u"Weekly signups over the last 90 days"_s);
    viz.insert(u"plan"_s, u"Series: 'user signed up', total count\nInterval: week\n"
                          "Date range: last 90 days"_s);
    viz.insert(u"answer"_s, trendsQuery());
    viz.insert(u"initiator"_s, human.value(u"id"_s));
    viz.insert(u"short_id"_s, u"Xq7Lm2Pa"_s);
    out.append(viz);

    QJsonObject multi = message(u"ai/multi_viz"_s, rng);
    multi.insert(u"commentary"_s, u"The funnel shows where people leave; the country split "
                                  "shows where signups come from."_s);
    multi.insert(
        u"visualizations"_s,
        QJsonArray{
            QJsonObject{
                {u"query"_s, u"Signup to purchase conversion"_s},
                {u"plan"_s, u"Funnel: user signed up → project created → purchase "
                            "completed\nConversion window: 14 days"_s},
                {u"answer"_s,
                 QJsonObject{{u"kind"_s, u"FunnelsQuery"_s},
                             {u"series"_s,
                              QJsonArray{QJsonObject{{u"kind"_s, u"EventsNode"_s},
                                                     {u"event"_s, u"user signed up"_s}},
                                         QJsonObject{{u"kind"_s, u"EventsNode"_s},
                                                     {u"event"_s, u"project created"_s}},
                                         QJsonObject{{u"kind"_s, u"EventsNode"_s},
                                                     {u"event"_s, u"purchase completed"_s}}}}}}},
            QJsonObject{{u"query"_s, u"Signups by country, top five"_s},
                        {u"answer"_s,
                         QJsonObject{{u"kind"_s, u"HogQLQuery"_s},
                                     {u"query"_s, u"SELECT properties.$geoip_country_name AS "
                                                  "country, count() AS signups FROM events "
                                                  "WHERE event = 'user signed up' GROUP BY "
                                                  "country ORDER BY signups DESC LIMIT 5"_s}}}},
        });
    out.append(multi);

    QJsonObject artifact = message(u"ai/artifact"_s, rng);
    artifact.insert(u"artifact_id"_s, u"Xq7Lm2Pa"_s);
    artifact.insert(u"source"_s, u"artifact"_s);
    artifact.insert(u"content"_s,
                    QJsonObject{{u"content_type"_s, u"visualization"_s},
                                {u"name"_s, u"Weekly signups, last 90 days"_s},
                                {u"description"_s, u"Total 'user signed up' events per week."_s},
                                {u"query"_s, trendsQuery()}});
    out.append(artifact);

    QJsonObject notebook = message(u"ai/notebook"_s, rng);
    notebook.insert(u"notebook_id"_s, u"nb-signups-q2"_s);
    notebook.insert(u"notebook_type"_s, u"deep_research"_s);
    notebook.insert(u"content"_s, notebookDocument());
    out.append(notebook);

    QJsonObject answer = message(u"ai"_s, rng);
    answer.insert(u"content"_s,
                  u"Signups grew **18%** over the quarter, but conversion to purchase stayed "
                  "at 6.2%: most people leave before their first project. The notebook "
                  "*Signups, last quarter* has the details and next steps."_s);
    out.append(answer);

    if (running) {
        QJsonObject next = message(u"human"_s, rng);
        next.insert(u"content"_s, u"Can you break the funnel down by plan?"_s);
        out.append(next);
    }
    return out;
}

} // namespace parley::sandbox::PosthogShowcase
