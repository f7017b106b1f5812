// The allocation counter of the unit-test program (tests/allocations.cpp replaces the global
// operator new to count), so a test can show that a call allocates nothing.
#pragma once

#include <atomic>

namespace ecsq::testing {

/// Allocations made by the test program so far, on every thread.
extern std::atomic<long> allocation_count;

}  // namespace ecsq::testing
