#pragma once

#include "controllers/PollPace.h"
#include "core/ConversationDetail.h"
#include "core/Result.h"
#include "net/HttpClient.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

namespace parley {

class Provider;
class ReplyStream;

// A running conversation's reply told as a ReplyStream, for a platform that offers no stream
// of it (or refused one): the conversation is fetched again at a pace that doubles while
// nothing changes (up to longest) and is back to the first as soon as something does; each
// turn after the last user message that is new or has changed is reported; the stream
// finishes once the platform says the conversation stopped running. A fetch that fails is
// tried again at the same pace; three in a row finish the stream with the last error.
// parley-cli follow prints this stream as it prints a sent message's reply.
class PolledReply : public QObject
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kFirstPoll{1000};
    static constexpr std::chrono::milliseconds kLongestPoll{8000};
    static constexpr int kFailuresInARow = 3;

    // `provider` is not owned and must outlive this object; the stream is a child of it.
    PolledReply(Provider *provider, QObject *parent = nullptr);

    ReplyStream *stream() const { return m_stream; }
    void setPollIntervals(std::chrono::milliseconds first, std::chrono::milliseconds longest);
    // Reports `detail`'s running reply and follows it from there.
    void start(const ConversationDetail &detail);

private:
    void poll();
    void onDetail(Result<ConversationDetail> result);
    // Reports what is new or changed in `detail`; true when something was.
    bool report(const ConversationDetail &detail);

    QPointer<Provider> m_provider;
    ReplyStream *m_stream;
    QString m_id;
    QHash<QString, QString> m_seen; // turn id -> what was reported of it
    QTimer m_timer;
    PollPace m_pace{kFirstPoll, kLongestPoll};
    int m_failures = 0;
    RequestHandle m_request;
};

} // namespace parley
