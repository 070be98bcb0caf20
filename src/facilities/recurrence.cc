#include "facilities/recurrence.h"

#include <libical/ical.h>

#include "facilities/local_time.h"

namespace parkhub::facilities {

Result<std::vector<int64_t>> ExpandRecurrence(const std::string& rrule, int64_t first_start,
                                              const std::string& zone, size_t max_occurrences) {
  if (rrule.empty() || rrule.size() > 500 || rrule.find_first_of("\r\n") != std::string::npos) {
    return Status::Invalid("rrule", "an RRULE such as FREQ=WEEKLY;COUNT=10 is required");
  }
  icalerror_set_errors_are_fatal(0);
  icalerror_clear_errno();
  struct icalrecurrencetype recurrence = icalrecurrencetype_from_string(rrule.c_str());
  if (recurrence.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
    icalerror_clear_errno();
    return Status::Invalid("rrule", "not a valid RFC 5545 RRULE");
  }
  if (recurrence.count == 0 && icaltime_is_null_time(recurrence.until)) {
    return Status::Invalid("rrule", "give COUNT or UNTIL so the series ends");
  }
  LocalDateTime local = ToLocal(first_start, zone);
  struct icaltimetype start = icaltime_null_time();
  start.year = local.year;
  start.month = local.month;
  start.day = local.day;
  start.hour = local.hour;
  start.minute = local.minute;
  start.second = local.second;
  start.is_date = 0;
  icalrecur_iterator* iterator = icalrecur_iterator_new(recurrence, start);
  if (iterator == nullptr) return Status::Invalid("rrule", "cannot be expanded from this start");
  std::vector<int64_t> starts;
  for (struct icaltimetype t = icalrecur_iterator_next(iterator); !icaltime_is_null_time(t);
       t = icalrecur_iterator_next(iterator)) {
    if (starts.size() == max_occurrences) {
      icalrecur_iterator_free(iterator);
      return Status::Invalid("rrule", "more than " + std::to_string(max_occurrences) +
                                          " occurrences");
    }
    starts.push_back(FromLocal({t.year, t.month, t.day, t.hour, t.minute, t.second}, zone));
  }
  icalrecur_iterator_free(iterator);
  if (starts.empty()) return Status::Invalid("rrule", "produces no occurrence");
  return starts;
}

}  // namespace parkhub::facilities
