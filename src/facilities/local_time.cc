#include "facilities/local_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>

namespace parkhub::facilities {
namespace {

using Seconds = std::chrono::seconds;
using SysSeconds = date::sys_time<Seconds>;

const date::time_zone* FindZone(const std::string& zone) {
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

bool IsValidTimeZone(const std::string& zone) {
  return !zone.empty() && zone.size() < 64 && FindZone(zone) != nullptr;
}

std::optional<int64_t> ParseInstant(const std::string& text) {
  int year, month, day, hour, minute, second = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6) {
    return std::nullopt;
  }
  if (consumed != 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T') return std::nullopt;
  std::string zone = text.substr(19);
  int offset_minutes = 0;
  if (zone == "Z" || zone == "z") {
    offset_minutes = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(zone.c_str() + 1, "%2d:%2d", &oh, &om) != 2 || oh > 18 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  auto ymd = date::year(year) / month / day;
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  SysSeconds t = date::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
                 Seconds(second) - std::chrono::minutes(offset_minutes);
  return t.time_since_epoch().count();
}

std::string FormatInLocal(int64_t utc_seconds, const std::string& zone) {
  const date::time_zone* tz = FindZone(zone);
  SysSeconds t{Seconds(utc_seconds)};
  if (tz == nullptr) return date::format("%FT%TZ", t);
  auto local = date::zoned_time<Seconds>(tz, t);
  return date::format("%FT%T%Ez", local);
}

int LocalMinuteOfDay(int64_t utc_seconds, const std::string& zone) {
  const date::time_zone* tz = FindZone(zone);
  SysSeconds t{Seconds(utc_seconds)};
  auto local = tz ? date::zoned_time<Seconds>(tz, t).get_local_time()
                  : date::local_seconds(Seconds(utc_seconds));
  auto since_midnight = local - date::floor<date::days>(local);
  return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count());
}

LocalDateTime ToLocal(int64_t utc_seconds, const std::string& zone) {
  const date::time_zone* tz = FindZone(zone);
  SysSeconds t{Seconds(utc_seconds)};
  auto local = tz ? date::zoned_time<Seconds>(tz, t).get_local_time()
                  : date::local_seconds(Seconds(utc_seconds));
  auto day = date::floor<date::days>(local);
  date::year_month_day ymd{day};
  date::hh_mm_ss<Seconds> hms{local - day};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(hms.hours().count()),
          static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count())};
}

int64_t FromLocal(const LocalDateTime& l, const std::string& zone) {
  date::local_seconds local = date::local_days(date::year(l.year) / l.month / l.day) +
                              std::chrono::hours(l.hour) + std::chrono::minutes(l.minute) +
                              Seconds(l.second);
  const date::time_zone* tz = FindZone(zone);
  if (tz == nullptr) return local.time_since_epoch().count();
  auto info = tz->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    // RFC 5545: a time in the gap is read with the offset in force before the gap.
    return (local - info.first.offset).time_since_epoch().count();
  }
  return tz->to_sys(local, date::choose::earliest).time_since_epoch().count();
}

std::pair<int64_t, int64_t> PeriodWindow(int64_t utc_seconds, const std::string& zone,
                                         const std::string& period) {
  LocalDateTime l = ToLocal(utc_seconds, zone);
  date::year_month_day ymd{date::year(l.year) / l.month / l.day};
  date::sys_days first, next;
  if (period == "week") {
    date::sys_days day{ymd};
    first = day - (date::weekday{day} - date::Monday);
    next = first + date::days(7);
  } else {
    first = date::sys_days{ymd.year() / ymd.month() / 1};
    next = date::sys_days{(ymd.year() / ymd.month() / 1) + date::months(1)};
  }
  auto to_local = [&](date::sys_days d) {
    date::year_month_day x{d};
    return FromLocal({static_cast<int>(x.year()), static_cast<int>(static_cast<unsigned>(x.month())),
                      static_cast<int>(static_cast<unsigned>(x.day())), 0, 0, 0},
                     zone);
  };
  return {to_local(first), to_local(next)};
}

std::string FormatIcalUtc(int64_t utc_seconds) {
  return date::format("%Y%m%dT%H%M%SZ", SysSeconds{Seconds(utc_seconds)});
}

}  // namespace parkhub::facilities
