#pragma once

class QAction;
class QActionGroup;
class QMainWindow;

namespace parley {

class WorkspaceSidebar;

// The window's actions, in its menus (Workspace, Conversation, View, Help) and as shortcuts
// that work wherever the focus is in the window. The window connects them.
struct MainActions
{
    QAction *reload = nullptr;
    QAction *filter = nullptr;
    QAction *quit = nullptr;
    QAction *newConversation = nullptr;
    QAction *openById = nullptr; // Ctrl+L: a conversation by its id or address
    QAction *linkConnector = nullptr;
    QAction *followUps = nullptr;
    QAction *about = nullptr;
    // View > Refresh List Automatically: one checkable action per interval, the seconds
    // (0 = off) as its data.
    QActionGroup *autoRefresh = nullptr;

    // Makes the actions and the menu bar of `window`, with the sidebar's workspace actions.
    static MainActions build(QMainWindow *window, WorkspaceSidebar *sidebar);
};

} // namespace parley
