#include "support/LocalTcpServer.h"

#include <QTcpSocket>

#include <memory>

namespace parley::test {

LocalTcpServer::LocalTcpServer(Answer answer)
    : m_answer(answer)
{
    connect(this, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = nextPendingConnection()) {
            ++accepted;
            auto pending = std::make_shared<QByteArray>();
            connect(s, &QTcpSocket::readyRead, s, [this, s, pending] {
                const QByteArray bytes = s->readAll();
                received += bytes;
                if (m_answer == Answer::HangUp) {
                    s->disconnectFromHost();
                    return;
                }
                *pending += bytes;
                qsizetype end;
                while ((end = pending->indexOf("\r\n\r\n")) >= 0) {
                    ++requests;
                    pending->remove(0, end + 4);
                    if (m_answer == Answer::Reply) {
                        s->write(reply);
                        s->disconnectFromHost();
                        return;
                    }
                }
            });
            connect(s, &QTcpSocket::disconnected, this, [this, s] {
                ++closedByClient;
                s->deleteLater();
            });
        }
    });
}

} // namespace parley::test
