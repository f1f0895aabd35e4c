#pragma once

#include "models/ConversationListModel.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QAbstractItemModelTester>
#include <QTest>

namespace parley::test {

// A conversation list over a scripted platform of `count` conversations, checked by
// QAbstractItemModelTester (whose own fetchMore() calls are off: tests count the pages).
struct ListModelFixture
{
    explicit ListModelFixture(int count)
        : provider(makeConversations(count))
    {
        tester.setUseFetchMore(false);
    }

    // Loads `pages` pages of `pageSize` rows; false (with a warning) when that fails.
    bool loadPages(int pageSize, int pages)
    {
        ListQuery query;
        query.pageSize = pageSize;
        model.setQuery(query);
        model.setProvider(&provider);
        for (int page = 1; page <= pages; ++page) {
            if (page > 1)
                model.fetchMore({});
            if (!QTest::qWaitFor([this] { return !model.isLoading(); }))
                return false;
        }
        if (model.loadedPages() != pages) {
            qWarning("loaded %d pages, %d rows", model.loadedPages(), model.rowCount());
            return false;
        }
        return true;
    }

    ScriptedProvider provider;
    ConversationListModel model;
    QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::QtTest};
};

} // namespace parley::test
