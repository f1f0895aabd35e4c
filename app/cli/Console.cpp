#include "cli/Console.h"

#include <QRegularExpression>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace parley::cli {

Console::Console()
{
    m_out.open(stdout, QIODevice::WriteOnly);
    m_err.open(stderr, QIODevice::WriteOnly);
}

QString Console::sanitize(const QString &text) const
{
    QString line = text;
    // Only mask keys long enough not to mask ordinary words by accident.
    if (m_secret.size() >= 6)
        line.replace(QString::fromUtf8(m_secret), u"[key]"_s);
    static const QRegularExpression breaks(u"\\s*[\\r\\n]+\\s*"_s);
    line.replace(breaks, u" "_s);
    // No terminal control sequences from a server's error text.
    static const QRegularExpression controls(u"[\\x{0}-\\x{1f}\\x{7f}]"_s);
    line.replace(controls, u" "_s);
    return line.trimmed();
}

void Console::error(const QString &message)
{
    m_err.write((u"parley-cli: "_s + sanitize(message) + u'\n').toUtf8());
    m_err.flush();
}

void Console::status(const QString &message)
{
    m_err.write((u"parley-cli: … "_s + sanitize(message) + u'\n').toUtf8());
    m_err.flush();
}

void Console::warning(const QString &message)
{
    m_err.write((u"parley-cli: warning: "_s + sanitize(message) + u'\n').toUtf8());
    m_err.flush();
}

QString Console::printable(const QString &text)
{
    static const QRegularExpression controls(u"[\\x{0}-\\x{8}\\x{b}-\\x{1f}\\x{7f}]"_s);
    QString out = text;
    out.remove(controls);
    return out;
}

} // namespace parley::cli
