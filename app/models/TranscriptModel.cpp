#include "models/TranscriptModel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace parley {

TranscriptModel::TranscriptModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void TranscriptModel::setDetail(ConversationDetail detail)
{
    beginResetModel();
    m_summary = std::move(detail.summary);
    m_properties = std::move(detail.properties);
    m_turns = std::move(detail.turns);
    m_hasTranscript = detail.hasTranscript;
    m_note = std::move(detail.transcriptNote);
    endResetModel();
    emit detailChanged();
}

void TranscriptModel::setSummary(Conversation summary, QList<Property> properties)
{
    m_summary = std::move(summary);
    m_properties = std::move(properties);
    emit detailChanged();
}

void TranscriptModel::clear()
{
    setDetail(ConversationDetail{});
}

const Turn *TranscriptModel::turnAt(int row) const
{
    if (row < 0 || row >= m_turns.size())
        return nullptr;
    return &m_turns.at(row);
}

const Turn *TranscriptModel::turn(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    return turnAt(index.row());
}

int TranscriptModel::rowOfId(const QString &id) const
{
    if (id.isEmpty())
        return -1;
    for (qsizetype row = m_turns.size() - 1; row >= 0; --row) {
        if (m_turns.at(row).id == id)
            return int(row);
    }
    return -1;
}

void TranscriptModel::appendTurn(Turn turn)
{
    const int row = int(m_turns.size());
    beginInsertRows({}, row, row);
    m_turns.append(std::move(turn));
    endInsertRows();
}

bool TranscriptModel::updateTurn(const QString &id, Turn turn)
{
    const int row = rowOfId(id);
    if (row < 0)
        return false;
    m_turns[row] = std::move(turn);
    const QModelIndex changed = index(row, 0);
    emit dataChanged(changed, changed);
    return true;
}

void TranscriptModel::upsertTurn(Turn turn)
{
    const QString id = turn.id;
    if (!updateTurn(id, turn))
        appendTurn(std::move(turn));
}

int TranscriptModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_turns.size());
}

QVariant TranscriptModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= int(m_turns.size()) ||
        index.column() != 0)
        return {};
    const Turn &t = m_turns.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return t.plainText();
    case Qt::ToolTipRole: {
        QString tip = Turn::roleName(t.role);
        if (!t.typeLabel.isEmpty())
            tip += u" · "_s + t.typeLabel;
        if (t.timestamp.isValid())
            tip += u" · "_s + QLocale().toString(t.timestamp.toLocalTime(), QLocale::LongFormat);
        if (t.state != Turn::State::Done)
            tip += u" · "_s + Turn::stateName(t.state);
        if (!t.errorDetail.isEmpty())
            tip += u'\n' + t.errorDetail;
        return tip;
    }
    case RoleRole:
        return Turn::roleName(t.role);
    case TimeRole:
        return t.timestamp;
    case TurnRole:
        return QVariant::fromValue(t);
    case StateRole:
        return Turn::stateName(t.state);
    case ErrorRole:
        return t.errorDetail;
    case ReplyToRole:
        return t.inReplyTo;
    case TypeLabelRole:
        return t.typeLabel;
    case FragmentsRole:
        return QVariant::fromValue(t.fragments);
    case IdRole:
        return t.id;
    default:
        break;
    }
    return {};
}

Qt::ItemFlags TranscriptModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> TranscriptModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(RoleRole, "role");
    names.insert(TimeRole, "time");
    names.insert(TextRole, "text");
    names.insert(TurnRole, "turn");
    names.insert(StateRole, "state");
    names.insert(ErrorRole, "error");
    names.insert(ReplyToRole, "inReplyTo");
    names.insert(TypeLabelRole, "typeLabel");
    names.insert(FragmentsRole, "fragments");
    names.insert(IdRole, "turnId");
    return names;
}

} // namespace parley
