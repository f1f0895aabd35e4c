#pragma once

#include <QIcon>

namespace parley::Icons {

// The application's icons: the desktop theme's icon where one exists, else our own SVG
// from resources/icons (so that a bare box without an icon theme still shows them).
enum Name
{
    App,
    Add,
    Edit,
    Remove,
    Reload,
    Search,
    Copy,
    Choose, // a down arrow: pick from a list
    Workspace,
    Warning,
    Error,
    Ok
};

QIcon get(Name name);

} // namespace parley::Icons
