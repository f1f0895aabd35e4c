#pragma once

#include <QtGlobal>

namespace parley::bench {

// Bytes the C allocator has handed out and not had back (glibc mallinfo2: the in-use bytes
// of every arena plus the mmap'ed blocks, chunk overhead included). -1 where unknown.
qint64 heapInUse();

// True where heapInUse() means something (glibc).
bool heapMeasurable();

} // namespace parley::bench
