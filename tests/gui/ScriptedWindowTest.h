#pragma once

// The base of the GUI tests that drive the real MainWindow on a ScriptedProvider: one
// GuiFixture for the whole run, the scripted window reset before each test function and
// closed after it. No target lists this header, so a test that derives from it includes
// "moc_ScriptedWindowTest.cpp" once, which has AUTOMOC run moc on it.

#include "gui/GuiFixture.h"
#include "gui/ScriptedWindow.h"

#include <QObject>

#include <memory>

namespace parley::test {

class ScriptedWindowTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_fx = std::make_unique<GuiFixture>();
        m_sw = std::make_unique<ScriptedWindow>(*m_fx);
    }
    void init() { m_sw->reset(); }
    void cleanup() { m_sw->close(); }

protected:
    std::unique_ptr<GuiFixture> m_fx;
    std::unique_ptr<ScriptedWindow> m_sw;
};

} // namespace parley::test
