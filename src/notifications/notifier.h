// Notifier: in-app notifications (a list per user with an unread count). Domain services call
// Notify inside their own transaction, so a notification exists exactly when the change that
// caused it was committed. A dedupe key makes repeated notices (reminders) idempotent.
//
// A notification is data, never a sentence: a `kind` and its parameters (names as stored,
// instants in RFC 3339 UTC with the IANA zone to show them in, the public ids the web app links
// to). The web app words each kind in zh-Hans, zh-Hant and en (web/src/notifications.ts); the
// kinds and their parameters are listed in notifications/README.md. Thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/paging.h"

namespace parkhub::notifications {

using NotificationParams = std::map<std::string, std::string>;

struct Notification {
  std::string id;
  std::string kind;  // booking_approved, booking_rejected, slot_freed, booking_reminder, ...
  NotificationParams params;
  std::string created_at;
  bool read = false;
  std::string legacy_message;  // an English sentence, only on rows written before params
};

// A page of a user's notifications, newest first.
struct InboxQuery {
  bool unread_only = false;
  int limit = 50;  // 1..200
  int offset = 0;
};

struct Inbox {
  std::vector<Notification> items;  // the page
  int64_t total = 0;                // of the list asked for (unread only or every one)
  int64_t unread = 0;               // always the user's unread count
};

class Notifier {
 public:
  Notifier(db::Database& database, const Clock& clock) : database_(database), clock_(clock) {}
  // Records a notification for `user_id` on connection `c` (inside the caller's transaction).
  Status Notify(db::Connection& c, int64_t user_id, const std::string& kind,
                const NotificationParams& params, const std::string& dedupe_key = "") const;
  // Whether `user_id` was already sent the notification with this dedupe key (on `c`).
  Result<bool> AlreadySent(db::Connection& c, int64_t user_id, const std::string& dedupe_key) const;
  // One page of the user's notifications; 422 on a bad limit or offset.
  Result<Inbox> List(int64_t user_id, const InboxQuery& query) const;
  // NotFound for a notification that is not the user's.
  Status MarkRead(int64_t user_id, const std::string& id) const;
  // Marks every unread notification of the user read; how many were unread.
  Result<int64_t> MarkAllRead(int64_t user_id) const;

 private:
  db::Database& database_;
  const Clock& clock_;
};

// This module's tables: its migrations/<dialect>/*.sql, embedded at build time (db/migrator.h).
std::vector<db::Migration> SchemaMigrations(std::string_view dialect);

}  // namespace parkhub::notifications
