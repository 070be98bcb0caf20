#include "db/domain_events.h"

#include <algorithm>
#include <nlohmann/json.hpp>

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
  return c.Notify(ChannelOf(event.kind));
}

std::string DomainEvents::ChannelOf(std::string_view kind) {
  return "parkhub_events." + std::string(kind.substr(0, kind.find('.')));
}

Result<std::vector<DomainEvent>> DomainEvents::ReadAfter(Connection& c, int64_t after_seq,
                                                         const std::vector<std::string>& kind_prefixes,
                                                         int limit) {
  Params params;
  params.emplace_back(after_seq);
  std::string kinds;
  for (const auto& prefix : kind_prefixes) {
    kinds += kinds.empty() ? "kind LIKE ?" : " OR kind LIKE ?";
    params.emplace_back(std::string(prefix + "%"));
  }
  params.emplace_back(int64_t{limit});
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT seq, kind, subject_row, subject_id, actor_row, at, "
                                      "payload FROM domain_events WHERE seq > ? AND (" +
                                          (kinds.empty() ? std::string("1 = 1") : kinds) +
                                          ") ORDER BY seq LIMIT ?",
                                      params));
  std::vector<DomainEvent> events;
  for (const auto& row : rows) {
    RowReader read(row);
    DomainEvent event;
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

Result<int64_t> DomainEvents::LastSeq(Connection& c) {
  return c.QueryInt("SELECT COALESCE(MAX(seq), 0) FROM domain_events");
}

Status DomainEvents::SaveCursor(Connection& c, const std::string& consumer, int64_t seq) {
  return c.Execute("INSERT INTO domain_event_cursors (consumer, seq) VALUES (?, ?) ON CONFLICT "
                   "(consumer) DO UPDATE SET seq = excluded.seq",
                   {consumer, seq})
      .status();
}

Result<int64_t> DomainEvents::Prune(Connection& c, const std::string& retained_since) {
  // Behind every consumer, or past the retention window; the newest event always stays.
  const std::string prunable =
      " FROM domain_events WHERE (seq <= (SELECT COALESCE(MIN(seq), 0) FROM domain_event_cursors "
      "WHERE consumer <> ?) OR at < ?) AND seq < (SELECT MAX(seq) FROM domain_events)";
  Params params = {std::string(kPrunedMarker), retained_since};
  ASSIGN_OR_RETURN(int64_t through, c.QueryInt("SELECT COALESCE(MAX(seq), 0)" + prunable, params));
  if (through == 0) return int64_t{0};
  ASSIGN_OR_RETURN(int64_t before, PrunedThrough(c));
  RETURN_IF_ERROR(SaveCursor(c, kPrunedMarker, std::max(before, through)));
  return c.Execute("DELETE" + prunable, params);
}

Result<int64_t> DomainEvents::PrunedThrough(Connection& c) {
  return c.QueryInt("SELECT COALESCE(MAX(seq), 0) FROM domain_event_cursors WHERE consumer = ?",
                    {std::string(kPrunedMarker)});
}

}  // namespace parkhub::db
