#include "EchoThreads.h"

#include "sandbox/SandboxText.h"

using namespace Qt::StringLiterals;

namespace parley::sandbox {

namespace {

const QString kSalt = u"echo"_s;

QJsonObject line(qsizetype no, const QString &speaker, const QString &said, const QDateTime &at)
{
    return {{u"no"_s, no},
            {u"speaker"_s, speaker},
            {u"said"_s, said},
            {u"at"_s, at.toUTC().toString(Qt::ISODate)}};
}

} // namespace

EchoThreads::EchoThreads(quint32 seed, int count)
    : GeneratedConversations(seed, count)
{}

QString EchoThreads::ref(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), kSalt + u"-ref"_s, index);
    return u"%1-%2"_s.arg(qulonglong(rng.generate()), 8, 16, QChar(u'0')).arg(index);
}

int EchoThreads::indexOf(const QString &ref) const
{
    const qsizetype dash = ref.indexOf(u'-');
    bool ok = false;
    const int index = dash < 0 ? -1 : ref.mid(dash + 1).toInt(&ok);
    if (!ok || index < 0 || index >= count() || this->ref(index) != ref)
        return -1;
    return index;
}

QString EchoThreads::mood(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), kSalt + u"-mood"_s, index);
    return rng.bounded(3) == 0 ? u"grumpy"_s : u"happy"_s;
}

QDateTime EchoThreads::opened(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), kSalt + u"-time"_s, index);
    return SandboxText::timeFor(index, count(), rng);
}

QJsonObject EchoThreads::thread(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), kSalt, index);
    return {{u"ref"_s, ref(index)},
            {u"subject"_s, SandboxText::title(rng)},
            {u"mood"_s, mood(index)},
            {u"opened"_s, opened(index).toString(Qt::ISODate)},
            {u"lines"_s, lines(index).size()}};
}

QList<QJsonObject> EchoThreads::generatedLines(int index) const
{
    QRandomGenerator rng = SandboxText::rng(seed(), kSalt + u"-lines"_s, index);
    const int exchanges = 1 + int(rng.bounded(3));
    QDateTime at = opened(index);
    QList<QJsonObject> out;
    for (int i = 0; i < exchanges; ++i) {
        const QString said = SandboxText::question(rng);
        out << line(out.size() + 1, u"human"_s, said, at);
        at = at.addSecs(2);
        out << line(out.size() + 1, u"echo"_s, said, at);
        at = at.addSecs(30);
    }
    return out;
}

QList<QJsonObject> EchoThreads::lines(int index) const
{
    return generatedLines(index) + m_appended.value(index);
}

QJsonObject EchoThreads::append(int index, const QString &said)
{
    const QJsonObject stored =
        line(lines(index).size() + 1, u"human"_s, said, QDateTime::currentDateTimeUtc());
    m_appended[index] << stored;
    return stored;
}

} // namespace parley::sandbox
