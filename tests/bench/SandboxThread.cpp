#include "SandboxThread.h"

#include "sandbox/Sandbox.h"
#include "session/DemoWorkspaces.h"

namespace parley::bench {

SandboxThread::SandboxThread(sandbox::SandboxOptions options)
    : m_options(std::move(options))
{
    m_thread.setObjectName(QStringLiteral("bench-sandbox"));
}

SandboxThread::~SandboxThread()
{
    if (m_anchor) {
        QMetaObject::invokeMethod(
            m_anchor,
            [this] {
                delete m_sandbox;
                m_sandbox = nullptr;
                delete m_anchor;
            },
            Qt::BlockingQueuedConnection);
        m_anchor = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
}

bool SandboxThread::start(QString *error, const std::function<void(sandbox::Sandbox &)> &setup)
{
    Q_ASSERT(!m_anchor);
    m_thread.start();
    m_anchor = new QObject;
    m_anchor->moveToThread(&m_thread);
    bool started = false;
    QString why;
    QMetaObject::invokeMethod(
        m_anchor,
        [&] {
            m_sandbox = new sandbox::Sandbox(m_options);
            if (setup)
                setup(*m_sandbox);
            started = m_sandbox->start(&why);
            m_prefixes = m_sandbox->prefixes();
            m_port = m_sandbox->port();
            m_demo = DemoWorkspaces::create(*m_sandbox);
        },
        Qt::BlockingQueuedConnection);
    if (!started && error)
        *error = why;
    return started;
}

QUrl SandboxThread::baseUrl(const QString &prefix) const
{
    return sandbox::Sandbox::baseUrl(m_port, prefix);
}

} // namespace parley::bench
