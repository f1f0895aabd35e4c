#pragma once

#include <QHash>
#include <QString>

namespace parley::cli {

// What `send`/`create` write in text mode while an assistant reply streams in as snapshots
// of its turns (ReplyStream::turnChanged). Pure bookkeeping, no I/O, so it is tested alone.
//
// - The turn the output currently continues: only the newly grown end of its text is
//   written, so a reader sees the reply appear token by token.
// - That turn rewritten (its new text no longer starts with what was written, e.g. a final
//   message that differs from its streamed draft, under a new id via replacesId): a line
//   break, then the whole final text. What was already written stays on the terminal; the
//   final text is the last thing printed, so `| tail` and scripts see the right answer.
// - Another turn (a second assistant message, or an earlier one changing while another was
//   being written): a line break, then its whole text.
// - A character split in two UTF-16 halves by a snapshot is written once it is whole.
// - A snapshot with nothing new (the same text again, a turn renamed by replacesId with the
//   same text, an empty draft): nothing.
class StreamedText
{
public:
    // The text to write for this snapshot of an assistant turn; empty when nothing is new.
    QString update(const QString &turnId, const QString &replacesId, QString text)
    {
        // Half of a surrogate pair waits for its other half: written alone it would turn
        // into a replacement character in UTF-8.
        if (!text.isEmpty() && text.back().isHighSurrogate())
            text.chop(1);
        const QString key = replacesId.isEmpty() ? turnId : replacesId;
        const bool known = m_seen.contains(key);
        const QString before = m_seen.value(key);
        m_seen.remove(key);
        m_seen.insert(turnId, text);

        QString out;
        if (key == m_current && text.startsWith(before)) {
            out = text.mid(before.size());
        } else if ((known && text == before) || text.isEmpty()) {
            out.clear();
        } else {
            out = (m_atLineStart ? QString() : QStringLiteral("\n")) + text;
        }
        if (!out.isEmpty()) {
            m_current = turnId;
            m_atLineStart = out.endsWith(QLatin1Char('\n'));
        } else if (key == m_current) {
            m_current = turnId; // renamed, same text
        }
        return out;
    }

    // What to write when the reply ends: a line break unless the output ends a line already.
    QString finish()
    {
        if (m_atLineStart)
            return {};
        m_atLineStart = true;
        return QStringLiteral("\n");
    }

    bool atLineStart() const { return m_atLineStart; }

private:
    QHash<QString, QString> m_seen; // turn id -> its text as of the last snapshot
    QString m_current;              // the turn whose text the output ends with
    bool m_atLineStart = true;
};

} // namespace parley::cli
