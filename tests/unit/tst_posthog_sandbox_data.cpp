// The PostHog emulation's generated data: ids that find their conversation without any
// storage, determinism, list order, and bodies the real mapping accepts.
#include "providers/posthog/PosthogMapping.h"
#include "sandbox/posthog/PosthogSandboxData.h"
#include "support/SandboxDataChecks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace parley;
using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

class TestPosthogSandboxData : public QObject
{
    Q_OBJECT

private slots:
    void idsFindTheirConversation() { verifyIdsFindTheirConversation<PosthogSandboxData>(7, 997); }

    void idsLookLikeUuids()
    {
        static const QRegularExpression uuid(
            u"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);
        const PosthogSandboxData data(42, 50);
        for (int i = 0; i < data.count(); ++i)
            QVERIFY2(uuid.match(data.idAt(i)).hasMatch(), qPrintable(data.idAt(i)));
        // Neighbours do not share the encoded part in an obvious way.
        QVERIFY(data.idAt(0).right(12) != data.idAt(1).right(12));
    }

    void unknownIdsAreRejected()
    {
        verifyUnknownIdsAreRejected<PosthogSandboxData>(
            {u"not-a-uuid"_s, u"0b7d2c1e-5f7a-4c2b-9e0d-3a1f6b8c9d01"_s,
             u"0b7d2c1e-5f7a-4c2b-9e0d-zzzzzzzzzzzz"_s});
        const PosthogSandboxData data(42, 10);
        // A right tail with the wrong head.
        QString forged = data.idAt(3);
        forged[0] = forged.at(0) == u'a' ? u'b' : u'a';
        QCOMPARE(data.indexOf(forged), -1);
        QCOMPARE(data.indexOf(data.idAt(3).toUpper()), 3);
    }

    void deterministic()
    {
        const PosthogSandboxData a(42, 200);
        const PosthogSandboxData b(42, 200);
        const PosthogSandboxData c(43, 200);
        QCOMPARE(a.summary(17), b.summary(17));
        QCOMPARE(a.detail(17), b.detail(17));
        QVERIFY(a.summary(17) != c.summary(17));
        QCOMPARE(a.owner(), b.owner());
    }

    void listOrderIsNewestFirst()
    {
        const PosthogSandboxData data(42, 500);
        QDateTime previous;
        for (int p = 0; p < data.count(); ++p) {
            const QJsonObject o = data.summary(data.indexAtPosition(p));
            const QDateTime updated = JsonFields::parseIsoTime(o.value(u"updated_at"_s).toString());
            QVERIFY(updated.isValid());
            if (previous.isValid())
                QVERIFY2(updated < previous, qPrintable(QString::number(p)));
            previous = updated;
            QVERIFY(!o.value(u"title"_s).toString().isEmpty()); // the list shows titled ones only
            const QString type = o.value(u"type"_s).toString();
            QVERIFY2(type == "assistant"_L1 || type == "deep_research"_L1 || type == "slack"_L1,
                     qPrintable(type));
            const QString status = o.value(u"status"_s).toString();
            QVERIFY(status == "idle"_L1 || status == "in_progress"_L1);
            QCOMPARE(o.value(u"user"_s).toObject(), data.owner());
        }
    }

    void bodiesMapCleanlyWithARealisticMix()
    {
        const PosthogSandboxData data(42, 400);
        QSet<QString> types;
        int failed = 0;
        int unknown = 0;
        int running = 0;
        int idle = 0;
        for (int i = 0; i < data.count(); ++i) {
            const QByteArray body = QJsonDocument(data.detail(i)).toJson(QJsonDocument::Compact);
            const auto r = posthog::parseConversation(body);
            QVERIFY2(r.ok(), qPrintable(r.error().message()));
            const ConversationDetail &d = r.value();
            QVERIFY(!d.turns.isEmpty());
            QCOMPARE(d.turns.first().role, Turn::Role::User);
            QCOMPARE(d.summary.id, data.idAt(i));
            for (const Turn &t : d.turns) {
                types.insert(t.typeLabel);
                failed += t.state == Turn::State::Error;
                unknown += t.role == Turn::Role::Unknown;
                for (const Fragment &f : t.fragments) {
                    if (f.kind == Fragment::Kind::ToolResult) // every result finds its call
                        QVERIFY(!f.name.isEmpty() && !t.inReplyTo.isEmpty());
                }
            }
            if (d.summary.status == "in_progress"_L1) {
                ++running;
                QCOMPARE(d.turns.last().role, Turn::Role::User); // reply still being written
            } else {
                ++idle;
                QCOMPARE(d.turns.last().role, Turn::Role::Assistant);
            }
        }
        for (const char *type :
             {"human", "ai", "tool", "ai/viz", "ai/failure", "ai/planning", "ai/multi_viz",
              "ai/artifact", "ai/notebook", "ai/task_execution", "ai/reasoning"})
            QVERIFY2(types.contains(QString::fromLatin1(type)), type);
        QVERIFY(failed > 0 && failed < data.count() / 3);
        QVERIFY(unknown > 0 && unknown < data.count() / 5);
        QVERIFY(running > 0 && running < idle);
    }

    // The newest conversation of any data set shows every structured message type: a chart
    // with its question and plan, several with commentary, an artifact, a notebook with
    // headings, paragraphs, a list and code, plan steps and tasks in mixed states.
    void newestHoldsEveryContentType()
    {
        for (const int count : {1, 40, 5000}) {
            const PosthogSandboxData data(7, count);
            const int newest = data.indexAtPosition(0);
            QMap<QString, QJsonObject> byType;
            for (const QJsonValue &m : data.detail(newest).value(u"messages"_s).toArray())
                byType.insert(m.toObject().value(u"type"_s).toString(), m.toObject());
            const QJsonObject viz = byType.value(u"ai/viz"_s);
            QVERIFY(!viz.value(u"query"_s).toString().isEmpty());
            QVERIFY(!viz.value(u"plan"_s).toString().isEmpty());
            QCOMPARE(byType.value(u"ai/multi_viz"_s).value(u"visualizations"_s).toArray().size(),
                     2);
            QCOMPARE(byType.value(u"ai/artifact"_s)
                         .value(u"content"_s)
                         .toObject()
                         .value(u"content_type"_s),
                     u"visualization"_s);

            QSet<QString> nodes;
            const std::function<void(const QJsonObject &)> walk = [&](const QJsonObject &node) {
                nodes.insert(node.value(u"type"_s).toString());
                for (const QJsonValue &child : node.value(u"content"_s).toArray())
                    walk(child.toObject());
            };
            walk(byType.value(u"ai/notebook"_s).value(u"content"_s).toObject());
            for (const char *node : {"doc", "heading", "paragraph", "bulletList", "codeBlock"})
                QVERIFY2(nodes.contains(QString::fromLatin1(node)), node);

            for (const auto &[type, key] :
                 {std::pair{"ai/planning", "steps"}, std::pair{"ai/task_execution", "tasks"}}) {
                QSet<QString> statuses;
                for (const QJsonValue &item : byType.value(QString::fromLatin1(type))
                                                  .value(QString::fromLatin1(key))
                                                  .toArray())
                    statuses.insert(item.toObject().value(u"status"_s).toString());
                QVERIFY2(statuses.size() >= 3, type); // mixed
            }
        }
    }

    void hundredThousandCostsNothingUpFront()
    {
        // Construction generates nothing per conversation; any one is available at once.
        const PosthogSandboxData data(42, 100000);
        const QJsonObject last = data.detail(data.indexAtPosition(0));
        QCOMPARE(last.value(u"id"_s).toString(), data.idAt(99999));
        QVERIFY(last.value(u"messages"_s).isArray());
    }
};

QTEST_GUILESS_MAIN(TestPosthogSandboxData)
#include "tst_posthog_sandbox_data.moc"
