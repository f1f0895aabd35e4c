#include "Icons.h"

// Resources compiled into a static library are only linked in when referenced.
static void initParleyResources()
{
    Q_INIT_RESOURCE(parley);
}

namespace parley::Icons {

namespace {
void ensureResources()
{
    static const bool done = [] {
        initParleyResources();
        return true;
    }();
    Q_UNUSED(done);
}

QIcon themed(const char *themeName, const char *resource)
{
    ensureResources();
    const QString path = QStringLiteral(":/parley/icons/") + QLatin1String(resource);
    return QIcon::fromTheme(QLatin1String(themeName), QIcon(path));
}
} // namespace

QIcon app()
{
    ensureResources();
    return QIcon(QStringLiteral(":/parley/icons/app.svg"));
}
QIcon add()
{
    return themed("list-add", "add.svg");
}
QIcon edit()
{
    return themed("document-edit", "edit.svg");
}
QIcon remove()
{
    return themed("edit-delete", "remove.svg");
}
QIcon reload()
{
    return themed("view-refresh", "reload.svg");
}
QIcon choose()
{
    return themed("go-down", "choose.svg");
}
QIcon search()
{
    return themed("edit-find", "search.svg");
}
QIcon copy()
{
    return themed("edit-copy", "copy.svg");
}
QIcon workspace()
{
    ensureResources();
    return QIcon(QStringLiteral(":/parley/icons/workspace.svg"));
}
QIcon warning()
{
    return themed("dialog-warning", "warning.svg");
}
QIcon error()
{
    return themed("dialog-error", "error.svg");
}
QIcon ok()
{
    return themed("dialog-ok", "ok.svg");
}

} // namespace parley::Icons
