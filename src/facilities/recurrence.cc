#include "facilities/recurrence.h"

#include <libical/ical.h>

#include <cstdlib>
#include <memory>
#include <set>

#include "facilities/local_time.h"

namespace parkhub::facilities {
namespace {

// Every refusal of a rule has one code; the reason names the RFC 5545 part at fault.
Status RuleError(const std::string& reason) {
  return Status::Invalid("rrule", reason, "unsupported_rrule");
}

// Each BY list of libical ends at ICAL_RECURRENCE_ARRAY_MAX.
template <size_t N, typename Check>
bool AllOf(const short (&values)[N], Check check) {
  for (size_t i = 0; i < N && values[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) {
    if (!check(values[i])) return false;
  }
  return true;
}

template <size_t N>
bool AnyEquals(const short (&values)[N], int wanted) {
  return !AllOf(values, [wanted](short v) { return v != wanted; });
}

template <size_t N>
bool Present(const short (&values)[N]) {
  return values[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

bool SignedWithin(short value, int limit) { return value != 0 && std::abs(value) <= limit; }

template <size_t N, typename Visit>
void ForEach(const short (&values)[N], Visit visit) {
  for (size_t i = 0; i < N && values[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) visit(values[i]);
}

template <size_t N, typename Predicate>
int CountIf(const short (&values)[N], Predicate predicate) {
  int count = 0;
  ForEach(values, [&](short v) { count += predicate(v) ? 1 : 0; });
  return count;
}

template <size_t N>
int Count(const short (&values)[N]) {
  return CountIf(values, [](short) { return true; });
}

// The longest each month can be (February in a leap year).
int LongestMonth(int month) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[month - 1];
}

// True when some month the rule allows has the day `day` (from its end when negative).
bool SomeMonthHasDay(const icalrecurrencetype& rule, short day) {
  for (int month = 1; month <= 12; ++month) {
    bool allowed = !Present(rule.by_month) || AnyEquals(rule.by_month, month);
    if (allowed && std::abs(day) <= LongestMonth(month)) return true;
  }
  return false;
}

// Booking series take the rules people book by, as calendar programs offer them: every N hours,
// days or weeks (on chosen weekdays, at chosen hours), months (on a day of the month, the Nth
// weekday, or the Nth of chosen weekdays) or years (on a date), limited to chosen months.
// That subset is also what keeps libical 3.0.16 bounded: the iterator's constructor searches
// for a first occurrence up to the year 2582 whatever UNTIL says, so a month or year that can
// never match (BYSETPOS=71 of the weekdays, 30 February, the 1st Monday on the 31st) costs
// seconds per request. In the subset every allowed month or year can match.
Status CheckParts(const icalrecurrencetype& rule) {
  const icalrecurrencetype_frequency freq = rule.freq;
  const bool monthly = freq == ICAL_MONTHLY_RECURRENCE, yearly = freq == ICAL_YEARLY_RECURRENCE;
  if (freq == ICAL_SECONDLY_RECURRENCE || freq == ICAL_MINUTELY_RECURRENCE) {
    return RuleError("a booking series repeats at most hourly (FREQ=HOURLY or longer)");
  }
  if (rule.interval < 1 || rule.interval > 1000) return RuleError("INTERVAL must be 1 to 1000");
  if (Present(rule.by_second) || Present(rule.by_year_day) || Present(rule.by_week_no)) {
    return RuleError("BYSECOND, BYYEARDAY and BYWEEKNO are not offered for bookings");
  }
  if (!AllOf(rule.by_minute, [](short v) { return v >= 0 && v <= 59; }) ||
      !AllOf(rule.by_hour, [](short v) { return v >= 0 && v <= 23; }) ||
      !AllOf(rule.by_month, [](short v) { return v >= 1 && v <= 12; }) ||
      !AllOf(rule.by_month_day, [](short v) { return SignedWithin(v, 31); })) {
    return RuleError("a BY part is out of the range RFC 5545 allows");
  }
  const int numbered =
      CountIf(rule.by_day, [](short v) { return icalrecurrencetype_day_position(v) != 0; });
  if (Present(rule.by_day) && yearly) {
    return RuleError("a yearly series falls on a date (BYMONTH and BYMONTHDAY), not on weekdays");
  }
  if (numbered > 0) {
    bool one_in_month = monthly && Count(rule.by_day) == 1 &&
                        SignedWithin(icalrecurrencetype_day_position(rule.by_day[0]), 5);
    if (!one_in_month) {
      return RuleError("a numbered weekday (such as 2TU or -1FR) needs FREQ=MONTHLY, one of them");
    }
  }
  if (Present(rule.by_month_day)) {
    if (!monthly && !yearly) return RuleError("BYMONTHDAY needs FREQ=MONTHLY or YEARLY");
    if (Present(rule.by_day)) return RuleError("give BYMONTHDAY or BYDAY, not both");
    if (!AllOf(rule.by_month_day, [&rule](short day) { return SomeMonthHasDay(rule, day); })) {
      return RuleError("BYMONTHDAY names a day none of the months has");
    }
  }
  if (Present(rule.by_set_pos)) {
    // The set is every chosen weekday of the month: at least four of each (a weekday named
    // twice is still one; found by the fuzz target).
    std::set<int> weekdays;
    ForEach(rule.by_day, [&weekdays](short v) {
      weekdays.insert(static_cast<int>(icalrecurrencetype_day_day_of_week(v)));
    });
    int most = 4 * static_cast<int>(weekdays.size());
    bool allowed = monthly && numbered == 0 && most > 0 && !Present(rule.by_hour) &&
                   !Present(rule.by_minute) &&
                   AllOf(rule.by_set_pos, [most](short v) { return SignedWithin(v, most); });
    if (!allowed) {
      return RuleError("BYSETPOS picks among the weekdays of a month (FREQ=MONTHLY;BYDAY=...), "
                       "at most four times their number from either end");
    }
  }
  return Status::Ok();
}

struct icaltimetype ToIcal(const LocalDateTime& local) {
  struct icaltimetype t = icaltime_null_time();
  t.year = local.year;
  t.month = local.month;
  t.day = local.day;
  t.hour = local.hour;
  t.minute = local.minute;
  t.second = local.second;
  t.is_date = 0;
  return t;
}

// UNTIL as a UTC instant: a UTC time as given, a floating time or a date (its end) in `zone`.
int64_t UntilInstant(struct icaltimetype until, const std::string& zone) {
  if (until.is_date) {
    return FromLocal({until.year, until.month, until.day, 23, 59, 59}, zone);
  }
  if (icaltime_is_utc(until)) return static_cast<int64_t>(icaltime_as_timet(until));
  return FromLocal({until.year, until.month, until.day, until.hour, until.minute, until.second},
                   zone);
}

struct IteratorFree {
  void operator()(icalrecur_iterator* iterator) const { icalrecur_iterator_free(iterator); }
};

}  // namespace

Result<std::vector<int64_t>> ExpandRecurrence(const std::string& rrule, int64_t first_start,
                                              const std::string& zone,
                                              const RecurrenceLimits& limits) {
  if (rrule.empty() || rrule.size() > 500 || rrule.find_first_of("\r\n") != std::string::npos) {
    return RuleError("an RRULE such as FREQ=WEEKLY;COUNT=10 is required");
  }
  icalerror_set_errors_are_fatal(0);
  icalerror_clear_errno();
  struct icalrecurrencetype rule = icalrecurrencetype_from_string(rrule.c_str());
  // The parser hands over RSCALE's value as a string of its own (found leaking by the fuzzer).
  const bool other_calendar = rule.rscale != nullptr;
  icalmemory_free_buffer(rule.rscale);
  rule.rscale = nullptr;
  if (rule.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
    icalerror_clear_errno();
    return RuleError("not a valid RFC 5545 RRULE");
  }
  if (other_calendar) return RuleError("RSCALE (other calendars) is not offered for bookings");
  bool counted = rule.count > 0;
  if (!counted && icaltime_is_null_time(rule.until)) {
    return RuleError("give COUNT or UNTIL so the series ends");
  }
  if (counted && static_cast<size_t>(rule.count) > limits.max_occurrences) {
    return RuleError("more than " + std::to_string(limits.max_occurrences) + " occurrences");
  }
  RETURN_IF_ERROR(CheckParts(rule));
  const std::string horizon_reason = "the series reaches past the time this resource can be booked ahead";
  int64_t last_start = limits.latest_start;
  if (!counted) {
    int64_t until = UntilInstant(rule.until, zone);
    if (until > limits.latest_start) return RuleError(horizon_reason);
    last_start = until;
  }
  // libical takes COUNT or UNTIL, not both: it always gets the bound, and a COUNT is ours.
  const int count = rule.count;
  rule.count = 0;
  rule.until = ToIcal(ToLocal(last_start, zone));
  std::unique_ptr<icalrecur_iterator, IteratorFree> iterator(
      icalrecur_iterator_new(rule, ToIcal(ToLocal(first_start, zone))));
  if (iterator == nullptr) {
    icalerror_clear_errno();
    return RuleError("cannot be expanded from this start");
  }
  TimePoint deadline = limits.clock != nullptr ? limits.clock->Now() + limits.time_budget
                                               : TimePoint::max();
  std::vector<int64_t> starts;
  while (!counted || starts.size() < static_cast<size_t>(count)) {
    struct icaltimetype t = icalrecur_iterator_next(iterator.get());
    if (icaltime_is_null_time(t)) break;
    int64_t start = FromLocal({t.year, t.month, t.day, t.hour, t.minute, t.second}, zone);
    if (start > last_start) break;
    if (starts.size() == limits.max_occurrences) {
      return RuleError("more than " + std::to_string(limits.max_occurrences) + " occurrences");
    }
    starts.push_back(start);
    if (limits.clock != nullptr && limits.clock->Now() > deadline) {
      return RuleError("takes too long to expand; give a simpler rule");
    }
  }
  if (counted && starts.size() < static_cast<size_t>(count)) return RuleError(horizon_reason);
  if (starts.empty()) return RuleError("produces no occurrence");
  return starts;
}

}  // namespace parkhub::facilities
