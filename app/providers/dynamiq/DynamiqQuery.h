#pragma once

#include "core/PageCursor.h"
#include "core/Result.h"
#include "providers/Capabilities.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// The list query of Dynamiq's GET /v1/conversations: the filters and sort fields it
// documents, and how a ListQuery becomes query parameters. Pure functions, checked before
// anything is sent.
namespace parley::dynamiq {

using QueryItems = QList<QPair<QString, QString>>;

// No maximum page size is documented; Parley asks for at most this many rows at once.
inline constexpr int kMaxPageSize = 100;

// app_id, model_id, org_id: each a UUID.
QList<FilterSpec> filterSpecs();
// Fields offered for `sort`, several separated by commas, each may be prefixed with '-' for
// descending order: created_at, updated_at, title, started_at.
QStringList sortFields();

// True for a UUID in its usual 8-4-4-4-12 hexadecimal form (any version, any case).
bool isUuid(const QString &text);

// The query parameters for one page, in a stable order (filters, page, page_size, sort),
// or an Invalid error saying what to change: an unknown filter, a value that is not a
// UUID, a sort that is not a comma-separated list of field names.
Result<QueryItems> listParameters(const ListQuery &query, const PageCursor &cursor);

} // namespace parley::dynamiq
