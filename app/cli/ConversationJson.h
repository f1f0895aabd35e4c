#pragma once

#include "core/ConversationDetail.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace parley::cli {

// The JSON shapes parley-cli prints. Times are ISO 8601 UTC text; values the platform did
// not give are null, so that every row has the same keys.
namespace ConversationJson {

// The columns of a list row, in CSV order.
QStringList rowColumns();
// One list row: id, title, status, kind, owner, created_at, updated_at, turn_count, platform.
QJsonObject row(const Conversation &conversation, const QString &platform);
// `row` as text cells in rowColumns() order (empty for null).
QStringList rowCells(const Conversation &conversation, const QString &platform);
// A whole conversation: {"summary": row, "properties": [...], "has_transcript",
// "transcript_note", "turns": [...]}. A turn carries the message as received (`raw`, JSON)
// and, for one Parley could not read, why (`unreadable`).
// Each approval: {id, tool, preview, status, payload (JSON text)}.
QJsonArray approvals(const QList<Approval> &list);
QJsonObject detail(const ConversationDetail &detail, const QString &platform);
QJsonObject turn(const Turn &turn);
QString fragmentKindName(Fragment::Kind kind);

} // namespace ConversationJson

} // namespace parley::cli
