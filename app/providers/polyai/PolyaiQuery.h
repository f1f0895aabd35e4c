#pragma once

#include "core/PageCursor.h"
#include "core/Result.h"
#include "providers/Capabilities.h"
#include "providers/polyai/PolyaiMapping.h"

#include <QList>
#include <QPair>
#include <QString>

// The list query of PolyAI's Conversations API: which filters each version documents and
// how a ListQuery becomes query parameters. Pure functions, checked before sending.
namespace parley::polyai {

using QueryItems = QList<QPair<QString, QString>>;

// Documented page size limits: v1 1..5000 (default 5), v3 1..1000 (default 1000).
int maxPageSize(ApiVersion version);

// The server-side filters the version documents, keyed by PolyAI's parameter names.
QList<FilterSpec> filterSpecs(ApiVersion version);

// The query parameters for one page, in a stable order, or an Invalid error saying what
// to change (a filter the version does not have, a value outside its choices, a time that
// is not ISO 8601, variant_id together with variant_name, ...). Bool filters accept
// true/false (also 1/0, yes/no); DateTime filters are sent as UTC ISO 8601; v3's
// `channel` takes a comma-separated list and is sent once per channel.
Result<QueryItems> listParameters(const ListQuery &query, ApiVersion version,
                                  const PageCursor &cursor);

} // namespace parley::polyai
