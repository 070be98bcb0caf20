// Clock: the one source of "now" for every service, injected so tests control time.
//
// SystemClock reads the real UTC clock; ManualClock is advanced by hand in tests. Both are
// thread-safe. Time is always UTC; FormatUtc/ParseUtc speak RFC 3339 with a trailing 'Z'.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

namespace parkhub {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_ns_(ToNs(start)) {}
  TimePoint Now() const override { return TimePoint(std::chrono::nanoseconds(now_ns_.load())); }
  void Advance(std::chrono::nanoseconds by) { now_ns_ += by.count(); }

 private:
  static int64_t ToNs(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  }
  std::atomic<int64_t> now_ns_;
};

// "2026-11-21T08:42:00Z" (second precision).
std::string FormatUtc(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SSZ"; nullopt otherwise.
std::optional<TimePoint> ParseUtc(const std::string& text);
// Validates a calendar date "YYYY-MM-DD".
bool IsValidDate(const std::string& text);
int64_t ToUnixSeconds(TimePoint t);
TimePoint FromUnixSeconds(int64_t seconds);

}  // namespace parkhub
