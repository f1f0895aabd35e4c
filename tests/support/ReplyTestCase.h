#pragma once

#include "controllers/ReplyController.h"
#include "controllers/TranscriptController.h"
#include "models/TranscriptModel.h"
#include "support/ModelTestData.h"
#include "support/ScriptedProvider.h"

#include <QAbstractItemModelTester>
#include <QObject>

#include <chrono>
#include <memory>

namespace parley::test {

// What the tests of the controllers around an open transcript share: a scripted provider
// offering `actions` with conversations c1 and c2 (their details given), a
// TranscriptController on it and a ReplyController that applies turns at once, the
// transcript model watched by QAbstractItemModelTester.
class ReplyTestCase : public QObject
{
protected:
    void setUpReplies(Capabilities::Actions actions, ConversationDetail c1, ConversationDetail c2)
    {
        m_provider = std::make_unique<ScriptedProvider>();
        m_provider->actions = actions;
        m_provider->details.insert(c1.summary.id, std::move(c1));
        m_provider->details.insert(c2.summary.id, std::move(c2));
        m_transcript = std::make_unique<TranscriptController>();
        m_transcript->setProvider(m_provider.get());
        m_replies = std::make_unique<ReplyController>(m_transcript.get());
        m_replies->setApplyInterval(std::chrono::milliseconds(0));
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_transcript->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    // In the reverse order: the model's tester first, the provider last.
    void tearDownReplies()
    {
        m_tester.reset();
        m_replies.reset();
        m_transcript.reset();
        m_provider.reset();
    }

    std::unique_ptr<ScriptedProvider> m_provider;
    std::unique_ptr<TranscriptController> m_transcript;
    std::unique_ptr<ReplyController> m_replies;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

} // namespace parley::test
