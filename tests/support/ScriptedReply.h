#pragma once

#include <QNetworkReply>

#include <functional>

namespace parley::test {

// A QNetworkReply that never touches the network: it stands behind the RequestHandle a
// ScriptedProvider returns, so that RequestHandle::cancel() reaches the test double.
class ScriptedReply final : public QNetworkReply
{
    Q_OBJECT
public:
    explicit ScriptedReply(std::function<void()> onAbort, QObject *parent = nullptr);

    void abort() override;
    // Marks the reply finished once its answer went out.
    void markFinished();

protected:
    qint64 readData(char *data, qint64 maxSize) override;

private:
    std::function<void()> m_onAbort;
};

} // namespace parley::test
