#include "ServerFilterBar.h"
#include "rules/InputRules.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace parley;
using namespace Qt::StringLiterals;

// A filter value is checked where it is typed: the reason sits beside the field, and an
// invalid value never reaches the platform (Apply and Enter do nothing).
class TstFilterValidation : public QObject
{
    Q_OBJECT

private:
    static Capabilities capabilities()
    {
        FilterSpec id;
        id.key = u"app_id"_s;
        id.label = u"App ID"_s;
        id.pattern = u"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"_s;
        id.patternHint = u"An app ID is a UUID."_s;
        FilterSpec free;
        free.key = u"q"_s;
        free.label = u"Text"_s;
        Capabilities c;
        c.filters = {id, free};
        return c;
    }

private slots:
    void invalidValueIsExplainedBesideTheField()
    {
        ServerFilterBar bar;
        bar.setCapabilities(capabilities());
        bar.show();
        auto *edit = bar.findChild<QLineEdit *>(u"filter_app_id"_s);
        auto *problem = bar.findChild<QLabel *>(u"filterProblem_app_id"_s);
        auto *apply = bar.findChild<QPushButton *>(u"filterApply"_s);
        QVERIFY(edit && problem && apply);
        QVERIFY(problem->isHidden());
        QVERIFY(apply->isEnabled());

        QSignalSpy applied(&bar, &ServerFilterBar::applied);
        edit->setText(u"not-a-uuid"_s);
        QVERIFY(!problem->isHidden());
        QCOMPARE(problem->text(), u"An app ID is a UUID."_s);
        QVERIFY(!apply->isEnabled());
        QVERIFY(!bar.isValid());
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(applied.count(), 0);

        edit->setText(u"affd1d10-9538-4fc8-9e0b-4594a28c1335"_s);
        QVERIFY(problem->isHidden());
        QVERIFY(apply->isEnabled());
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(applied.count(), 1);
        QCOMPARE(applied.at(0).at(0).value<ListQuery>().filters.value(u"app_id"_s),
                 u"affd1d10-9538-4fc8-9e0b-4594a28c1335"_s);
    }

    void emptyAndPatternlessValuesAreAccepted()
    {
        const Capabilities c = capabilities();
        QCOMPARE(InputRules::checkFilter(c.filters.at(0), QString()), QString());
        QCOMPARE(InputRules::checkFilter(c.filters.at(1), u"anything at all"_s), QString());
        // The pattern is anchored: a valid id inside other text is not enough.
        QVERIFY(
            !InputRules::checkFilter(c.filters.at(0), u"x affd1d10-9538-4fc8-9e0b-4594a28c1335"_s)
                 .isEmpty());
    }

    void savedInvalidQueryShowsItsProblem()
    {
        ServerFilterBar bar;
        bar.setCapabilities(capabilities());
        ListQuery q;
        q.filters.insert(u"app_id"_s, u"42"_s);
        bar.setQuery(q);
        QVERIFY(!bar.isValid());
        QVERIFY(!bar.findChild<QLabel *>(u"filterProblem_app_id"_s)->text().isEmpty());
    }
};

QTEST_MAIN(TstFilterValidation)
#include "tst_filtervalidation.moc"
