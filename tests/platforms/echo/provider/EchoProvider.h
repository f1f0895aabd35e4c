#pragma once

#include "providers/Provider.h"

#include <QByteArray>

#include <memory>

namespace parley {

// Echo, a test-only platform that exists to prove a platform is its folders: a room's
// threads, each a transcript of lines a human said and Echo said back.
//   GET  {base}/v1/rooms/{room}/threads?from=&count=&mood=    list (offset paging)
//   GET  {base}/v1/rooms/{room}/threads/{ref}                  one thread with its lines
//   POST {base}/v1/rooms/{room}/threads/{ref}/lines {"said"}   append a line
// with `X-Echo-Key: <key>`. See README.md beside this file.
class EchoProvider final : public Provider
{
    Q_OBJECT
public:
    static constexpr int kMaxPageSize = 40;
    static constexpr int kMaxLineLength = 500;

    EchoProvider(Workspace workspace, const QByteArray &key, HttpClient *http,
                 QObject *parent = nullptr);

    QString platform() const override;
    Capabilities capabilities() const override;

    RequestHandle appendMessage(const QString &conversationId, const QString &text,
                                QObject *context, Done<QString> done) override;

protected:
    // The list and one thread, sent and read by Provider.
    Result<Call<ConversationPage>> pageCall(const ListQuery &query,
                                            const PageCursor &cursor) const override;
    Result<Call<ConversationDetail>> conversationCall(const QString &id) const override;

private:
    QString threadsPath() const;
};

PlatformInfo echoPlatformInfo();
std::unique_ptr<Provider> makeEchoProvider(const Workspace &workspace, const QByteArray &key,
                                           HttpClient *http);

} // namespace parley
