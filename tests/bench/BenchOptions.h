#pragma once

#include <QString>
#include <QStringList>

namespace parley::bench {

struct BenchOptions
{
    int conversations = 100000; // per platform in the sandbox
    int runs = 3;               // repetitions of each timed phase (the median is reported)
    int pageSize = 0;           // 0 = each provider's largest page
    QStringList platforms;      // empty = every registered platform the sandbox emulates
    QString filterPlatform = QStringLiteral("posthog");
    int transcriptTurns = 10000;
    int bigListRows = 1000000; // the long list phase; 0 skips it
    bool curl = true;
    bool startup = true;
    bool cli = true;                   // parley-cli list as a whole process against curl
    int cliDelayConversations = 10000; // per platform on the delay=50 sandbox; 0 = skip it
    bool gui = true;                   // GUI-thread stalls and the real window's first paint
    int timeoutMs = 600000;            // per phase

    // Internal: the child process the startup phase times.
    bool startupProbe = false;
    QString probePlatform;
};

// Parses the application's arguments; exits with usage on --help or an error.
BenchOptions parseOptions(const QStringList &arguments);

} // namespace parley::bench
