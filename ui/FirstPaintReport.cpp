#include "FirstPaintReport.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QMetaObject>

#include <chrono>
#include <cstdio>

namespace parley {

namespace {

class FirstRowsWatch : public QObject
{
public:
    explicit FirstRowsWatch(QAbstractItemView *view)
        : QObject(view)
        , m_view(view)
    {
        view->viewport()->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Paint || !m_view->model() || m_view->model()->rowCount() == 0)
            return QObject::eventFilter(watched, event);
        watched->removeEventFilter(this);
        // Queued: runs once this paint (and the flush that follows it) is done.
        QMetaObject::invokeMethod(
            this,
            [this] {
                const auto now = std::chrono::steady_clock::now().time_since_epoch();
                std::fprintf(
                    stderr, "parley: first rows painted at monotonic %lld\n",
                    static_cast<long long>(
                        std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()));
                std::fflush(stderr);
                deleteLater();
            },
            Qt::QueuedConnection);
        return false;
    }

private:
    QAbstractItemView *m_view;
};

} // namespace

void reportFirstRowsPainted(QAbstractItemView *view)
{
    static const bool wanted = qEnvironmentVariableIntValue("PARLEY_REPORT_FIRST_PAINT") == 1;
    if (wanted && view)
        new FirstRowsWatch(view);
}

} // namespace parley
