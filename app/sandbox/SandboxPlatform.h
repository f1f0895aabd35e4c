#pragma once

#include "sandbox/SandboxOptions.h"

#include <QMap>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace parley::sandbox {

class SandboxServer;

// One platform's emulation. It registers its routes under "/<prefix>/..." and answers
// as the platform documents: auth header, error bodies, paging, filters, shapes.
// Conversation i (0 <= i < options.conversations) is generated on demand from
// (seed, platform, i) so that 100,000 conversations cost no memory; state changed by
// write calls is kept in a small overlay.
class SandboxPlatform
{
public:
    // `prefix`: "posthog" -> routes under /posthog/.
    SandboxPlatform(const SandboxOptions &options, QString prefix)
        : m_options(options)
        , m_prefix(std::move(prefix))
    {}
    virtual ~SandboxPlatform() = default;
    SandboxPlatform(const SandboxPlatform &) = delete;
    SandboxPlatform &operator=(const SandboxPlatform &) = delete;

    QString prefix() const { return m_prefix; }
    virtual void install(SandboxServer &server) = 0;

    // The demo workspace of this emulation: the workspace params it needs beyond its
    // platform's field defaults (an id the emulation serves, the URL of a second host).
    // `urlOf(prefix)` is the sandbox's base URL for a prefix. A helper host that is no
    // platform of its own (a second host of one) is never asked.
    virtual QMap<QString, QString>
    demoParams(const std::function<QUrl(const QString &)> &urlOf) const
    {
        Q_UNUSED(urlOf);
        return {};
    }

protected:
    const SandboxOptions &options() const { return m_options; }
    // Runs `then` in `ms` milliseconds on the emulation's thread, unless the emulation is
    // gone by then (replies that end with time, the next message of a live conversation).
    void later(qint64 ms, std::function<void()> then)
    {
        QTimer::singleShot(int(qBound<qint64>(0, ms, 24ll * 3600 * 1000)), &m_timers,
                           std::move(then));
    }

private:
    SandboxOptions m_options;
    QString m_prefix;
    QObject m_timers; // the context of later()'s timers: they die with the emulation
};

// An emulation that serves a generated data set: `Data(seed, count)` built from the options.
template<typename Data>
class GeneratedSandboxPlatform : public SandboxPlatform
{
public:
    GeneratedSandboxPlatform(const SandboxOptions &options, QString prefix)
        : SandboxPlatform(options, std::move(prefix))
        , m_data(options.seed, options.conversations)
    {}

    const Data &data() const { return m_data; }

protected:
    Data &mutableData() { return m_data; }

private:
    Data m_data;
};

using SandboxPlatforms = std::vector<std::unique_ptr<SandboxPlatform>>;

// Each emulation folder registers the function that adds its emulation(s) to a sandbox
// (PARLEY_REGISTER_SANDBOX); Sandbox installs every registered one. Nothing else lists them.
namespace SandboxRegistry {
using Factory = void (*)(const SandboxOptions &options, SandboxPlatforms &into);
// Called at static initialisation; returns true.
bool add(Factory factory);
// Every registered emulation, made for `options`, by prefix.
SandboxPlatforms make(const SandboxOptions &options);
// The factory of an emulation that is one platform made from the options alone.
template<typename Platform>
void addOne(const SandboxOptions &options, SandboxPlatforms &into)
{
    into.push_back(std::make_unique<Platform>(options));
}
} // namespace SandboxRegistry

} // namespace parley::sandbox

// In one .cpp file of an emulation folder: registers `factory` (a SandboxRegistry::Factory).
#define PARLEY_REGISTER_SANDBOX(factory)                                                           \
    namespace {                                                                                    \
    [[maybe_unused]] const bool parleySandboxRegistered =                                          \
        ::parley::sandbox::SandboxRegistry::add(factory);                                          \
    }
