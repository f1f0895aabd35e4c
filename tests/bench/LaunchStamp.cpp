#include "LaunchStamp.h"

#include "EventWait.h"
#include "core/Workspace.h"
#include "secrets/KeyStore.h"
#include "store/WorkspaceStore.h"

#include <QCoreApplication>
#include <QUuid>

#include <chrono>
#include <cstdio>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace parley::bench {

namespace {

// Saves the workspace the options describe; empty when done.
QString saveWorkspace(const QStringList &options)
{
    Workspace ws;
    ws.id = QUuid::createUuid();
    for (qsizetype i = 0; i + 1 < options.size(); i += 2) {
        const QString &name = options.at(i);
        const QString &value = options.at(i + 1);
        if (name == "--ws-platform"_L1)
            ws.platform = value;
        else if (name == "--ws-url"_L1)
            ws.baseUrl = QUrl(value);
        else if (name == "--ws-param"_L1)
            ws.params.insert(value.section(u'=', 0, 0), value.section(u'=', 1));
        else
            return u"unknown option %1"_s.arg(name);
    }
    if (ws.platform.isEmpty())
        return {}; // nothing to save
    ws.name = u"Bench workspace"_s;
    // The names the window's QSettings use.
    QCoreApplication::setOrganizationName(u"Parley"_s);
    QCoreApplication::setOrganizationDomain(u"parley.io"_s);
    QCoreApplication::setApplicationName(u"Parley"_s);
    QString error;
    WorkspaceStore store;
    if (!store.add(ws, &error))
        return error;
    KeyStore keys;
    QEventLoop loop;
    keys.writeKey(KeyStore::keyName(ws.platform, ws.id), qgetenv("PARLEY_API_KEY"), &loop,
                  [&](const KeyResult &r) {
                      if (!r.ok())
                          error = u"the keychain: %1"_s.arg(r.message);
                      loop.quit();
                  });
    if (!execFor(loop, 30000))
        error = u"the keychain did not answer"_s;
    return error;
}

} // namespace

int launchStamped(const QStringList &arguments)
{
    const qsizetype dashes = arguments.indexOf(u"--"_s);
    const qsizetype launch = arguments.indexOf(u"--launch"_s);
    if (dashes < 0 || launch < 0 || dashes + 1 >= arguments.size()) {
        std::printf("error --launch needs -- PROGRAM\n");
        return 2;
    }
    const QString error = saveWorkspace(arguments.mid(launch + 1, dashes - launch - 1));
    if (!error.isEmpty()) {
        std::printf("error %s\n", qPrintable(error));
        return 1;
    }
    qunsetenv("PARLEY_API_KEY");
    std::vector<QByteArray> args;
    for (qsizetype i = dashes + 1; i < arguments.size(); ++i)
        args.push_back(arguments.at(i).toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const auto now = std::chrono::steady_clock::now().time_since_epoch();
    std::printf(
        "exec-at %lld\n",
        static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()));
    std::fflush(stdout);
    ::execv(argv.front(), argv.data());
    std::printf("error could not exec %s\n", argv.front());
    return 1;
}

} // namespace parley::bench
