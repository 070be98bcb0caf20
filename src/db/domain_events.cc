#include "db/domain_events.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

namespace parkhub::db {

DomainEvent TransitionEvent(const std::string& subject, int64_t subject_row, std::string subject_id,
                            const std::string& from, const std::string& to, int64_t actor_row,
                            std::string at) {
  DomainEvent event;
  event.kind = subject + "." + to;
  event.subject_row = subject_row;
  event.subject_id = std::move(subject_id);
  event.actor_row = actor_row > 0 ? actor_row : 0;  // the system acts as 0
  event.at = std::move(at);
  event.payload = nlohmann::json{{"from", from}, {"to", to}}.dump();
  return event;
}

namespace {

// The cursor row that records how far Prune deleted; never a consumer's, so never a minimum.
constexpr char kPrunedMarker[] = "(pruned)";

}  // namespace

Status DomainEvents::Append(Connection& c, const DomainEvent& event) {
  RETURN_IF_ERROR(c.Execute("INSERT INTO domain_events (kind, subject_row, subject_id, actor_row, "
                            "at, payload) VALUES (?, ?, ?, ?, ?, ?)",
                            {event.kind, event.subject_row, event.subject_id, event.actor_row,
                             event.at, event.payload})
                      .status());
  return event.wakes_followers ? c.Notify(ChannelOf(event.kind)) : Status::Ok();
}

std::string DomainEvents::ChannelOf(std::string_view kind) {
  return "parkhub_events." + std::string(kind.substr(0, kind.find('.')));
}

namespace {

// The events of `view` (domain_event_log, domain_event_unsettled) matching `where`, in order;
// `limit`: 0 for all.
Result<std::vector<DomainEvent>> SelectEvents(Connection& c, const std::string& view,
                                              const std::string& where, Params params, int limit) {
  std::string sql =
      "SELECT position, seq, kind, subject_row, subject_id, actor_row, at, payload "
      "FROM " +
      view + " WHERE " + where + " ORDER BY position, seq";
  if (limit > 0) {
    sql += " LIMIT ?";
    params.emplace_back(int64_t{limit});
  }
  ASSIGN_OR_RETURN(auto rows, c.Query(sql, params));
  std::vector<DomainEvent> events;
  for (const auto& row : rows) {
    RowReader read(row);
    DomainEvent event;
    event.position = read.Int();
    event.seq = read.Int();
    event.kind = read.Text();
    event.subject_row = read.Int();
    event.subject_id = read.Text();
    event.actor_row = read.Int();
    event.at = read.Text();
    event.payload = read.Text();
    RETURN_IF_ERROR(read.Done());
    events.push_back(std::move(event));
  }
  return events;
}

// "(kind LIKE ? OR ...)" and its parameters; every kind when there is no prefix.
std::pair<std::string, Params> KindsMatching(const std::vector<std::string>& kind_prefixes) {
  std::string kinds;
  Params params;
  for (const auto& prefix : kind_prefixes) {
    kinds += kinds.empty() ? "kind LIKE ?" : " OR kind LIKE ?";
    params.emplace_back(std::string(prefix + "%"));
  }
  return {"(" + (kinds.empty() ? std::string("1 = 1") : kinds) + ")", std::move(params)};
}

}  // namespace

Result<std::vector<DomainEvent>> DomainEvents::ReadAfter(
    Connection& c, int64_t after, const std::vector<std::string>& kind_prefixes, int limit) {
  const auto matching = KindsMatching(kind_prefixes);
  const std::string& kinds = matching.first;
  auto with_kinds = [&matching](int64_t position) {
    Params params = {position};
    params.insert(params.end(), matching.second.begin(), matching.second.end());
    return params;
  };
  // One more than asked for shows whether the limit cuts a position's events in two.
  ASSIGN_OR_RETURN(auto events, SelectEvents(c, "domain_event_log", "position > ? AND " + kinds,
                                             with_kinds(after), limit > 0 ? limit + 1 : 0));
  if (limit <= 0 || events.size() <= static_cast<size_t>(limit)) return events;
  const int64_t cut = events[static_cast<size_t>(limit)].position;
  events.resize(static_cast<size_t>(limit));
  if (events.back().position != cut) return events;
  if (events.front().position != cut) {  // end before the position the limit cut into
    while (events.back().position == cut) events.pop_back();
    return events;
  }
  // One transaction's events fill the batch: read that position whole.
  return SelectEvents(c, "domain_event_log", "position = ? AND " + kinds, with_kinds(cut), 0);
}

Result<std::vector<DomainEvent>> DomainEvents::ReadUnsettled(
    Connection& c, const std::vector<std::string>& kind_prefixes, int limit) {
  auto [kinds, params] = KindsMatching(kind_prefixes);
  return SelectEvents(c, "domain_event_unsettled", kinds, std::move(params), limit);
}

Result<int64_t> DomainEvents::Horizon(Connection& c) {
  return c.QueryInt("SELECT position FROM domain_event_horizon");
}

Status DomainEvents::SaveCursor(Connection& c, const std::string& consumer, int64_t position) {
  return c
      .Execute(
          "INSERT INTO domain_event_cursors (consumer, position) VALUES (?, ?) ON "
          "CONFLICT (consumer) DO UPDATE SET position = excluded.position",
          {consumer, position})
      .status();
}

Result<int64_t> DomainEvents::Prune(Connection& c, const std::string& retained_since) {
  // Behind every consumer, or past the retention window; the newest event always stays.
  const std::string prunable =
      " FROM domain_event_log WHERE (position <= (SELECT COALESCE(MIN(position), 0) FROM "
      "domain_event_cursors WHERE consumer <> ?) OR at < ?) AND seq < (SELECT MAX(seq) FROM "
      "domain_events)";
  Params params = {std::string(kPrunedMarker), retained_since};
  ASSIGN_OR_RETURN(int64_t through,
                   c.QueryInt("SELECT COALESCE(MAX(position), 0)" + prunable, params));
  if (through == 0) return int64_t{0};
  ASSIGN_OR_RETURN(int64_t before, PrunedThrough(c));
  RETURN_IF_ERROR(SaveCursor(c, kPrunedMarker, std::max(before, through)));
  return c.Execute("DELETE FROM domain_events WHERE seq IN (SELECT seq" + prunable + ")", params);
}

Result<int64_t> DomainEvents::PrunedThrough(Connection& c) {
  return c.QueryInt(
      "SELECT COALESCE(MAX(position), 0) FROM domain_event_cursors WHERE consumer = ?",
      {std::string(kPrunedMarker)});
}

}  // namespace parkhub::db
