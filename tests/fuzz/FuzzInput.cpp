#include "FuzzInput.h"

#include <cstdio>
#include <cstdlib>

namespace parley::fuzz {

void fail(const char *what)
{
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
}

} // namespace parley::fuzz
