#pragma once

#include <QIcon>

namespace parley::Icons {

// The application's icons: the desktop theme's icon where one exists, else our own SVG
// from resources/icons (so that a bare box without an icon theme still shows them).
QIcon app();
QIcon add();
QIcon edit();
QIcon remove();
QIcon reload();
QIcon search();
QIcon copy();
QIcon choose(); // a down arrow: pick from a list
QIcon workspace();
QIcon warning();
QIcon error();
QIcon ok();

} // namespace parley::Icons
