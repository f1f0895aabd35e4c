#include "Icons.h"

#include <array>

// Resources compiled into a static library are only linked in when referenced.
static void initParleyResources()
{
    Q_INIT_RESOURCE(parley);
}

namespace parley::Icons {

namespace {
struct Source
{
    const char *themeName; // nullptr: always our own
    const char *resource;  // below :/parley/icons/
};

// In the order of Name.
constexpr std::array<Source, Ok + 1> kSources{{
    {nullptr, "app.svg"},
    {"list-add", "add.svg"},
    {"document-edit", "edit.svg"},
    {"edit-delete", "remove.svg"},
    {"view-refresh", "reload.svg"},
    {"edit-find", "search.svg"},
    {"edit-copy", "copy.svg"},
    {"go-down", "choose.svg"},
    {nullptr, "workspace.svg"},
    {"dialog-warning", "warning.svg"},
    {"dialog-error", "error.svg"},
    {"dialog-ok", "ok.svg"},
}};
} // namespace

QIcon get(Name name)
{
    static const bool resources = [] {
        initParleyResources();
        return true;
    }();
    Q_UNUSED(resources);
    const Source &source = kSources.at(name);
    const QIcon own(QStringLiteral(":/parley/icons/") + QLatin1String(source.resource));
    return source.themeName ? QIcon::fromTheme(QLatin1String(source.themeName), own) : own;
}

} // namespace parley::Icons
