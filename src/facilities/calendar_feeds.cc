#include "facilities/facility_internal.h"

#include "core/random.h"

namespace parkhub::facilities {

namespace {

std::string IcalEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

struct FeedEvent {
  std::string uid;
  int64_t starts_at;
  int64_t ends_at;
  std::string summary;
  std::string state;
};

std::string RenderIcs(const std::string& name, const std::string& zone,
                      const std::vector<FeedEvent>& events, int64_t now) {
  std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ParkHub//Facilities//EN\r\n"
                    "X-WR-CALNAME:" + IcalEscape(name) + "\r\n";
  if (!zone.empty()) ics += "X-WR-TIMEZONE:" + zone + "\r\n";
  std::string stamp = FormatIcalUtc(now);
  for (const auto& e : events) {
    ics += "BEGIN:VEVENT\r\nUID:" + e.uid + "@parkhub\r\nDTSTAMP:" + stamp +
           "\r\nDTSTART:" + FormatIcalUtc(e.starts_at) + "\r\nDTEND:" + FormatIcalUtc(e.ends_at) +
           "\r\nSUMMARY:" + IcalEscape(e.summary + " (" + e.state + ")") +
           "\r\nSTATUS:" + (e.state == "pending" ? "TENTATIVE" : "CONFIRMED") + "\r\nEND:VEVENT\r\n";
  }
  return ics + "END:VCALENDAR\r\n";
}

}  // namespace

Result<std::string> FacilityService::CalendarFeed(const std::string& resource_id,
                                                  const std::string& token) {
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  auto hash = c->QueryOne("SELECT calendar_token_hash FROM resources WHERE public_id = ?",
                          {resource_id}, "calendar");
  // A wrong token and a missing resource look the same.
  if (!hash.ok() || !ConstantTimeEquals(hash->Text(0), HashSecret(token))) {
    return Status::NotFound("calendar");
  }
  ASSIGN_OR_RETURN(auto r, LoadResourceRow(*c, resource_id));
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT public_id, starts_at, ends_at, state FROM bookings "
                                       "WHERE resource_id = ? AND state IN ('pending', "
                                       "'approved', 'checked_in', 'completed') ORDER BY starts_at",
                                       {r.id}));
  std::string name = r.resource.name_en.empty() ? r.resource.name_zh : r.resource.name_en;
  std::vector<FeedEvent> events;
  for (const auto& row : rows) {
    events.push_back({row.Text(0), row.Int(1), row.Int(2), name, row.Text(3)});
  }
  return RenderIcs(name, r.resource.time_zone, events, ToUnixSeconds(clock_.Now()));
}

Result<std::string> FacilityService::IssueUserCalendarToken(const Principal& p) {
  if (!p.authenticated()) return Status::Unauthenticated();
  std::string token = RandomToken(24);
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto saved, c->Execute("INSERT INTO user_calendar_tokens (user_id, token_hash, "
                                          "created_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO "
                                          "UPDATE SET token_hash = excluded.token_hash, "
                                          "created_at = excluded.created_at",
                                          {p.user_id, HashSecret(token), FormatUtc(clock_.Now())}));
  (void)saved;
  return token;
}

Result<std::string> FacilityService::UserCalendarFeed(const std::string& token) {
  if (token.empty() || token.size() > 200) return Status::NotFound("calendar");
  ASSIGN_OR_RETURN(auto c, database_.Acquire());
  ASSIGN_OR_RETURN(auto owner, c->Query("SELECT user_id FROM user_calendar_tokens WHERE "
                                        "token_hash = ?",
                                        {HashSecret(token)}));
  if (owner.empty()) return Status::NotFound("calendar");
  int64_t user_row = owner[0].Int(0);
  ASSIGN_OR_RETURN(auto usernames, identity::IdentityService::UsernamesOf(*c, {user_row}));
  if (usernames.count(user_row) == 0) return Status::NotFound("calendar");
  ASSIGN_OR_RETURN(auto rows, c->Query("SELECT b.public_id, b.starts_at, b.ends_at, b.state, CASE "
                                       "WHEN r.name_en = '' THEN r.name_zh ELSE r.name_en END FROM "
                                       "bookings b JOIN resources r ON r.id = b.resource_id WHERE "
                                       "b.user_id = ? AND b.state IN ('pending', 'approved', "
                                       "'checked_in', 'completed') ORDER BY b.starts_at",
                                       {user_row}));
  std::vector<FeedEvent> events;
  for (const auto& row : rows) {
    events.push_back({row.Text(0), row.Int(1), row.Int(2), row.Text(4), row.Text(3)});
  }
  return RenderIcs("ParkHub bookings of " + usernames[user_row], "", events,
                   ToUnixSeconds(clock_.Now()));
}

}  // namespace parkhub::facilities
