#pragma once

// The rows of a MainWindow's conversation list, for GUI tests: finding a row by the
// conversation's status and opening one as a click does.

#include "gui/GuiFixture.h"

#include "MainWindow.h"
#include "controllers/TranscriptController.h"
#include "models/ConversationListModel.h"

#include <QTableView>
#include <QTest>

namespace parley::test {

// The row whose conversation is idle (`idle`) or busy (not idle), after passing over `skip`
// such rows; -1 when there is none.
inline int rowWithStatus(const MainWindow &window, bool idle, int skip = 0)
{
    const auto *table = namedChild<QTableView>(&window, "conversationTable");
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        const QString status =
            table->model()->index(row, ConversationListModel::StatusColumn).data().toString();
        if ((status == QLatin1String("idle")) == idle && skip-- == 0)
            return row;
    }
    return -1;
}

// Makes `row` of the list current, as a click does, and waits for its transcript.
inline bool selectConversationRow(MainWindow &window, int row)
{
    auto *table = namedChild<QTableView>(&window, "conversationTable");
    const QModelIndex index = table->model()->index(row, 0);
    const QString id = index.data(ConversationListModel::IdRole).toString();
    table->setCurrentIndex(index);
    TranscriptController *transcript = window.transcriptController();
    return QTest::qWaitFor(
        [&] { return transcript->conversationId() == id && transcript->isLoaded(); }, kWaitMs);
}

} // namespace parley::test
