#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

#include <stdint.h>

/// Heap allocations made by any thread of this process so far (malloc, calloc, realloc,
/// posix_memalign, aligned_alloc, memalign, valloc, pvalloc). Always 0 where the counter is inactive.
uint64_t allocation_counter_count(void);

/// 1 where the counter replaces the allocator's entry points (Linux with glibc), else 0.
int allocation_counter_is_active(void);

#endif
