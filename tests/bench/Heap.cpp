#include "Heap.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace parley::bench {

qint64 heapInUse()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks) + qint64(info.hblkhd);
#else
    return -1;
#endif
}

bool heapMeasurable()
{
    return heapInUse() >= 0;
}

} // namespace parley::bench
