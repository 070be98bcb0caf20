#include "notifications/notifier.h"

#include <nlohmann/json.hpp>

#include "core/random.h"

namespace parkhub::notifications {

Status Notifier::Notify(db::Connection& c, int64_t user_id, const std::string& kind,
                        const NotificationParams& params, const std::string& dedupe_key) const {
  auto inserted = c.Execute("INSERT INTO notifications (public_id, user_id, kind, message, params, "
                            "dedupe_key, created_at) VALUES (?, ?, ?, '', ?, ?, ?) ON CONFLICT "
                            "(user_id, dedupe_key) DO NOTHING",
                            {NewPublicId("ntf"), user_id, kind,
                             nlohmann::json(params).dump(-1, ' ', false,
                                                         nlohmann::json::error_handler_t::replace),
                             dedupe_key.empty() ? db::Value(nullptr) : db::Value(dedupe_key),
                             FormatUtc(clock_.Now())});
  return inserted.ok() ? Status::Ok() : inserted.status();
}

Result<bool> Notifier::AlreadySent(db::Connection& c, int64_t user_id,
                                   const std::string& dedupe_key) const {
  ASSIGN_OR_RETURN(int64_t existing, c.QueryInt("SELECT COUNT(*) FROM notifications WHERE "
                                                "user_id = ? AND dedupe_key = ?",
                                                {user_id, dedupe_key}));
  return existing > 0;
}

Result<Inbox> Notifier::List(int64_t user_id, const InboxQuery& query) const {
  FieldErrors errors;
  db::CheckPaging(query.limit, query.offset, 200, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  Inbox inbox;
  ASSIGN_OR_RETURN(inbox.unread, c->QueryInt("SELECT COUNT(*) FROM notifications WHERE user_id = "
                                             "? AND read_at IS NULL",
                                             {user_id}));
  std::string where =
      query.unread_only ? "WHERE user_id = ? AND read_at IS NULL" : "WHERE user_id = ?";
  if (query.unread_only) {
    inbox.total = inbox.unread;
  } else {
    ASSIGN_OR_RETURN(inbox.total,
                     c->QueryInt("SELECT COUNT(*) FROM notifications " + where, {user_id}));
  }
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT public_id, kind, params, created_at, "
                                       "read_at IS NOT NULL, message FROM notifications " +
                                           where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                                       {user_id, int64_t{query.limit}, int64_t{query.offset}}));
  for (const auto& row : rows) {
    db::RowReader read(row);
    Notification item;
    item.id = read.Text();
    item.kind = read.Text();
    auto parsed = nlohmann::json::parse(read.Text(), nullptr, false);
    if (parsed.is_object()) {
      for (const auto& [name, value] : parsed.items()) {
        if (value.is_string()) item.params[name] = value.get<std::string>();
      }
    }
    item.created_at = read.Text();
    item.read = read.Bool();
    item.legacy_message = read.Text();
    RETURN_IF_ERROR(read.Done());
    inbox.items.push_back(std::move(item));
  }
  return inbox;
}

Status Notifier::MarkRead(int64_t user_id, const std::string& id) const {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto changed, c->Execute("UPDATE notifications SET read_at = COALESCE(read_at, "
                                            "?) WHERE public_id = ? AND user_id = ?",
                                            {FormatUtc(clock_.Now()), id, user_id}));
  if (changed == 0) return Status::NotFound("notification");
  return Status::Ok();
}

Result<int64_t> Notifier::MarkAllRead(int64_t user_id) const {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  return c->Execute("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                    {FormatUtc(clock_.Now()), user_id});
}

}  // namespace parkhub::notifications
