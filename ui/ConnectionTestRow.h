#pragma once

#include "core/Workspace.h"
#include "session/AppServices.h"

#include <QByteArray>
#include <QMap>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;

namespace parley {

class BusyIndicator;
struct ApiError;

// The workspace dialog's "Test Connection" row: the button, a spinner while the test runs
// and its result (an icon and what the platform said). One authenticated request with what
// is entered (SessionPool::testConnection); a new test, cancel() or clear() drops the answer
// of the one before.
class ConnectionTestRow : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionTestRow(QWidget *parent = nullptr);
    ~ConnectionTestRow() override;

    // Tests `workspace` with `key`; an empty key with `useStoredKey` tests the key stored for
    // the workspace (editing an existing one).
    void run(const AppServices &services, const Workspace &workspace, const QByteArray &key,
             bool useStoredKey);
    // Stops a test under way; its answer is dropped.
    void cancel();
    // cancel(), and the last result is no longer shown (what is entered changed).
    void clear();
    bool isTesting() const { return m_testing; }
    // Whether a test may start now (valid settings, nothing saving); the button follows.
    void setAllowed(bool allowed);

Q_SIGNALS:
    // The button was clicked.
    void requested();
    // The test found the API form of settings left on automatic (key → value); emitted
    // before finished(), only when it found any.
    void formsFound(const QMap<QString, QString> &found);
    // A test ended and its result is shown.
    void finished();

private:
    void runWithKey(const AppServices &services, const Workspace &workspace, const QByteArray &key);
    void showResult(const ApiError &error);
    void stopped();

    QPushButton *m_button;
    BusyIndicator *m_spinner;
    QLabel *m_icon;
    QLabel *m_result;
    bool m_allowed = false;
    bool m_testing = false;
    int m_generation = 0;
    std::function<void()> m_cancel; // the test under way
};

} // namespace parley
