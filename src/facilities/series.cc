#include "facilities/facility_internal.h"

#include "facilities/recurrence.h"

namespace parkhub::facilities {

namespace {

constexpr int kMaxOccurrences = 200;

}  // namespace

Result<SeriesResult> FacilityService::CreateSeries(const Principal& p, const BookingRequest& first,
                                                   const std::string& rrule, bool skip_conflicts) {
  if (!p.authenticated()) return Status::Unauthenticated();
  RETURN_IF_ERROR(CheckRequestText(first));
  if (first.ends_at <= first.starts_at) {
    return Status::Invalid("ends_at", "must be after starts_at", "not_after",
                           {{"other", "starts_at"}});
  }
  std::string zone;
  RecurrenceLimits limits{kMaxOccurrences, 0, &clock_};
  {
    // Who books for whom, and whether the resource admits them, before any work on the rule.
    ASSIGN_OR_RETURN(auto c, database_.Acquire());
    ASSIGN_OR_RETURN(auto snapshot, db::Transaction::Begin(*c, db::TxMode::kRead));
    ASSIGN_OR_RETURN(auto r, LoadResourceRow(*c, first.resource_id));
    int64_t now = ToUnixSeconds(clock_.Now());
    BookerProfile profile;
    int64_t org_row = 0;
    RETURN_IF_ERROR(Price(*c, p, r, first, now, &profile, &org_row).status());
    RETURN_IF_ERROR(CheckEligible(*c, r, profile, first.starts_at));
    zone = r.resource.time_zone;
    limits.latest_start = now + int64_t{r.resource.rules.horizon_days} * 86400;
  }
  ASSIGN_OR_RETURN(auto starts, ExpandRecurrence(rrule, first.starts_at, zone, limits));
  int64_t length = first.ends_at - first.starts_at;
  return db::InTransaction<SeriesResult>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<SeriesResult> {
        SeriesResult result;
        int64_t now = ToUnixSeconds(clock_.Now());
        for (size_t i = 0; i < starts.size(); ++i) {
          BookingRequest occurrence = first;
          occurrence.starts_at = starts[i];
          occurrence.ends_at = starts[i] + length;
          occurrence.idempotency_key = first.idempotency_key + "#" + std::to_string(i);
          RETURN_IF_ERROR(c.Execute("SAVEPOINT occurrence").status());
          auto booked = BookInTransaction(c, p, occurrence, now);
          if (booked.ok()) {
            RETURN_IF_ERROR(c.Execute("RELEASE occurrence").status());
            result.booked.push_back(std::move(booked).value());
            continue;
          }
          RETURN_IF_ERROR(c.Execute("ROLLBACK TO occurrence").status());
          RETURN_IF_ERROR(c.Execute("RELEASE occurrence").status());
          // Taken slots and blackout windows may be skipped; any other problem fails the series.
          bool skippable = booked.status().reason() == "slot_taken" ||
                           (booked.status().code() == ErrorCode::kUnprocessable &&
                            !booked.status().field_errors().empty() &&
                            booked.status().field_errors()[0].reason.find("blackout") !=
                                std::string::npos);
          if (!skip_conflicts || !skippable) {
            Status failed = booked.status();
            failed.SetExtension("occurrence_starts_at", FormatUtc(FromUnixSeconds(starts[i])));
            return failed;
          }
          std::string reason = booked.status().field_errors().empty()
                                   ? booked.status().message()
                                   : booked.status().field_errors()[0].reason;
          result.skipped.push_back({starts[i], reason});
        }
        return result;
      });
}

}  // namespace parkhub::facilities
