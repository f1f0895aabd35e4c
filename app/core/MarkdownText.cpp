#include "core/MarkdownText.h"

#include <QStringList>

namespace parley {

QString markdownFence(const QString &text, const QString &info)
{
    int longest = 0;
    int run = 0;
    for (const QChar c : text) {
        run = c == u'`' ? run + 1 : 0;
        longest = qMax(longest, run);
    }
    const QString fence(qMax(3, longest + 1), u'`');
    QString body = text;
    if (!body.endsWith(u'\n'))
        body += u'\n';
    return fence + info + u'\n' + body + fence + u'\n';
}

QString markdownDemoteHeadings(const QString &text, int levels)
{
    QStringList lines = text.split(u'\n');
    QString fence; // the fence of the code block we are in, empty outside
    for (QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (!fence.isEmpty()) {
            if (trimmed.startsWith(fence) && trimmed.count(fence.at(0)) == trimmed.size())
                fence.clear();
            continue;
        }
        if (trimmed.startsWith(u"```") || trimmed.startsWith(u"~~~")) {
            qsizetype n = 0;
            while (n < trimmed.size() && trimmed.at(n) == trimmed.at(0))
                ++n;
            fence = trimmed.left(n);
            continue;
        }
        qsizetype level = 0;
        while (level < line.size() && line.at(level) == u'#')
            ++level;
        if (level == 0 || level > 6 || (level < line.size() && line.at(level) != u' '))
            continue;
        line.prepend(QString(qMin<qsizetype>(levels, 6 - level), u'#'));
    }
    return lines.join(u'\n');
}

} // namespace parley
