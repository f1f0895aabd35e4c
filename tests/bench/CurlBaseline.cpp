#include "CurlBaseline.h"

#include "ProcessRun.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace parley::bench {

namespace {

// A double-quoted curl config value.
QByteArray quoted(const QByteArray &value)
{
    QByteArray out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

} // namespace

QString curlProgram()
{
    return QStandardPaths::findExecutable(u"curl"_s);
}

PlainFetch fetchWithCurl(const QString &curl, const QList<RecordedGet> &gets, int timeoutMs)
{
    PlainFetch out;
    if (gets.isEmpty())
        return out;
    QTemporaryDir dir;
    if (!dir.isValid()) {
        out.error = u"no temporary folder for the curl config"_s;
        return out;
    }
    const QString configPath = dir.filePath(u"pages.curlrc"_s);
    {
        QFile config(configPath);
        if (!config.open(QIODevice::WriteOnly)) {
            out.error = config.errorString();
            return out;
        }
        config.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        QByteArray text = "silent\nshow-error\nwrite-out = \"%{http_code} %{size_download}\\n\"\n";
        // The headers of the first GET apply to every URL (one workspace: the same ones).
        for (const auto &[name, value] : gets.constFirst().headers)
            text += "header = " + quoted(name + ": " + value) + '\n';
        for (const RecordedGet &g : gets) {
            text += "url = " + quoted(g.url.toEncoded()) + '\n';
            text += "output = \"/dev/null\"\n";
        }
        config.write(text);
    }

    QProcess process;
    process.setProgram(curl);
    process.setArguments({u"--config"_s, configPath});
    const ProcessTiming t = runTimed(process, u"curl"_s, timeoutMs);
    out.ms = t.ms;
    out.error = t.error;
    if (!out.error.isEmpty())
        return out;
    const QList<QByteArray> lines = process.readAllStandardOutput().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> parts = line.trimmed().split(' ');
        if (parts.size() != 2)
            continue;
        ++out.pages;
        out.bodyBytes += parts.at(1).toLongLong();
        if (parts.at(0) != "200" && out.error.isEmpty())
            out.error = u"HTTP %1 from curl"_s.arg(QString::fromLatin1(parts.at(0)));
    }
    return out;
}

} // namespace parley::bench
