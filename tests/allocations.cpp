// Counts every allocation of the unit-test program, so a test can show that evaluate(),
// Fleet::find() and the like make none (tests/allocations.hpp). This is the program's only
// replacement of the global operator new; no test file may define one.
#include "allocations.hpp"

#include <cstdlib>
#include <new>

namespace ecsq::testing {
std::atomic<long> allocation_count{0};
}  // namespace ecsq::testing

// Every unaligned form is replaced, so each allocation is paired with its own deallocation even
// where a runtime (e.g. AddressSanitizer) does not route the nothrow and array forms through the
// plain one.
namespace {
void* counted_allocation(std::size_t size) noexcept {
  ecsq::testing::allocation_count.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
}  // namespace

void* operator new(std::size_t size) {
  if (void* p = counted_allocation(size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* p = counted_allocation(size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted_allocation(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return counted_allocation(size); }
// GCC cannot see that these frees pair with the malloc above.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
