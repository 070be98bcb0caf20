#include "core/random.h"
#include "facilities/facility_internal.h"
#include "identity/identity_service.h"

namespace parkhub::facilities {

Status FacilityService::NotifyManagersOfPending(db::Connection& c, int64_t owner_row,
                                                const Booking& booking) {
  ASSIGN_OR_RETURN(auto managers, identity::IdentityService::UsersWithRoleAt(
                                      c, owner_row, {identity::Role::kFacilityManager}));
  notifications::NotificationParams params{
      {"booking_id", booking.id},
      {"user", booking.user},
      {"starts_at", FormatUtc(FromUnixSeconds(booking.starts_at))},
      {"time_zone", booking.time_zone}};
  registry::PutNames(params, "resource_name", booking.resource_names);
  for (int64_t manager : managers) {
    RETURN_IF_ERROR(notifier_.Notify(c, manager, "booking_pending", params));
  }
  return Status::Ok();
}

Status FacilityService::NotifyWaitlist(db::Connection& c, int64_t resource_row,
                                       int64_t block_start, int64_t block_end) {
  ASSIGN_OR_RETURN(
      auto waiting,
      c.Query("SELECT w.id, w.user_id, w.starts_at, r.public_id, "
              "r.time_zone, r.name_zh, r.name_zh_hant, r.name_en FROM waitlist_entries w JOIN "
              "resources r ON r.id = w.resource_id WHERE "
              "w.resource_id = ? AND w.notified_at IS NULL AND "
              "w.starts_at < ? AND w.ends_at > ?",
              {resource_row, block_end, block_start}));
  for (const auto& w : waiting) {
    db::RowReader read(w);
    int64_t entry = read.Int();
    int64_t user = read.Int();
    std::string starts_at = FormatUtc(FromUnixSeconds(read.Int()));
    std::string resource_id = read.Text();
    std::string time_zone = read.Text();
    registry::Names resource_names = ReadResourceNames(read);
    RETURN_IF_ERROR(read.Done());
    notifications::NotificationParams params{
        {"resource_id", resource_id}, {"starts_at", starts_at}, {"time_zone", time_zone}};
    registry::PutNames(params, "resource_name", resource_names);
    RETURN_IF_ERROR(notifier_.Notify(c, user, "slot_freed", params));
    RETURN_IF_ERROR(c.Execute("UPDATE waitlist_entries SET notified_at = ? WHERE id = ?",
                              {FormatUtc(clock_.Now()), entry})
                        .status());
  }
  return Status::Ok();
}

Result<std::string> FacilityService::JoinWaitlist(const Principal& p, const std::string& resource_id,
                                                  int64_t starts_at, int64_t ends_at) {
  if (!p.authenticated()) return Status::Unauthenticated();
  if (ends_at <= starts_at) {
    return Status::Invalid("ends_at", "must be after starts_at", "not_after",
                           {{"other", "starts_at"}});
  }
  if (starts_at < ToUnixSeconds(clock_.Now())) {
    return Status::Invalid("starts_at", "is in the past", "in_the_past");
  }
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
  return db::InTransaction<int>(
      database_, db::TxMode::kWrite, [&](db::Connection& c) -> Result<int> {
        ASSIGN_OR_RETURN(auto due,
                         c.Query("SELECT b.public_id, b.user_id, b.starts_at, "
                                 "r.time_zone, r.name_zh, r.name_zh_hant, r.name_en FROM bookings "
                                 "b JOIN resources r ON r.id = "
                                 "b.resource_id WHERE b.state = 'approved' AND b.starts_at > "
                                 "? AND b.starts_at <= ?",
                                 {now, now + 24 * 3600}));
        int sent = 0;
        for (const auto& b : due) {
          db::RowReader read(b);
          std::string booking_id = read.Text();
          int64_t user = read.Int();
          std::string starts_at = FormatUtc(FromUnixSeconds(read.Int()));
          std::string time_zone = read.Text();
          registry::Names resource_names = ReadResourceNames(read);
          RETURN_IF_ERROR(read.Done());
          std::string dedupe_key = "reminder:" + booking_id;
          ASSIGN_OR_RETURN(bool sent_before, notifier_.AlreadySent(c, user, dedupe_key));
          if (sent_before) continue;
          notifications::NotificationParams params{
              {"booking_id", booking_id}, {"starts_at", starts_at}, {"time_zone", time_zone}};
          registry::PutNames(params, "resource_name", resource_names);
          RETURN_IF_ERROR(notifier_.Notify(c, user, "booking_reminder", params, dedupe_key));
          ++sent;
        }
        return sent;
      });
}

}  // namespace parkhub::facilities
