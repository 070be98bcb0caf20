// Fuzz target: a booking series' RRULE, expanded as CreateSeries does for a resource bookable
// ten years ahead (the most work any rule can ask for). With -timeout, a rule that makes the
// expansion search for long is reported as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "facilities/recurrence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string rule(reinterpret_cast<const char*>(data), size);
  const int64_t first = 1796169600;  // 2026-12-01T00:00:00Z
  parkhub::facilities::RecurrenceLimits limits{200, first + 3660 * 86400, nullptr};
  auto starts = parkhub::facilities::ExpandRecurrence(rule, first, "Asia/Shanghai", limits);
  if (starts.ok()) {
    if (starts->empty() || starts->size() > limits.max_occurrences) std::abort();
    for (int64_t start : *starts) {
      if (start > limits.latest_start) std::abort();
    }
  }
  return 0;
}
