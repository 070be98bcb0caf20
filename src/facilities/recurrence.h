// Expands an RFC 5545 RRULE (libical) in a resource's local time: the first occurrence's
// wall-clock time is kept on every date, whatever the daylight-saving offset (a weekly 09:00
// booking stays at 09:00 local across the change). Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace parkhub::facilities {

// UTC starts of the occurrences, the first included. The rule must end (COUNT or UNTIL) and
// produce at most `max_occurrences`; otherwise a field error on "rrule".
Result<std::vector<int64_t>> ExpandRecurrence(const std::string& rrule, int64_t first_start,
                                              const std::string& zone, size_t max_occurrences);

}  // namespace parkhub::facilities
