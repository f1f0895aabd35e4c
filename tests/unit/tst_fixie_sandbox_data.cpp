// The Fixie emulation's generated data: ids that find their conversation without any
// storage, determinism, the documented turn shapes in all four states, and bodies the real
// mapping accepts.
#include "providers/fixie/FixieMapping.h"
#include "sandbox/fixie/FixieSandboxData.h"
#include "support/SandboxDataChecks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace parley;
using namespace parley::sandbox;
using namespace parley::test;
using namespace Qt::StringLiterals;

class TestFixieSandboxData : public QObject
{
    Q_OBJECT

private slots:
    void idsFindTheirConversation() { verifyIdsFindTheirConversation<FixieSandboxData>(3, 997); }

    void unknownIdsAreRejected()
    {
        static const QRegularExpression v4(
            u"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);
        QVERIFY(v4.match(FixieSandboxData(42, 10).idAt(0)).hasMatch());
        verifyUnknownIdsAreRejected<FixieSandboxData>(
            {u"conv-1"_s, u"c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8"_s});
    }

    void deterministic()
    {
        const FixieSandboxData a(9, 50);
        const FixieSandboxData b(9, 50);
        QCOMPARE(a.conversation(12), b.conversation(12));
        QVERIFY(a.conversation(12) != FixieSandboxData(10, 50).conversation(12));
    }

    // Every documented shape appears, and each follows the documented rules.
    void turnsAreDocumentedShapes()
    {
        const FixieSandboxData data(42, 233);
        QSet<QString> states;
        QSet<QString> kinds;
        bool stoppedWithOpenFragment = false;
        bool failedResponse = false;
        for (int i = 0; i < data.count(); ++i) {
            const QJsonObject c = data.conversation(i);
            QCOMPARE(c.value(u"id"_s).toString(), data.idAt(i));
            const QJsonArray turns = c.value(u"turns"_s).toArray();
            QVERIFY(!turns.isEmpty());
            QString lastUserId;
            QDateTime previous;
            for (const QJsonValue &tv : turns) {
                const QJsonObject t = tv.toObject();
                const QString role = t.value(u"role"_s).toString();
                const QString state = t.value(u"state"_s).toString();
                const QDateTime at =
                    QDateTime::fromString(t.value(u"timestamp"_s).toString(), Qt::ISODateWithMs);
                QVERIFY(at.isValid());
                QVERIFY(!previous.isValid() || at > previous);
                previous = at;
                QVERIFY(!t.value(u"id"_s).toString().isEmpty());
                if (role == "user"_L1) {
                    QCOMPARE(state, u"done"_s); // "User-sent messages are always done."
                    QVERIFY(!t.contains(u"inReplyToId"_s));
                    lastUserId = t.value(u"id"_s).toString();
                } else {
                    QCOMPARE(role, u"assistant"_s);
                    QCOMPARE(t.value(u"inReplyToId"_s).toString(), lastUserId);
                    states.insert(state);
                    QCOMPARE(t.contains(u"errorDetail"_s), state == "error"_L1);
                }
                for (const QJsonValue &mv : t.value(u"messages"_s).toArray()) {
                    const QJsonObject m = mv.toObject();
                    kinds.insert(m.value(u"kind"_s).toString());
                    if (state == "stopped"_L1 && m.value(u"state"_s) == u"in-progress"_s)
                        stoppedWithOpenFragment = true;
                    if (m.value(u"failed"_s).toBool())
                        failedResponse = true;
                }
            }
            const QString last = turns.last().toObject().value(u"state"_s).toString();
            const FixieSandboxData::Ending ending = data.ending(i);
            QCOMPARE(last, ending == FixieSandboxData::Ending::Done         ? u"done"_s
                           : ending == FixieSandboxData::Ending::InProgress ? u"in-progress"_s
                           : ending == FixieSandboxData::Ending::Stopped    ? u"stopped"_s
                                                                            : u"error"_s);
        }
        QCOMPARE(states, (QSet<QString>{u"done"_s, u"in-progress"_s, u"stopped"_s, u"error"_s}));
        QCOMPARE(kinds, (QSet<QString>{u"text"_s, u"functionCall"_s, u"functionResponse"_s}));
        QVERIFY(stoppedWithOpenFragment);
        QVERIFY(failedResponse);
        // The newest conversations are still generating.
        QCOMPARE(data.ending(data.count() - 1), FixieSandboxData::Ending::InProgress);
    }

    void bodiesParse()
    {
        const FixieSandboxData data(42, 40);
        QJsonArray conversations;
        for (int p = 0; p < data.count(); ++p)
            conversations.append(data.conversation(data.indexAtPosition(p)));
        const QJsonObject list{{u"conversations"_s, conversations},
                               {u"pageInfo"_s, QJsonObject{{u"requestedPageSize"_s, 40},
                                                           {u"requestedOffset"_s, 0},
                                                           {u"totalResultCount"_s, 40}}}};
        const auto page = fixie::parseListPage(QJsonDocument(list).toJson(), 0, 40);
        QVERIFY2(page.ok(), qPrintable(page.error().message()));
        QCOMPARE(page.value().items.size(), 40);
        QVERIFY(page.value().next.atEnd);
        for (int p = 0; p < 40; ++p) {
            const Conversation &c = page.value().items.at(p);
            QCOMPARE(c.id, data.idAt(data.indexAtPosition(p)));
            QVERIFY(!c.title.isEmpty());
            QVERIFY(c.createdAt.isValid());
            if (p > 0) // newest first
                QVERIFY(c.createdAt < page.value().items.at(p - 1).createdAt);
        }
        for (int i = 0; i < data.count(); ++i) {
            const auto d = fixie::parseConversation(QJsonDocument(data.conversation(i)).toJson());
            QVERIFY2(d.ok(), qPrintable(d.error().message()));
            for (const Turn &t : d.value().turns) {
                QVERIFY(t.role != Turn::Role::Unknown);
                QVERIFY(t.typeLabel.isEmpty());
                for (const Fragment &f : t.fragments)
                    QVERIFY(f.kind != Fragment::Kind::Other);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestFixieSandboxData)
#include "tst_fixie_sandbox_data.moc"
