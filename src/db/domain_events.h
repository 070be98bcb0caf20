// DomainEvents: the outbox of what happened, shared by every module. A module appends an event
// inside the transaction of the change it records, so the event exists exactly when the change
// was committed; consumers in any module (the search indexer today; statistics and governance
// to come) read the events after their own position, in commit order, without reading the
// producing module's tables. An event is thin: what kind of thing happened to which record
// (its row and public id), who did it and when, and a small JSON payload (a transition's from
// and to); a consumer asks the owning module's interface for more.
//
// Kinds are "<subject>.<what>": listing.changed, membership.settled, booking.approved,
// introduction.accepted, deal.signed, ... Each consumer records how far it has durably
// consumed (SaveCursor; each ParkHub instance's search index is a consumer of its own). The
// outbox is a log with a retention window: Prune deletes what every consumer has passed and
// whatever is older than the window even if a consumer has not (an instance that was gone for
// longer), always keeping the newest event, whose number is where a rebuilt consumer starts, and
// records the highest number it deleted (PrunedThrough): a consumer behind it has missed events
// and must rebuild from the owning module's tables.
//
// Append also notifies the channel of the event's subject (ChannelOf, Connection::Notify): other
// processes following that subject wake at the commit instead of at their next poll, and a
// follower of listings is not woken by every booking.
//
// Stateless; every call runs on the caller's connection. Thread-safe as the connection is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "db/database.h"

namespace parkhub::db {

struct DomainEvent {
  int64_t seq = 0;  // assigned by Append, increasing in commit order
  std::string kind;
  int64_t subject_row = 0;
  std::string subject_id;  // the public id, when the subject has one
  int64_t actor_row = 0;   // 0: the system
  std::string at;          // RFC 3339 (core/clock.h FormatUtc); required
  std::string payload = "{}";  // JSON object
};

// The event of a workflow step (core/workflow.h): kind "<subject>.<to>", payload {"from", "to"};
// an actor row of 0 or below (the system) is recorded as 0.
DomainEvent TransitionEvent(const std::string& subject, int64_t subject_row, std::string subject_id,
                            const std::string& from, const std::string& to, int64_t actor_row,
                            std::string at);

class DomainEvents {
 public:
  // The notification channel of events of the kind's subject: "listing.changed" and
  // "listing.anything" share "parkhub_events.listing".
  static std::string ChannelOf(std::string_view kind);

  static Status Append(Connection& c, const DomainEvent& event);
  // Up to `limit` events after `after_seq` whose kind starts with one of `kind_prefixes`
  // (e.g. "listing."), in order.
  static Result<std::vector<DomainEvent>> ReadAfter(Connection& c, int64_t after_seq,
                                                    const std::vector<std::string>& kind_prefixes,
                                                    int limit);
  // The number of the newest event (0 when none was ever appended).
  static Result<int64_t> LastSeq(Connection& c);
  // `consumer` has durably consumed every event up to `seq`.
  static Status SaveCursor(Connection& c, const std::string& consumer, int64_t seq);
  // Deletes the events every consumer has passed and those recorded before `retained_since`
  // (RFC 3339), but never the newest; returns how many. Runs in the caller's write transaction.
  static Result<int64_t> Prune(Connection& c, const std::string& retained_since);
  // The highest number Prune ever deleted (0 when none).
  static Result<int64_t> PrunedThrough(Connection& c);
};

}  // namespace parkhub::db
