// Expands an RFC 5545 RRULE (libical) in a resource's local time: the first occurrence's
// wall-clock time is kept on every date, whatever the daylight-saving offset (a weekly 09:00
// booking stays at 09:00 local across the change). Thread-safe.
//
// The expansion is bounded, because the rule comes from outside. libical's iterator searches
// for the next match one FREQ step at a time and stops only at a match or at UNTIL, so a rule
// that never matches (FREQ=MINUTELY;BYDAY=-53SU) would search for centuries. Every expansion is
// therefore given an UNTIL no later than `latest_start` (a COUNT rule is counted by us), and
// steps of less than an hour are refused. libical's constructor, though, searches for the first
// occurrence up to the year 2582 whatever UNTIL says, so rules are also held to the subset
// calendar programs offer (see CheckParts in recurrence.cc), in which every allowed month or
// year can match. Then a call's work is at most (latest_start - first_start) / 1 hour steps; a
// wall-clock budget checked between occurrences backs this up.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace parkhub::facilities {

struct RecurrenceLimits {
  size_t max_occurrences = 200;
  // No occurrence may start later (UTC seconds): the resource's booking horizon.
  int64_t latest_start = 0;
  // Read between occurrences; an expansion that takes longer than `time_budget` is refused.
  const Clock* clock = nullptr;
  std::chrono::milliseconds time_budget{250};
};

// UTC starts of the occurrences, the first included. The rule must end (COUNT or UNTIL), end
// before `limits.latest_start` and produce at most `limits.max_occurrences`; otherwise a field
// error on "rrule" that says which.
Result<std::vector<int64_t>> ExpandRecurrence(const std::string& rrule, int64_t first_start,
                                              const std::string& zone,
                                              const RecurrenceLimits& limits);

}  // namespace parkhub::facilities
