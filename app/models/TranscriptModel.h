#pragma once

#include "core/ConversationDetail.h"
#include "core/Turn.h"

#include <QAbstractListModel>

namespace parley {

// One row per Turn of the open conversation. setDetail() replaces everything in one reset
// (a 10,000-turn transcript is one beginResetModel/endResetModel); appendTurn(),
// updateTurn() and upsertTurn() change single rows for live streaming.
//
// Delegates that paint whole turns use turnAt()/turn(), which return the stored value
// without copying it into a QVariant.
class TranscriptModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(bool hasTranscript READ hasTranscript NOTIFY detailChanged)
    Q_PROPERTY(QString transcriptNote READ transcriptNote NOTIFY detailChanged)

public:
    enum Role
    {
        RoleRole = Qt::UserRole + 1, // Turn::roleName(): "user", "assistant", "tool", ...
        TimeRole,                    // QDateTime (UTC), invalid when unknown
        TextRole,                    // Turn::plainText()
        TurnRole,                    // the whole Turn
        StateRole,                   // Turn::stateName(): "done", "in-progress", ...
        ErrorRole,                   // Turn::errorDetail
        ReplyToRole,                 // Turn::inReplyTo
        TypeLabelRole,               // the platform's own type
        FragmentsRole,               // QList<Fragment>
        IdRole,                      // Turn::id
    };
    Q_ENUM(Role)

    explicit TranscriptModel(QObject *parent = nullptr);

    // Replaces the transcript (and the summary, properties and note) in one reset.
    void setDetail(ConversationDetail detail);
    // The summary and properties only, the turns untouched (no reset: the view keeps its
    // place and open fragments).
    void setSummary(Conversation summary, QList<Property> properties);
    void clear();

    const Conversation &summary() const { return m_summary; }
    const QList<Property> &properties() const { return m_properties; }
    bool hasTranscript() const { return m_hasTranscript; }
    QString transcriptNote() const { return m_note; }
    const QList<Turn> &turns() const { return m_turns; }

    // nullptr when out of range.
    const Turn *turnAt(int row) const;
    const Turn *turn(const QModelIndex &index) const;
    // The last row with this id, or -1. Searches from the end: streaming touches the tail.
    int rowOfId(const QString &id) const;

    void appendTurn(Turn turn);
    // Replaces the turn with id `id` (the new turn may carry a new id, as a final message
    // replacing its streamed draft does). False when no row has `id`.
    bool updateTurn(const QString &id, Turn turn);
    // updateTurn(turn.id) when that id is present, appendTurn() otherwise.
    void upsertTurn(Turn turn);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    // summary, properties, hasTranscript or transcriptNote changed (after a reset).
    void detailChanged();

private:
    Conversation m_summary;
    QList<Property> m_properties;
    QList<Turn> m_turns;
    bool m_hasTranscript = true;
    QString m_note;
};

} // namespace parley
