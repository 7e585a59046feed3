/* A software prefetch hint for Swift, which has no intrinsic for it: asks the processor to start
   fetching the cache line at `address` without waiting for it (no fault on any address). */
static inline void seealso_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
