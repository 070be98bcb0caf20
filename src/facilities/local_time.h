// Time zones for facilities: every resource has an IANA zone, and slot rules (granularity)
// are applied in the resource's local time, so a 30-minute grid stays on :00 and :30 across a
// daylight-saving change. Uses Howard Hinnant's date/tz over the system tz database.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace parkhub::facilities {

bool IsValidTimeZone(const std::string& zone);
// Parses RFC 3339 with an explicit offset or Z ("2026-12-01T09:00:00+08:00"); UTC seconds.
std::optional<int64_t> ParseInstant(const std::string& text);
// "2026-12-01T09:00:00+08:00" in `zone`.
std::string FormatInLocal(int64_t utc_seconds, const std::string& zone);
// Minutes since local midnight in `zone` (0..1439).
int LocalMinuteOfDay(int64_t utc_seconds, const std::string& zone);
struct LocalDateTime {
  int year, month, day, hour, minute, second;
};
LocalDateTime ToLocal(int64_t utc_seconds, const std::string& zone);
// The UTC instant of a wall-clock time in `zone`; in a gap (spring forward) it is read with the
// offset before the gap (RFC 5545), in an overlap (fall back) the earlier instant is taken.
int64_t FromLocal(const LocalDateTime& local, const std::string& zone);
// The [start, end) in UTC of the local calendar week (Monday 00:00) or month that contains
// `utc_seconds` in `zone`. `period` is "week" or "month".
std::pair<int64_t, int64_t> PeriodWindow(int64_t utc_seconds, const std::string& zone,
                                         const std::string& period);
// RFC 5545 UTC form "20261201T010000Z".
std::string FormatIcalUtc(int64_t utc_seconds);

}  // namespace parkhub::facilities
