#include "facilities/facility_internal.h"

#include "core/random.h"

namespace parkhub::facilities {

Status FacilityService::NotifyWaitlist(db::Connection& c, int64_t resource_row,
                                       int64_t block_start, int64_t block_end) {
  ASSIGN_OR_RETURN(auto waiting, c.Query("SELECT w.id, w.user_id, w.starts_at, r.public_id, "
                                         "r.time_zone, CASE WHEN r.name_en = '' THEN r.name_zh "
                                         "ELSE r.name_en END FROM waitlist_entries w JOIN "
                                         "resources r ON r.id = w.resource_id WHERE "
                                         "w.resource_id = ? AND w.notified_at IS NULL AND "
                                         "w.starts_at < ? AND w.ends_at > ?",
                                         {resource_row, block_end, block_start}));
  for (const auto& w : waiting) {
    RETURN_IF_ERROR(notifier_.Notify(c, w.Int(1), "slot_freed",
                                     {{"resource_id", w.Text(3)},
                                      {"resource_name", w.Text(5)},
                                      {"starts_at", FormatUtc(FromUnixSeconds(w.Int(2)))},
                                      {"time_zone", w.Text(4)}}));
    ASSIGN_OR_RETURN(auto marked, c.Execute("UPDATE waitlist_entries SET notified_at = ? WHERE id = ?",
                                            {FormatUtc(clock_.Now()), w.Int(0)}));
    (void)marked;
  }
  return Status::Ok();
}

Result<std::string> FacilityService::JoinWaitlist(const Principal& p, const std::string& resource_id,
                                                  int64_t starts_at, int64_t ends_at) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (ends_at <= starts_at) return Status::Invalid("ends_at", "must be after starts_at");
  if (starts_at < ToUnixSeconds(clock_.Now())) return Status::Invalid("starts_at", "is in the past");
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto r, LoadResourceRow(*c, resource_id));
  std::string id = NewPublicId("wai");
  ASSIGN_OR_RETURN(auto added, c->Execute("INSERT INTO waitlist_entries (public_id, resource_id, "
                                          "user_id, starts_at, ends_at, created_at) VALUES (?, ?, "
                                          "?, ?, ?, ?)",
                                          {id, r.id, p.user_id, starts_at, ends_at,
                                           FormatUtc(clock_.Now())}));
  (void)added;
  return id;
}

Result<int> FacilityService::SendDueReminders() {
  int64_t now = ToUnixSeconds(clock_.Now());
  return db::InTransaction<int>(database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<int> {
    ASSIGN_OR_RETURN(auto due, c.Query("SELECT b.id, b.public_id, b.user_id, b.starts_at, "
                                       "r.time_zone, CASE WHEN r.name_en = '' THEN r.name_zh ELSE "
                                       "r.name_en END FROM bookings b JOIN resources r ON r.id = "
                                       "b.resource_id WHERE b.state = 'approved' AND b.starts_at > "
                                       "? AND b.starts_at <= ?",
                                       {now, now + 24 * 3600}));
    int sent = 0;
    for (const auto& b : due) {
      ASSIGN_OR_RETURN(bool sent_before, notifier_.AlreadySent(c, b.Int(2), "reminder:" + b.Text(1)));
      if (sent_before) continue;
      RETURN_IF_ERROR(notifier_.Notify(c, b.Int(2), "booking_reminder",
                                       {{"booking_id", b.Text(1)},
                                        {"resource_name", b.Text(5)},
                                        {"starts_at", FormatUtc(FromUnixSeconds(b.Int(3)))},
                                        {"time_zone", b.Text(4)}},
                                       "reminder:" + b.Text(1)));
      ++sent;
    }
    return sent;
  });
}

}  // namespace parkhub::facilities
