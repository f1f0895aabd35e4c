#pragma once

#include <QString>

// Ids that a request puts into its path as one segment: what a platform's ids look like,
// checked before they are sent.
namespace parley::pathids {

// 1 to 100 of A-Z, a-z, 0-9, '_' and '-' (ULID-based and UUID ids).
bool isPlain(const QString &id);

// A slug or prefixed id (UUIDs, "ws-…", "PROJECT-…"): a letter or digit, then up to 199 of
// those and "_.~-". Workspace fields that hold such an id use it as their pattern.
extern const QString kSlugPattern;
bool isSlug(const QString &id);

} // namespace parley::pathids
