// Notifier: in-app notifications (a list per user with an unread count). Domain services call
// Notify inside their own transaction, so a notification exists exactly when the change that
// caused it was committed. A dedupe key makes repeated notices (reminders) idempotent.
// Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "db/database.h"

namespace parkhub::notifications {

struct Notification {
  std::string id;
  std::string kind;  // booking_approved, booking_rejected, slot_freed, booking_reminder, ...
  std::string message;
  std::string link;
  std::string created_at;
  bool read = false;
};

struct Inbox {
  std::vector<Notification> items;
  int64_t unread = 0;
};

class Notifier {
 public:
  Notifier(db::Database& database, const Clock& clock) : database_(database), clock_(clock) {}
  // Records a notification for `user_id` on connection `c` (inside the caller's transaction).
  Status Notify(db::Connection& c, int64_t user_id, const std::string& kind,
                const std::string& message, const std::string& link,
                const std::string& dedupe_key = "") const;
  Result<Inbox> List(int64_t user_id, int limit) const;
  Status MarkRead(int64_t user_id, const std::string& id) const;

 private:
  db::Database& database_;
  const Clock& clock_;
};

}  // namespace parkhub::notifications
