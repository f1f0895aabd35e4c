#pragma once

#include <QByteArray>
#include <QTcpServer>

namespace parley::test {

// A bare TCP server for transport tests: it counts what clients do and answers as `Answer`
// says, never as a real HTTP server would.
class LocalTcpServer : public QTcpServer
{
public:
    enum class Answer
    {
        Nothing, // reads every request and never answers
        Reply,   // writes `reply` after each complete request head, then closes
        HangUp,  // closes the connection as soon as anything arrives
    };

    explicit LocalTcpServer(Answer answer = Answer::Nothing);

    QByteArray reply;
    int accepted = 0;
    int requests = 0;       // complete request heads received
    int closedByClient = 0; // with Answer::Nothing, every connection that ended
    QByteArray received;    // every byte any client sent

private:
    const Answer m_answer;
};

} // namespace parley::test
